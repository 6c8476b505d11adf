// The loaded application: catalogs, the search index and the executors, shared (read-only) by every MCP
// session; rebuilt whole when an upstream MCP server's tools change. startToolshed answers at once and
// loads in the background (answer first, load after): `ready` settles when everything is indexed. The
// loading code (parsers, search, executors) is imported behind it, so none of it delays `initialize`.
import type { Catalog } from './catalog/load-openapi.js';
import type { CatalogNote } from './catalog/load-sources.js';
import type { ToolEntry } from './catalog/tool-entry.js';
import type { ToolshedConfig } from './config.js';
import { configuredSecrets } from './exec/credential-exposure.js';
import type { ExecOptions, ExecResult } from './exec/executor.js';
import type { McpSources, McpSourcesOptions } from './exec/mcp-sources.js';
import { createRequire } from 'node:module';
import type { Gateway } from './gateway/gateway.js';
import type { Logger } from './log.js';
import type { Progress } from './progress.js';
import type { Need } from './search/producer-graph.js';
import { createRegistry, type ToolRegistry } from './server/resolve-name.js';
import type { LoadHooks, Loaded } from './toolshed-load.js';

export interface Toolshed {
  /** Settles once every catalog is loaded and indexed; rejects with the load error (nothing is served then). */
  readonly ready: Promise<void>;
  /** Where loading stands: steps done of the total (one per source, one for the index) and the last one. */
  loadState(): LoadState;
  /** Hears each loading step as it completes; returns the unsubscribe. */
  onLoadStep(listener: (state: LoadState) => void): () => void;
  /** Current catalogs (empty until ready); MCP upstreams' change when their tools do (read them per use, do not keep them). */
  readonly catalogs: Catalog[];
  readonly registry: ToolRegistry;
  /** Sources that failed to load or loaded with warnings (empty when every source loaded cleanly). */
  readonly notes: CatalogNote[];
  /** Changes whenever the tool set does (an upstream's tools/list_changed, a reconnect): cached declarations are stale. */
  version(): number;
  /** Hybrid (BM25 + embeddings) by default; BM25 alone when embeddings are off or their provider fails. Waits for ready. */
  search(query: string, limit: number): Promise<ToolEntry[]>;
  /** What the tool needs that another tool produces (the producer graph); with `query`, minus what it gives. None until ready. */
  needsOf(entry: ToolEntry, query?: string): Need[];
  /** Validates the arguments, then calls the operation: the one path for execute_tool and run_code. Waits for ready. */
  call(entry: ToolEntry, args: unknown, options?: ExecOptions): Promise<ExecResult>;
  /** How the tool authenticates, for describe_tools: what it needs and whether it is configured. */
  authOf(entry: ToolEntry): string;
  /** Upstream MCP servers' requests, logs, resources and prompts, passed to the sessions' clients. */
  readonly gateway: Gateway;
  /** Every configured secret's value (read now), for redaction beyond a single response. */
  secrets(): string[];
  /** Loads what the first tool call needs (the executors) ahead of it; a server calls it once ready. */
  warm(): Promise<void>;
  /**
   * A value computed from the current tool set (plain data: Maps, arrays, objects), read back from the
   * disk cache when the catalogs are the ones it was built from, else built and stored. Waits for ready.
   */
  derived<T>(kind: string, build: () => T): Promise<T>;
  /** Stops upstream MCP servers (child processes, retry timers); those still running after `withinMs` are killed. */
  close(withinMs?: number): Promise<void>;
}

// The gateway module brings the MCP SDK's schemas (~120 ms of imports). A server reads `gateway` at once,
// when its first session is created; `toolshed search` never does. Node 24 loads an ES module
// synchronously through require (the same instance `import` gives), so it is loaded on first use.
const requireModule = createRequire(import.meta.url);
const gatewayModule = () => requireModule('./gateway/gateway.js') as typeof import('./gateway/gateway.js');

export interface LoadState {
  state: 'loading' | 'ready' | 'failed';
  done: number;
  total: number;
  /** The last completed step (`loaded github: 1,223 operations`), or the failure. */
  message: string;
  /** Since the start of loading. */
  ms: number;
}

