// Server-to-client requests from an upstream (sampling, elicitation, roots), relayed to the client of the
// session that made the call, with the upstream named. toolshed declares these capabilities to every
// upstream (its connections are shared and outlive sessions) and refuses, with a reason the upstream
// passes on, a request whose client lacks the capability.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  McpError,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { Caller } from './caller.js';
import type { SessionRegistry } from './sessions.js';

/** What toolshed declares to its upstreams: all it can relay. */
export const RELAYED_CLIENT_CAPABILITIES: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };

/** `_meta` key naming the upstream on every relayed request. */
export const UPSTREAM_META_KEY = 'io.toolshed/upstream';

type Kind = 'sampling' | 'elicitation' | 'roots';

export function relayClientRequests(client: Client, upstream: string, sessions: SessionRegistry): void {
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
    relay(upstream, 'sampling', sessions, extra.signal, (caller, signal) =>
      caller.request({ method: request.method, params: named(request.params, upstream) }, CreateMessageResultSchema, { signal, timeout: RELAY_TIMEOUT_MS }),
    ),
  );
  client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
    relay(upstream, 'elicitation', sessions, extra.signal, (caller, signal) =>
      // The person answering sees which server asks: the message says so.
      caller.request({ method: request.method, params: { ...named(request.params, upstream), message: `[${upstream}] ${request.params.message}` } }, ElicitResultSchema, { signal, timeout: RELAY_TIMEOUT_MS }),
    ),
  );
  client.setRequestHandler(ListRootsRequestSchema, (request, extra) =>
    relay(upstream, 'roots', sessions, extra.signal, (caller, signal) => caller.request({ method: request.method, params: request.params }, ListRootsResultSchema, { signal, timeout: RELAY_TIMEOUT_MS })),
  );
}

/** A relayed request waits this long for the client (a person may be answering); the call's clock is paused. */
export const RELAY_TIMEOUT_MS = 10 * 60_000;

async function relay<T>(upstream: string, kind: Kind, sessions: SessionRegistry, upstreamSignal: AbortSignal, send: (caller: Caller, signal: AbortSignal) => Promise<T>): Promise<T> {
  // Roots describe the client, not a call: with a single client they are relayed at any time.
  const target = sessions.target(upstream, { anySession: kind === 'roots' });
  if ('error' in target) throw new McpError(ErrorCode.InvalidRequest, `toolshed cannot relay ${kind}: ${target.error}`);
  const capabilities = target.caller.server.getClientCapabilities();
  if (!capabilities?.[kind]) {
    target.call?.missing.add(kind);
    throw new McpError(ErrorCode.InvalidRequest, `the client connected to toolshed does not support ${kind}`);
  }
  const resume = target.call?.deadline?.pause();
  try {
    // Either side may give up: the upstream cancels its request, or the call ends (cancelled, run stopped).
    const signals = [upstreamSignal, ...(target.call?.signal ? [target.call.signal] : [])];
    return await send(target.caller, AbortSignal.any(signals));
  } finally {
    resume?.();
  }
}

function named<P extends { _meta?: Record<string, unknown> }>(params: P, upstream: string): P {
  return { ...params, _meta: { ...params._meta, [UPSTREAM_META_KEY]: upstream } };
}
