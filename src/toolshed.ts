// The loaded application: catalogs, the search index and the executors, built at start-up and shared
// (read-only) by every MCP session; rebuilt whole when an upstream MCP server's tools change.
import type { Catalog } from './catalog/load-openapi.js';
import { loadOpenApiSources, type CatalogNote } from './catalog/load-sources.js';
import type { ToolEntry } from './catalog/tool-entry.js';
import { loadStaticTools } from './catalog/static-tools.js';
import type { McpSourceConfig } from './config-types.js';
import type { ToolshedConfig } from './config.js';
import { catalogAuthStatus, toolAuthStatus, type CatalogAuth } from './exec/auth-status.js';
import { configuredSecrets } from './exec/credential-exposure.js';
import { createHttpExecutor } from './exec/http-executor.js';
import type { ExecOptions, ExecResult } from './exec/executor.js';
import { DEFAULT_RESPONSE_PROFILE } from './exec/lean-response.js';
import { createMcpExecutor } from './exec/mcp-executor.js';
import { openMcpSources, type McpSources, type McpSourcesOptions } from './exec/mcp-sources.js';
import { ConfigError } from './errors.js';
import { createGateway, type Gateway } from './gateway/gateway.js';
import { INVALID_ARGUMENTS_NEXT } from './exec/validate-args.js';
import type { Logger } from './log.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { resolveEmbeddings } from './search/embeddings-choice.js';
import { needsOf } from './search/plans.js';
import type { Need } from './search/producer-graph.js';
import { buildSearchIndex, searchToolsAsync, type SearchIndex } from './search/search-index.js';
import { createRegistry, type ToolRegistry } from './server/resolve-name.js';

export interface Toolshed {
  /** Current catalogs; MCP upstreams' change when their tools do (read them per use, do not keep them). */
  readonly catalogs: Catalog[];
  readonly registry: ToolRegistry;
  /** Sources that failed to load or loaded with warnings (empty when every source loaded cleanly). */
  readonly notes: CatalogNote[];
  /** Changes whenever the tool set does (an upstream's tools/list_changed, a reconnect): cached declarations are stale. */
  version(): number;
  /** Hybrid (BM25 + embeddings) by default; BM25 alone when embeddings are off or their provider fails. */
  search(query: string, limit: number): Promise<ToolEntry[]>;
  /** What the tool needs that another tool produces (the producer graph); with `query`, minus what it gives. */
  needsOf(entry: ToolEntry, query?: string): Need[];
  /** Validates the arguments, then calls the operation: the one path for execute_tool and run_code. */
  call(entry: ToolEntry, args: unknown, options?: ExecOptions): Promise<ExecResult>;
  /** How the tool authenticates, for describe_tools: what it needs and whether it is configured. */
  authOf(entry: ToolEntry): string;
  /** Upstream MCP servers' requests, logs, resources and prompts, passed to the sessions' clients. */
  readonly gateway: Gateway;
  /** Every configured secret's value (read now), for redaction beyond a single response. */
  secrets(): string[];
  /** Stops upstream MCP servers (child processes, retry timers); those still running after `withinMs` are killed. */
  close(withinMs?: number): Promise<void>;
}

export interface OpenToolshedOptions {
  /** Upstream connection tuning (connect timeout, backoff); tests shorten it. */
  mcp?: McpSourcesOptions['upstreamOptions'];
  /** The HTTP executor's fetch (metrics and traces wrap it); default: the global fetch. */
  fetch?: typeof fetch;
  /** Progress lines for the slow steps (loading, indexing); none by default. */
  progress?: Progress;
}

