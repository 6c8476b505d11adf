// All upstream MCP sources of one toolshed: the live upstreams (connected in parallel at start-up) and
// the static tool files. Each namespace's catalog is the upstream's latest listing, or, until it has
// one, a static file of the same namespace (so a server that cannot start yet is still searchable).
import type { Catalog } from '../catalog/load-openapi.js';
import { mcpToolsToEntries } from '../catalog/mcp-tools.js';
import type { McpSourceConfig } from '../config-types.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createMcpUpstream, type McpUpstream, type McpUpstreamOptions, type UpstreamRelay, type UpstreamStatus } from './mcp-upstream.js';

export interface McpSources {
  /** Current catalogs: one per live upstream that has tools (or a static stand-in), plus static-only ones. */
  catalogs(): Catalog[];
  /** The live upstream of a namespace; undefined for static-only namespaces. */
  upstream(namespace: string): McpUpstream | undefined;
  status(namespace: string): UpstreamStatus | undefined;
  /** The connected upstreams' clients, in configuration order (resources, prompts, logging pass through them). */
  clients(): Array<{ namespace: string; client: Client }>;
  /** Stops every upstream, killing processes still running after `withinMs` (see McpUpstream.close). */
  close(withinMs?: number): Promise<void>;
}

export interface McpSourcesOptions {
  servers: McpSourceConfig[];
  /** Catalogs from static tool files; one whose namespace matches a server stands in for it until it lists tools. */
  staticCatalogs: Catalog[];
  log: Logger;
  /** A namespace's tools changed after start-up (list_changed, reconnect): re-index. */
  onChange(namespace: string): void;
  /** Passed to every upstream (connect timeout, backoff; tests shorten them). */
  upstreamOptions?: Partial<Pick<McpUpstreamOptions, 'connectTimeoutMs' | 'retryInitialMs' | 'retryMaxMs' | 'callWaitMs' | 'env'>>;
  /** The gateway to toolshed's clients (relayed requests, logs, resources, prompts). */
  relay?: UpstreamRelay;
}

/** Connects every upstream in parallel; resolves once each has connected or failed its first attempt. */
export async function openMcpSources(options: McpSourcesOptions): Promise<McpSources> {
  const { log } = options;
  const live = new Map<string, Catalog>();
  const upstreams = new Map<string, McpUpstream>();
  let started = false;
  for (const source of options.servers) {
    if (upstreams.has(source.namespace)) throw new ConfigError(`two MCP servers share the namespace "${source.namespace}": rename one`);
    const label = 'url' in source.server ? source.server.url : source.server.command;
    upstreams.set(
      source.namespace,
      createMcpUpstream({
        ...options.upstreamOptions,
        ...(options.relay ? { relay: options.relay } : {}),
        name: source.namespace,
        server: source.server,
        log,
        onTools(tools) {
          live.set(source.namespace, {
            namespace: source.namespace,
            title: source.namespace,
            source: label,
            // The namespace is searchable: "memory", "filesystem" find their server's tools.
            tools: mcpToolsToEntries({ namespace: source.namespace, tools, tags: [source.namespace] }),
            securitySchemes: {},
          });
          if (started) options.onChange(source.namespace);
        },
      }),
    );
  }
  const startedAt = performance.now();
  await Promise.all([...upstreams.values()].map((u) => u.start()));
  started = true;
  const down = [...upstreams.values()].filter((u) => u.status().state !== 'ready');
  if (upstreams.size) {
    log.info({ upstreams: upstreams.size, unavailable: down.map((u) => u.name), ms: Math.round(performance.now() - startedAt) }, 'upstream MCP servers started');
  }

  return {
    catalogs() {
      const out: Catalog[] = [];
      for (const c of options.staticCatalogs) if (!live.has(c.namespace)) out.push(c);
      for (const [namespace, c] of live) if (upstreams.has(namespace)) out.push(c);
      return out;
    },
    upstream: (namespace) => upstreams.get(namespace),
    status: (namespace) => upstreams.get(namespace)?.status(),
    clients: () => [...upstreams].flatMap(([namespace, u]) => {
      const client = u.client();
      return client ? [{ namespace, client }] : [];
    }),
    async close(withinMs) {
      await Promise.all([...upstreams.values()].map((u) => u.close(withinMs)));
    },
  };
}