export interface OpenToolshedOptions {
  /** Upstream connection tuning (connect timeout, backoff); tests shorten it. */
  mcp?: McpSourcesOptions['upstreamOptions'];
  /** The HTTP executor's fetch (metrics and traces wrap it); default: the global fetch. */
  fetch?: typeof fetch;
  /** Progress lines for the slow steps (loading, indexing); none by default. */
  progress?: Progress;
}

/** Loads everything, then resolves: for callers that need the catalogs before anything else (search, bench). */
export async function openToolshed(config: ToolshedConfig, log: Logger, options: OpenToolshedOptions = {}): Promise<Toolshed> {
  const toolshed = startToolshed(config, log, options);
  await toolshed.ready;
  return toolshed;
}

/** Answers at once; catalogs load and index in the background (see `ready`, `loadState`). */
export function startToolshed(config: ToolshedConfig, log: Logger, options: OpenToolshedOptions = {}): Toolshed {
  const started = performance.now();
  const total = config.openapi.length + (config.toolsJson?.length ?? 0) + (config.mcp?.length ? 1 : 0) + 1;
  let state: LoadState = { state: 'loading', done: 0, total, message: 'starting', ms: 0 };
  const listeners = new Set<(state: LoadState) => void>();
  const step = (message: string, outcome: LoadState['state'] = 'loading') => {
    state = { state: outcome, done: outcome === 'failed' ? state.done : state.done + 1, total, message, ms: Math.round(performance.now() - started) };
    for (const listener of listeners) listener(state);
  };
  let closing = false;
  let loaded: Loaded | undefined;
  // Sessions are served before anything loads, so the gateway exists from the start; it reaches the
  // upstream MCP servers once they are connected.
  let clients: McpSources['clients'] = () => [];
  let gateway: Gateway | undefined;
  const gatewayOf = () => (gateway ??= gatewayModule().createGateway({ log, upstreams: () => clients(), frontsMcp: (config.mcp ?? []).length > 0 }));
  const hooks: LoadHooks = { step, closing: () => closing, gateway: gatewayOf, setClients: (c) => (clients = c) };
  const ready = import('./toolshed-load.js')
    .then(({ loadToolshed }) => loadToolshed(config, log, options, hooks))
    .then(
    (l) => {
      loaded = l;
      step(`indexed ${l.registry().byId.size} tools`, 'ready');
      log.info({ catalogs: l.catalogs().length, tools: l.registry().byId.size, ms: state.ms }, 'ready');
    },
    (e: unknown) => {
      step(`loading failed: ${(e as Error).message}`, 'failed');
      throw e;
    },
  );
  ready.catch(() => undefined); // the owner awaits `ready` and reports the error; no unhandled rejection here
  const whenLoaded = async () => {
    await ready;
    return loaded!;
  };

  return {
    ready,
    get gateway() {
      return gatewayOf();
    },
    loadState: () => state,
    onLoadStep(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get catalogs() {
      return loaded?.catalogs() ?? [];
    },
    get registry() {
      return loaded?.registry() ?? EMPTY_REGISTRY;
    },
    get notes() {
      return loaded?.notes ?? [];
    },
    version: () => (loaded ? loaded.version() + 1 : 0),
    // From the configuration alone: redaction works from the first call, loaded or not.
    secrets: () => configuredSecrets(config.openapi.map((source) => source.credentials), process.env),
    search: async (query, limit) => (await whenLoaded()).search(query, limit),
    needsOf: (entry, query) => loaded?.needsOf(entry, query) ?? [],
    call: async (entry, args, callOptions) => (await whenLoaded()).call(entry, args, callOptions),
    authOf: (entry) => loaded?.authOf(entry) ?? 'unknown until the catalogs are loaded',
    warm: async () => (await whenLoaded()).warm(),
    derived: async (kind, build) => (await whenLoaded()).derived(kind, build),
    async close(withinMs) {
      closing = true;
      // A load still under way stops its upstream servers itself once it sees `closing`.
      await loaded?.close(withinMs);
    },
  };
}

const EMPTY_REGISTRY: ToolRegistry = createRegistry([]);