export async function openToolshed(config: ToolshedConfig, log: Logger, options: OpenToolshedOptions = {}): Promise<Toolshed> {
  const progress = options.progress ?? NO_PROGRESS;
  const started = performance.now();
  let changedEarly = false;
  let reindex = (): void => void (changedEarly = true); // replaced below, once there is an index to replace
  const servers = config.mcp ?? [];
  const loadingLabel = `loading ${config.openapi.map((c) => c.namespace ?? c.openapi).join(', ')}`;
  const [openapi, staticCatalogs] = await Promise.all([
    // MCP servers' names are taken first: a derived OpenAPI namespace gives way to them.
    progress.step(loadingLabel, () => loadOpenApiSources(config.openapi, { log, strict: config.strict ?? false, reserved: servers.map((s) => s.namespace) })),
    Promise.all((config.toolsJson ?? []).map((s) => loadStaticTools({ source: s.file, ...(s.namespace ? { namespace: s.namespace } : {}) }))).then((c) => c.flat()),
  ]);
  const catalogs = openapi.loaded.map((l) => l.catalog);
  if (config.openapi.length && !catalogs.length && !servers.length && !staticCatalogs.length) {
    throw new ConfigError(`no catalog could be loaded:\n${openapi.notes.map((n) => `  ${n.message}`).join('\n')}`);
  }
  // A static tool list named like an upstream stands in for it until the server lists its tools.
  const standIns = new Set(servers.map((s) => s.namespace));
  assertDistinctNamespaces([...catalogs, ...staticCatalogs.filter((c) => !standIns.has(c.namespace))], servers);
  let clients: McpSources['clients'] = () => [];
  const gateway = createGateway({ log, upstreams: () => clients(), frontsMcp: servers.length > 0 });
  const mcp = await openMcpSources({ servers, staticCatalogs, log, relay: gateway.relay, onChange: () => reindex(), ...(options.mcp ? { upstreamOptions: options.mcp } : {}) });
  clients = mcp.clients;
  const sources = new Map(openapi.loaded.map((l) => [l.catalog.namespace, l.config]));
  // One provider and vector cache for every (re)build of the index.
  const embeddings = resolveEmbeddings(config.embeddings, process.env, (message) => log.warn(message));
  const indexed = async (): Promise<Indexed> => {
    const all = [...catalogs, ...mcp.catalogs()];
    const tools = all.flatMap((c) => c.tools);
    const indexStarted = performance.now();
    const index = await buildSearchIndex(tools, embeddings);
    log.info({ tools: tools.length, ms: Math.round(performance.now() - indexStarted) }, 'search index built');
    return { catalogs: all, registry: createRegistry(tools), index };
  };
  let current = await progress.step('building the search index', indexed);
  let version = 0;
  // The index has no incremental update: rebuild it whole (a few hundred ms) once per burst of changes.
  let rebuilding: Promise<void> | undefined;
  let again = false;
  reindex = () => {
    if (rebuilding) {
      again = true;
      return;
    }
    rebuilding = (async () => {
      do {
        again = false;
        try {
          current = await indexed();
          version++;
        } catch (e) {
          log.error({ err: e }, 're-indexing after an upstream change failed; the previous index stays');
        }
      } while (again);
    })().finally(() => (rebuilding = undefined));
  };
  if (changedEarly) reindex();

  const schemesOf = (namespace: string) => catalogs.find((c) => c.namespace === namespace)?.securitySchemes ?? {};
  const executor = createHttpExecutor({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    catalog: (namespace) => {
      const source = sources.get(namespace);
      return {
        securitySchemes: schemesOf(namespace),
        ...(source?.credentials ? { credentials: source.credentials } : {}),
        ...(source?.server ? { server: source.server } : {}),
        limits: { ...config.limits, ...source?.limits },
        responses: source?.responses ?? config.responses ?? DEFAULT_RESPONSE_PROFILE,
      };
    },
  });
  const mcpExecutor = createMcpExecutor({ upstream: mcp.upstream, limits: config.limits });
  const authConfig = (namespace: string): CatalogAuth => ({ namespace, schemes: schemesOf(namespace), credentials: sources.get(namespace)?.credentials });
  // One line per catalog, so a missing token is seen at start-up rather than as a 401 in the model's context.
  for (const c of catalogs) {
    const auth = catalogAuthStatus(c.tools, authConfig(c.namespace), process.env);
    log[auth.state === 'missing' ? 'warn' : 'info']({ namespace: c.namespace, auth: auth.text }, `${c.namespace}: auth ${auth.text}`);
  }
  log.info({ catalogs: current.catalogs.length, tools: current.registry.byId.size, ms: Math.round(performance.now() - started) }, 'ready');

  return {
    get catalogs() {
      return current.catalogs;
    },
    get registry() {
      return current.registry;
    },
    notes: openapi.notes,
    version: () => version,
    gateway,
    secrets: () => configuredSecrets(config.openapi.map((source) => source.credentials), process.env),
    search: async (query, limit) => {
      const hits = await searchToolsAsync(current.index, query, limit, { onError: (e) => log.warn({ err: (e as Error).message }, 'query embedding failed: BM25 only for this query') });
      return hits.map((hit) => markUnavailable(hit.entry, mcp));
    },
    async call(entry, args, options) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return { ok: false, failure: { code: 'invalid_arguments', message: `arguments must be an object, got ${Array.isArray(args) ? 'an array' : typeof args}`, next: INVALID_ARGUMENTS_NEXT } };
      }
      // The executor validates against the tool's input schema before anything is sent.
      return (entry.binding.kind === 'mcp' ? mcpExecutor : executor).execute(entry, args as Record<string, unknown>, options);
    },
    needsOf: (entry, query) => needsOf(current.index.producers, entry.id, query ?? ''),
    authOf: (entry) => (entry.binding.kind === 'mcp' ? describeMcpAuth(entry, mcp) : toolAuthStatus(entry, authConfig(entry.namespace), process.env).text),
    close: (withinMs) => mcp.close(withinMs),
  };
}

interface Indexed {
  catalogs: Catalog[];
  registry: ToolRegistry;
  index: SearchIndex;
}

/** Search shows that a tool's upstream is down (its last listing stays indexed): `[unavailable] summary`. */
function markUnavailable(entry: ToolEntry, mcp: McpSources): ToolEntry {
  if (entry.binding.kind !== 'mcp' || mcp.status(entry.namespace)?.state !== 'unavailable') return entry;
  return { ...entry, summary: `[unavailable] ${entry.summary}` };
}

function describeMcpAuth(entry: ToolEntry, mcp: McpSources): string {
  const status = mcp.status(entry.namespace);
  if (!status) return 'none: loaded from a static tool list, its server is not connected (execution answers not_connected)';
  return status.state === 'unavailable' ? `handled by the upstream server (unavailable now: ${status.error ?? 'reconnecting'})` : 'handled by the upstream server';
}

function assertDistinctNamespaces(catalogs: Catalog[], servers: McpSourceConfig[]): void {
  const seen = new Map<string, string>();
  for (const c of catalogs) {
    const other = seen.get(c.namespace);
    if (other) throw new ConfigError(`two catalogs share the namespace "${c.namespace}" (${other} and ${c.source}): name one with --openapi NAME=${c.source}`);
    seen.set(c.namespace, c.source);
  }
  for (const s of servers) {
    const other = seen.get(s.namespace);
    if (other) throw new ConfigError(`the MCP server "${s.namespace}" and the catalog ${other} share a namespace: rename one`);
  }
}
