// The loaded application: catalogs, the search index and the executor, built once at start-up and
// shared (read-only) by every MCP session.
import { loadOpenApiCatalog, type Catalog } from './catalog/load-openapi.js';
import type { ToolEntry } from './catalog/tool-entry.js';
import type { OpenApiSourceConfig } from './config-types.js';
import type { ToolshedConfig } from './config.js';
import { createHttpExecutor } from './exec/http-executor.js';
import type { ExecOptions, ExecResult } from './exec/executor.js';
import { INVALID_ARGUMENTS_NEXT } from './exec/validate-args.js';
import type { Logger } from './log.js';
import { buildSearchIndex, searchTools, type SearchIndex } from './search/search-index.js';
import { createRegistry, type ToolRegistry } from './server/resolve-name.js';

export interface Toolshed {
  catalogs: Catalog[];
  registry: ToolRegistry;
  search(query: string, limit: number): ToolEntry[];
  /** Validates the arguments, then calls the operation: the one path for execute_tool and run_code. */
  call(entry: ToolEntry, args: unknown, options?: ExecOptions): Promise<ExecResult>;
  /** How the tool authenticates, for describe_tools: what it needs and whether it is configured. */
  authOf(entry: ToolEntry): string;
}

export async function openToolshed(config: ToolshedConfig, log: Logger): Promise<Toolshed> {
  const started = performance.now();
  const catalogs = await Promise.all(config.openapi.map((source) => loadCatalog(source, log)));
  assertDistinctNamespaces(catalogs);
  const sources = new Map(config.openapi.map((s, i) => [catalogs[i]!.namespace, s]));
  const tools = catalogs.flatMap((c) => c.tools);
  const indexStarted = performance.now();
  const index: SearchIndex = await buildSearchIndex(tools);
  log.info({ tools: tools.length, ms: Math.round(performance.now() - indexStarted) }, 'search index built');

  const schemesOf = (namespace: string) => catalogs.find((c) => c.namespace === namespace)?.securitySchemes ?? {};
  const executor = createHttpExecutor({
    catalog: (namespace) => {
      const source = sources.get(namespace);
      return {
        securitySchemes: schemesOf(namespace),
        ...(source?.credentials ? { credentials: source.credentials } : {}),
        ...(source?.server ? { server: source.server } : {}),
        limits: { ...config.limits, ...source?.limits },
      };
    },
  });
  log.info({ catalogs: catalogs.length, tools: tools.length, ms: Math.round(performance.now() - started) }, 'ready');

  return {
    catalogs,
    registry: createRegistry(tools),
    search: (query, limit) => searchTools(index, query, limit).map((hit) => hit.entry),
    async call(entry, args, options) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return { ok: false, failure: { code: 'invalid_arguments', message: `arguments must be an object, got ${Array.isArray(args) ? 'an array' : typeof args}`, next: INVALID_ARGUMENTS_NEXT } };
      }
      // The executor validates against the tool's input schema before anything is sent.
      return executor.execute(entry, args as Record<string, unknown>, options);
    },
    authOf: (entry) => describeAuth(entry, schemesOf(entry.namespace), sources.get(entry.namespace)),
  };
}

async function loadCatalog(source: OpenApiSourceConfig, log: Logger): Promise<Catalog> {
  const started = performance.now();
  const catalog = await loadOpenApiCatalog({ source: source.openapi, ...(source.namespace ? { namespace: source.namespace } : {}) });
  log.info({ namespace: catalog.namespace, source: source.openapi, operations: catalog.tools.length, ms: Math.round(performance.now() - started) }, 'catalog loaded');
  return catalog;
}

function assertDistinctNamespaces(catalogs: Catalog[]): void {
  const seen = new Map<string, string>();
  for (const c of catalogs) {
    const other = seen.get(c.namespace);
    if (other) throw new Error(`two catalogs share the namespace "${c.namespace}" (${other} and ${c.source}): name one with --openapi NAME=${c.source}`);
    seen.set(c.namespace, c.source);
  }
}

function describeAuth(entry: ToolEntry, schemes: Catalog['securitySchemes'], source: OpenApiSourceConfig | undefined): string {
  if (entry.binding.kind !== 'http') return 'handled by the upstream server';
  const credentials = source?.credentials ?? {};
  const alternatives = entry.binding.security;
  if (alternatives.length === 0 || alternatives.some((alt) => alt.length === 0)) {
    const generic = Object.values(credentials).find((c) => c.type);
    return generic ? `optional; configured (${generic.type})` : 'none';
  }
  return alternatives
    .map((alt) =>
      alt
        .map(({ scheme }) => {
          const s = schemes[scheme];
          const kind = !s ? scheme : s.type === 'apiKey' ? `API key in ${s.in} "${s.name}"` : s.type === 'http' ? `HTTP ${s.scheme}` : s.type;
          return `${kind} (${credentials[scheme] ? 'configured' : `not configured: set credentials.${scheme} in toolshed.config.json`})`;
        })
        .join(' + '),
    )
    .join(' or ');
}
