// What startToolshed runs in the background: the catalogs (from the disk cache when unchanged), the
// upstream MCP servers, the search index and the executors. Imported dynamically by toolshed.ts.
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cacheKey, createDiskCache, defaultCacheDir, type DiskCache } from './cache/disk-cache.js';
import { digestOf, loadCatalogCached } from './catalog/cached-catalog.js';
import type { Catalog } from './catalog/load-openapi.js';
import { loadOpenApiSources } from './catalog/load-sources.js';
import type { ToolEntry } from './catalog/tool-entry.js';
import { loadStaticTools } from './catalog/static-tools.js';
import type { McpSourceConfig } from './config-types.js';
import type { ToolshedConfig } from './config.js';
import { catalogAuthStatus, toolAuthStatus, type CatalogAuth } from './exec/auth-status.js';
import { DEFAULT_RESPONSE_PROFILE } from './exec/lean-response.js';
import type { McpSources } from './exec/mcp-sources.js';
import { ConfigError, INVALID_ARGUMENTS_NEXT } from './errors.js';
import type { Gateway } from './gateway/gateway.js';
import type { Logger } from './log.js';
import { NO_PROGRESS } from './progress.js';
import { resolveEmbeddings } from './search/embeddings-choice.js';
import { needsOf } from './search/plans.js';
import { decodeIndexParts, encodeIndexParts, INDEX_CACHE_KIND, indexCacheKey } from './search/index-cache.js';
import { buildSearchIndex, searchToolsAsync, type SearchIndex } from './search/search-index.js';
import { createRegistry, type ToolRegistry } from './server/resolve-name.js';
import type { OpenToolshedOptions, Toolshed } from './toolshed.js';

/** What a finished load holds; the Toolshed delegates to it. */
export interface Loaded extends Pick<Toolshed, 'search' | 'needsOf' | 'call' | 'authOf' | 'warm' | 'derived' | 'close' | 'version' | 'notes'> {
  catalogs(): Catalog[];
  registry(): ToolRegistry;
}

/** How a load reports back to the Toolshed that runs it. */
export interface LoadHooks {
  step(message: string): void;
  closing(): boolean;
  /** Made on first use: only upstream MCP sources need it during a load. */
  gateway(): Gateway;
  setClients(clients: McpSources['clients']): void;
}

