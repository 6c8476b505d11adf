// Upstream resources (list, templates, read, subscribe) and prompts (list, get, complete) served by
// toolshed under each upstream's namespace (see namespaced-uri.ts), with list_changed and updated
// notifications passed on. A URI or prompt name in the upstream's own form is accepted too, and tried on
// each upstream in configuration order (the first that has it answers): clients written against one
// server keep working when it moves behind toolshed.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ReadResourceRequestSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log.js';
import { namespacedName, namespacedUri, parseNamespacedName, parseNamespacedUri } from './namespaced-uri.js';
import type { SessionRegistry } from './sessions.js';

/** Pages read from one upstream's list before the rest is left out (a server that never stops paginating). */
export const UPSTREAM_MAX_LIST_PAGES = 20;

/** What toolshed declares to its clients when it fronts upstream MCP servers. */
export const PASS_THROUGH_CAPABILITIES: ServerCapabilities = { resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, completions: {} };

interface Upstream {
  namespace: string;
  client: Client;
}

export interface ResourcesAndPrompts {
  serve(server: Server): void;
  bind(client: Client, upstream: string): void;
}

export function createResourcesAndPrompts(options: { sessions: SessionRegistry; log: Logger; upstreams(): Upstream[] }): ResourcesAndPrompts {
  const { sessions, log } = options;
  const having = (capability: 'resources' | 'prompts' | 'completions') => options.upstreams().filter((u) => u.client.getServerCapabilities()?.[capability]);
  // Subscriptions: namespaced URI -> the sessions subscribed, each with the form it subscribed with.
  const subscribers = new Map<string, Map<Server, string>>();

  /** Every page of every upstream's list, each item namespaced; an upstream that fails is left out (and logged). */
  async function listEverywhere<T>(capability: 'resources' | 'prompts', page: (u: Upstream, cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<T[]> {
    const lists = await Promise.all(
      having(capability).map(async (u) => {
        const out: T[] = [];
        try {
          let cursor: string | undefined;
          for (let i = 0; i < UPSTREAM_MAX_LIST_PAGES; i++) {
            const { items, nextCursor } = await page(u, cursor);
            out.push(...items);
            if (!(cursor = nextCursor)) break;
          }
        } catch (e) {
          log.warn({ upstream: u.namespace, error: (e as Error).message }, 'upstream list failed; its items are left out');
        }
        return out;
      }),
    );
    return lists.flat();
  }
  const cursorParams = (cursor: string | undefined) => (cursor ? { cursor } : undefined);

  /** Runs `op` on the upstream a URI or name names, or tries each candidate in turn for an original one. */
  async function onUpstream<T>(candidates: Upstream[], parsed: { namespace: string } | undefined, what: string, op: (u: Upstream) => Promise<T>): Promise<T> {
    if (parsed) {
      const u = candidates.find((c) => c.namespace === parsed.namespace);
      if (!u) throw new McpError(ErrorCode.InvalidParams, `${what}: upstream "${parsed.namespace}" is not connected or does not offer this`);
      return op(u);
    }
    let last: unknown;
    for (const u of candidates) {
      try {
        return await op(u);
      } catch (e) {
        last = e;
      }
    }
    throw new McpError(ErrorCode.InvalidParams, `${what}: no connected upstream has it${last instanceof Error ? ` (${last.message})` : ''}`);
  }

  const uriTarget = (uri: string) => parseNamespacedUri(uri);
  const nameTarget = (name: string) => parseNamespacedName(name, new Set(options.upstreams().map((u) => u.namespace)));

  return {
    serve(server) {
      server.setRequestHandler(ListResourcesRequestSchema, async () => {
        const resources = await listEverywhere('resources', async (u, cursor) => {
          const r = await u.client.listResources(cursorParams(cursor));
          return { items: r.resources.map((x) => ({ ...x, uri: namespacedUri(u.namespace, x.uri) })), nextCursor: r.nextCursor };
        });
        return { resources };
      });
      server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
        const resourceTemplates = await listEverywhere('resources', async (u, cursor) => {
          const r = await u.client.listResourceTemplates(cursorParams(cursor));
          return { items: r.resourceTemplates.map((x) => ({ ...x, uriTemplate: namespacedUri(u.namespace, x.uriTemplate) })), nextCursor: r.nextCursor };
        });
        return { resourceTemplates };
      });
      server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
        const target = uriTarget(request.params.uri);
        return onUpstream(having('resources'), target, `resource ${request.params.uri}`, async (u) => {
          const result = await u.client.readResource({ uri: target?.uri ?? request.params.uri });
          // Contents name the URI the client asked with.
          return target ? { ...result, contents: result.contents.map((c) => ({ ...c, uri: namespacedUri(u.namespace, c.uri) })) } : result;
        });
      });
      server.setRequestHandler(SubscribeRequestSchema, async (request) => {
        const asked = request.params.uri;
        const target = uriTarget(asked);
        await onUpstream(having('resources').filter((u) => u.client.getServerCapabilities()?.resources?.subscribe), target, `subscribe ${asked}`, async (u) => {
          const own = target?.uri ?? asked;
          const key = namespacedUri(u.namespace, own);
          let subs = subscribers.get(key);
          if (!subs) subscribers.set(key, (subs = new Map()));
          if (subs.size === 0) await u.client.subscribeResource({ uri: own });
          subs.set(server, asked);
        });
        return {};
      });
      server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
        const asked = request.params.uri;
        const target = uriTarget(asked);
        for (const u of having('resources')) {
          if (target && u.namespace !== target.namespace) continue;
          const own = target?.uri ?? asked;
          const key = namespacedUri(u.namespace, own);
          const subs = subscribers.get(key);
          if (!subs?.delete(server)) continue;
          if (subs.size === 0) {
            subscribers.delete(key);
            await u.client.unsubscribeResource({ uri: own }).catch(() => undefined);
          }
        }
        return {};
      });
      server.setRequestHandler(ListPromptsRequestSchema, async () => {
        const prompts = await listEverywhere('prompts', async (u, cursor) => {
          const r = await u.client.listPrompts(cursorParams(cursor));
          return { items: r.prompts.map((p) => ({ ...p, name: namespacedName(u.namespace, p.name) })), nextCursor: r.nextCursor };
        });
        return { prompts };
      });
      server.setRequestHandler(GetPromptRequestSchema, async (request) => {
        const target = nameTarget(request.params.name);
        return onUpstream(having('prompts'), target, `prompt ${request.params.name}`, (u) => u.client.getPrompt({ ...request.params, name: target?.name ?? request.params.name }));
      });
      server.setRequestHandler(CompleteRequestSchema, async (request) => {
        const ref = request.params.ref;
        if (ref.type === 'ref/prompt') {
          const target = nameTarget(ref.name);
          return onUpstream(having('completions'), target, `completion for prompt ${ref.name}`, (u) => u.client.complete({ ...request.params, ref: { ...ref, name: target?.name ?? ref.name } }));
        }
        const target = uriTarget(ref.uri);
        return onUpstream(having('completions'), target, `completion for ${ref.uri}`, (u) => u.client.complete({ ...request.params, ref: { ...ref, uri: target?.uri ?? ref.uri } }));
      });
    },
    bind(client, upstream) {
      client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
        for (const s of sessions.sessions()) void s.sendResourceListChanged().catch(() => undefined);
      });
      client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
        for (const s of sessions.sessions()) void s.sendPromptListChanged().catch(() => undefined);
      });
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        const subs = subscribers.get(namespacedUri(upstream, notification.params.uri));
        for (const [server, asked] of subs ?? []) {
          if (!server.transport) subs?.delete(server);
          else void server.sendResourceUpdated({ ...notification.params, uri: asked }).catch(() => undefined);
        }
      });
    },
  };
}