export async function loadToolshed(config: ToolshedConfig, log: Logger, options: OpenToolshedOptions, hooks: LoadHooks): Promise<Loaded> {
  const { step, closing, gateway, setClients } = hooks;
  const progress = options.progress ?? NO_PROGRESS;
  let changedEarly = false;
  let reindex = (): void => void (changedEarly = true); // replaced below, once there is an index to replace
  const cache = createDiskCache({ dir: config.cacheDir ?? defaultCacheDir(), warn: (message) => log.warn(message) });
  const servers = config.mcp ?? [];
  const loadingLabel = `loading ${config.openapi.map((c) => c.namespace ?? c.openapi).join(', ')}`;
  const [openapi, staticCatalogs] = await Promise.all([
    // MCP servers' names are taken first: a derived OpenAPI namespace gives way to them.
    progress.step(loadingLabel, () =>
      loadOpenApiSources(config.openapi, {
        log,
        strict: config.strict ?? false,
        reserved: servers.map((s) => s.namespace),
        load: (source) => loadCatalogCached(source, cache, () => log.info({ source: source.source }, 'catalog read from the cache')),
        onSettled: (source, catalog) => step(catalog ? `loaded ${catalog.namespace}: ${catalog.tools.length} operations` : `could not load ${source.openapi}`),
      }),
    ),
    Promise.all(
      (config.toolsJson ?? []).map(async (s) => {
        const loadedTools = await loadStaticTools({ source: s.file, ...(s.namespace ? { namespace: s.namespace } : {}) });
        step(`loaded ${s.file}`);
        return loadedTools;
      }),
    ).then((c) => c.flat()),
  ]);
  const catalogs = openapi.loaded.map((l) => l.catalog);
  if (config.openapi.length && !catalogs.length && !servers.length && !staticCatalogs.length) {
    throw new ConfigError(`no catalog could be loaded:\n${openapi.notes.map((n) => `  ${n.message}`).join('\n')}`);
  }
  // A static tool list named like an upstream stands in for it until the server lists its tools.
  const standIns = new Set(servers.map((s) => s.namespace));
  assertDistinctNamespaces([...catalogs, ...staticCatalogs.filter((c) => !standIns.has(c.namespace))], servers);
  // The MCP client is imported only when there is an upstream server or a static tool list to serve.
  const mcp =
    servers.length || staticCatalogs.length
      ? await (await import('./exec/mcp-sources.js')).openMcpSources({ servers, staticCatalogs, log, relay: gateway().relay, onChange: () => reindex(), ...(options.mcp ? { upstreamOptions: options.mcp } : {}) })
      : NO_MCP_SOURCES;
  setClients(mcp.clients);
  if (closing()) {
    await mcp.close();
    throw new Error('closed while loading');
  }
  if (servers.length) step(`started ${servers.length} upstream MCP server(s)`);
  const sources = new Map(openapi.loaded.map((l) => [l.catalog.namespace, l.config]));
  // One provider and vector cache for every (re)build of the index.
  const embeddings = resolveEmbeddings(embeddingsWithCache(config), process.env, (message) => log.warn(message));
  const indexed = async (): Promise<Indexed> => {
    const all = [...catalogs, ...mcp.catalogs()];
    const tools = all.flatMap((c) => c.tools);
    const indexStarted = performance.now();
    // An OpenAPI catalog without a digest (a URL, a document with external refs) gives the index no stable key.
    const index = await buildIndexCached(tools, all, embeddings, catalogs.every((c) => digestOf(c)) ? cache : undefined);
    log.info({ tools: tools.length, cached: index.cached, ms: Math.round(performance.now() - indexStarted) }, 'search index built');
    return { catalogs: all, registry: createRegistry(tools), index: index.index };
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
  // The executors (the request builder with ajv and qs, the MCP client) are imported on the first call:
  // `toolshed search` never makes one, and a server warms them once ready (`warm`).
  const makeExecutors = async () => {
    const [{ createHttpExecutor }, { createMcpExecutor }] = await Promise.all([import('./exec/http-executor.js'), import('./exec/mcp-executor.js')]);
    const http = createHttpExecutor({
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
    return { http, mcp: createMcpExecutor({ upstream: mcp.upstream, limits: config.limits }) };
  };
  let executors: ReturnType<typeof makeExecutors> | undefined;
  const executorsReady = () => (executors ??= makeExecutors());
  const authConfig = (namespace: string): CatalogAuth => ({ namespace, schemes: schemesOf(namespace), credentials: sources.get(namespace)?.credentials });
  // One line per catalog, so a missing token is seen at start-up rather than as a 401 in the model's context.
  for (const c of catalogs) {
    const auth = catalogAuthStatus(c.tools, authConfig(c.namespace), process.env);
    log[auth.state === 'missing' ? 'warn' : 'info']({ namespace: c.namespace, auth: auth.text }, `${c.namespace}: auth ${auth.text}`);
  }

  return {
    catalogs: () => current.catalogs,
    registry: () => current.registry,
    notes: openapi.notes,
    version: () => version,
    search: async (query, limit) => {
      const hits = await searchToolsAsync(current.index, query, limit, { onError: (e) => log.warn({ err: (e as Error).message }, 'query embedding failed: BM25 only for this query') });
      return hits.map((hit) => markUnavailable(hit.entry, mcp));
    },
    async call(entry, args, options) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return { ok: false, failure: { code: 'invalid_arguments', message: `arguments must be an object, got ${Array.isArray(args) ? 'an array' : typeof args}`, next: INVALID_ARGUMENTS_NEXT } };
      }
      // The executor validates against the tool's input schema before anything is sent.
      const { http, mcp: upstreams } = await executorsReady();
      return (entry.binding.kind === 'mcp' ? upstreams : http).execute(entry, args as Record<string, unknown>, options);
    },
    warm: async () => void (await executorsReady()),
    async derived(kind, build) {
      const { catalogs: all } = current;
      // Only where every catalog's content is known (as for the index): otherwise built every time.
      if (!cache.dir || !catalogs.every((c) => digestOf(c))) return build();
      const key = cacheKey('derived-v1', kind, ...contentDigests(all));
      const hit = await cache.get(kind, key);
      if (hit) {
        try {
          return deserialize(hit) as ReturnType<typeof build>;
        } catch {
          // unreadable: rebuilt and rewritten below
        }
      }
      const value = build();
      await cache.put(kind, key, serialize(value));
      return value;
    },
    needsOf: (entry, query) => needsOf(current.index.producers, entry.id, query ?? ''),
    authOf: (entry) => (entry.binding.kind === 'mcp' ? describeMcpAuth(entry, mcp) : toolAuthStatus(entry, authConfig(entry.namespace), process.env).text),
    close: (withinMs) => mcp.close(withinMs),
  };
}

/** The index from the disk cache when the catalogs and the embedding provider are those it was built for. */
async function buildIndexCached(tools: ToolEntry[], catalogs: Catalog[], embeddings: ReturnType<typeof resolveEmbeddings>, cache: DiskCache | undefined): Promise<{ index: SearchIndex; cached: boolean }> {
  if (!cache?.dir) return { index: await buildSearchIndex(tools, embeddings), cached: false };
  // Upstream MCP and static catalogs have no document digest: their tools (parsed JSON, so serialized alike
  // every time) are the content.
  const key = indexCacheKey(contentDigests(catalogs), embeddings.embeddings?.id ?? 'bm25');
  const hit = await cache.get(INDEX_CACHE_KIND, key);
  const prebuilt = hit ? decodeIndexParts(hit, tools.length) : undefined;
  if (prebuilt && (prebuilt.vectors !== undefined) === (embeddings.embeddings !== undefined)) return { index: await buildSearchIndex(tools, { ...embeddings, prebuilt }), cached: true };
  const index = await buildSearchIndex(tools, embeddings);
  await cache.put(INDEX_CACHE_KIND, key, encodeIndexParts(index));
  return { index, cached: false };
}

/** What the catalogs hold, one entry each: the document's digest, or (MCP and static lists) the tools themselves. */
function contentDigests(catalogs: readonly Catalog[]): string[] {
  return catalogs.map((c) => `${c.namespace}:${digestOf(c) ?? cacheKey(serialize(c.tools))}`);
}

/** Tool vectors live in the cache folder too (`vectors/`), and --no-cache keeps them off disk. */
function embeddingsWithCache(config: ToolshedConfig): ToolshedConfig['embeddings'] {
  if (config.cacheDir === undefined || config.embeddings?.cacheDir !== undefined) return config.embeddings;
  return { ...config.embeddings, cacheDir: config.cacheDir === false ? false : join(config.cacheDir, 'vectors') };
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

/** No upstream servers and no static tool lists: nothing to connect, nothing to close. */
const NO_MCP_SOURCES: McpSources = { catalogs: () => [], upstream: () => undefined, status: () => undefined, clients: () => [], close: async () => undefined };

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
