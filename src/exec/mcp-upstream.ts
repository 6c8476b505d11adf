// One upstream MCP server behind toolshed: connect (with a timeout), list every page of its tools,
// re-list on `notifications/tools/list_changed`, and reconnect with backoff when it fails or exits
// (a stdio server is restarted). Calls made while it restarts wait briefly for it; calls in flight
// when it dies get a clear error. Outcomes are values: nothing here throws at the caller.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema, type CallToolResult, type ClientCapabilities, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config-types.js';
import type { ToolFailure } from '../errors.js';
import type { Logger } from '../log.js';
import type { Caller } from '../gateway/caller.js';
import { createCallDeadline, type CallDeadline } from '../gateway/call-deadline.js';
import type { TrackedCall } from '../gateway/sessions.js';
import { cancelledFailure, errorText, upstreamCallFailure } from './mcp-failures.js';
import { createUpstreamTransport } from './mcp-transport.js';

/** Start-up waits at most this long per upstream (connect + initialize + listing); `npx -y` downloads count. */
export const MCP_CONNECT_TIMEOUT_MS = 20_000;
export const MCP_RETRY_INITIAL_MS = 500;
export const MCP_RETRY_MAX_MS = 60_000;
/** A connection that lasted this long resets the backoff: a server that crashes at once is not hammered. */
export const MCP_BACKOFF_RESET_MS = 30_000;
/** A call arriving while the upstream restarts waits for the restart when it is due within this. */
export const MCP_CALL_WAIT_MS = 5_000;
/** Pages of tools/list read before giving up on a server that never stops paginating. */
export const MCP_MAX_LIST_PAGES = 100;

export type UpstreamState = 'connecting' | 'ready' | 'unavailable' | 'closed';

export interface UpstreamStatus {
  state: UpstreamState;
  /** Why it is unavailable (the last connect error or how it went away). */
  error?: string;
  /** When the next attempt runs (epoch ms), while unavailable. */
  retryAt?: number;
}

export interface UpstreamCallOptions {
  signal?: AbortSignal;
  /** The call's clock: restarted by progress, paused while the client answers a relayed request. */
  timeoutMs: number;
  onProgress?(progress: number, total?: number, message?: string): void;
  /** The client of the session making the call: the upstream's requests during it are relayed there. */
  caller?: Caller;
}

/** How an upstream reaches toolshed's clients (the gateway): declared capabilities, handlers, call tracking. */
export interface UpstreamRelay {
  capabilities: ClientCapabilities;
  /** Installs request and notification handlers on a new connection, before it connects. */
  bind(client: Client, upstream: string): void;
  /** After each (re)connection. */
  connected?(client: Client, upstream: string): void;
  track(upstream: string, caller: Caller, deadline: CallDeadline, signal: AbortSignal): { call: TrackedCall; release(): void };
}

/** setTimeout's ceiling: the SDK's own timeout is set out of the way of the call's deadline. */
const NO_SDK_TIMEOUT_MS = 2 ** 31 - 1;

export type UpstreamCallOutcome = { ok: true; result: CallToolResult } | { ok: false; failure: ToolFailure };

export interface McpUpstreamOptions {
  /** The namespace: used in logs and messages. */
  name: string;
  server: McpServerConfig;
  log: Logger;
  /** After every full listing: at start, after each reconnect, on list_changed. */
  onTools(tools: Tool[]): void;
  env?: NodeJS.ProcessEnv;
  connectTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  callWaitMs?: number;
  clientInfo?: { name: string; version: string };
  relay?: UpstreamRelay;
}

export interface McpUpstream {
  readonly name: string;
  status(): UpstreamStatus;
  /** Incremented on every listing; executors recompile argument validators when it moves. */
  toolsVersion(): number;
  /** The connected client (for resources, prompts, logging), undefined while not ready. */
  client(): Client | undefined;
  /** The first attempt (connect + list); settles either way, never rejects. */
  start(): Promise<void>;
  callTool(upstreamName: string, args: Record<string, unknown>, options: UpstreamCallOptions): Promise<UpstreamCallOutcome>;
  /** Ends the connection; a process still running after `withinMs` (default: the SDK's own ~4 s sequence) is killed. */
  close(withinMs?: number): Promise<void>;
}

export function createMcpUpstream(options: McpUpstreamOptions): McpUpstream {
  const { name, log } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? MCP_CONNECT_TIMEOUT_MS;
  const retryInitialMs = options.retryInitialMs ?? MCP_RETRY_INITIAL_MS;
  const retryMaxMs = options.retryMaxMs ?? MCP_RETRY_MAX_MS;
  const callWaitMs = options.callWaitMs ?? MCP_CALL_WAIT_MS;
  const isHttp = 'url' in options.server;

  let status: UpstreamStatus = { state: 'connecting' };
  let client: Client | undefined; // set once ready
  // Every connection not yet torn down (connecting, ready, or failing): close() must end them all.
  const connections = new Map<Client, ReturnType<typeof createUpstreamTransport>>();
  let generation = 0; // one per connection attempt: late events from an old connection are ignored
  let failures = 0;
  let connectedAt = 0;
  let version = 0;
  let attempt: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let listing: { client: Client; done: Promise<void> } | undefined;
  let relist = false;

  async function connect(): Promise<void> {
    const gen = ++generation;
    status = { state: 'connecting' };
    const c = new Client(options.clientInfo ?? { name: 'toolshed', version: '0.1.0' }, { capabilities: options.relay?.capabilities ?? {} });
    options.relay?.bind(c, name);
    let built: ReturnType<typeof createUpstreamTransport> | undefined;
    try {
      built = createUpstreamTransport(options.server, options.env, (line) => log.debug({ upstream: name, stderr: line }, 'upstream stderr'));
      connections.set(c, built);
      let changedWhileListing = false;
      c.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        if (gen !== generation) return;
        if (client === c) void refresh(c);
        else changedWhileListing = true; // servers often add tools right after initialize
      });
      c.onclose = () => {
        if (gen === generation && client === c) disconnected(c, `the server ${isHttp ? 'closed the connection' : 'process exited'}${tail(built)}`);
      };
      await c.connect(built.transport, { timeout: connectTimeoutMs });
      const tools = await listAll(c, connectTimeoutMs);
      if (gen !== generation || status.state === 'closed') {
        await tearDown(c);
        return;
      }
      client = c;
      connectedAt = Date.now();
      version++;
      status = { state: 'ready' };
      log.info({ upstream: name, server: built.label, tools: tools.length }, 'upstream connected');
      options.onTools(tools);
      options.relay?.connected?.(c, name);
      if (changedWhileListing) void refresh(c);
    } catch (e) {
      await tearDown(c);
      if (gen !== generation || status.state === 'closed') return;
      scheduleRetry(`${errorText(e)}${tail(built)}`, built?.label);
    }
  }

  async function tearDown(c: Client, withinMs?: number): Promise<void> {
    const built = connections.get(c);
    const closing = c.close().catch(() => undefined);
    // The SDK waits up to 2 s for the process to exit after stdin closes, then 2 s after SIGTERM: a
    // shutdown deadline cuts that short (the kill below ends what is left).
    let timer: NodeJS.Timeout | undefined;
    await (withinMs === undefined ? closing : Promise.race([closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]));
    clearTimeout(timer);
    built?.kill();
    connections.delete(c);
  }

  function disconnected(c: Client, reason: string) {
    client = undefined;
    void tearDown(c);
    if (Date.now() - connectedAt >= MCP_BACKOFF_RESET_MS) failures = 0;
    scheduleRetry(reason);
  }

  function scheduleRetry(error: string, label?: string) {
    const delay = Math.min(retryInitialMs * 2 ** failures, retryMaxMs);
    failures++;
    status = { state: 'unavailable', error, retryAt: Date.now() + delay };
    log.warn({ upstream: name, ...(label ? { server: label } : {}), error, retryInMs: delay }, 'upstream unavailable');
    attempt = new Promise<void>((resolve) => {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        void connect().finally(resolve);
      }, delay); // not unref'd: a call may be waiting for this restart; close() clears it
    });
  }

  /** Re-lists after list_changed; notifications arriving during a listing cause one more listing. */
  async function refresh(c: Client): Promise<void> {
    if (listing?.client === c) {
      relist = true;
      return listing.done;
    }
    const done = (async () => {
      do {
        relist = false;
        try {
          const tools = await listAll(c, connectTimeoutMs);
          if (client !== c) return;
          version++;
          log.info({ upstream: name, tools: tools.length }, 'upstream tools changed');
          options.onTools(tools);
        } catch (e) {
          log.warn({ upstream: name, error: errorText(e) }, 'upstream tools/list failed after list_changed');
        }
      } while (relist && client === c);
    })().finally(() => {
      if (listing?.client === c) listing = undefined;
    });
    listing = { client: c, done };
    return done;
  }

  /** The ready client, waiting for a restart in progress or due soon; else why there is none. */
  async function ready(signal: AbortSignal | undefined): Promise<Client | ToolFailure> {
    for (let waited = 0; waited < 2 && !client; waited++) {
      const s = status;
      const dueSoon = s.state === 'connecting' || (s.state === 'unavailable' && (s.retryAt ?? Infinity) - Date.now() <= callWaitMs);
      if (!dueSoon || !attempt) break;
      await abortable(attempt, signal);
      if (signal?.aborted) return cancelledFailure();
    }
    if (client) return client;
    const s = status;
    if (s.state === 'closed') return { code: 'not_connected', message: `upstream ${name} is closed` };
    const retry = s.retryAt ? ` toolshed retries in ${Math.max(1, Math.round((s.retryAt - Date.now()) / 1000))} s.` : '';
    return { code: 'not_connected', message: `upstream MCP server ${name} is unavailable: ${s.error ?? 'connecting'}.${retry}`, next: 'Retry later, or use tools of another namespace.' };
  }

  return {
    name,
    status: () => status,
    toolsVersion: () => version,
    client: () => client,
    start() {
      attempt = connect();
      return attempt;
    },
    async callTool(upstreamName, args, callOptions) {
      const c = await ready(callOptions.signal);
      if (!(c instanceof Client)) return { ok: false, failure: c };
      const { signal, onProgress, caller } = callOptions;
      const deadline = createCallDeadline(callOptions.timeoutMs);
      const callSignal = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
      const tracked = caller && options.relay ? options.relay.track(name, caller, deadline, callSignal) : undefined;
      const missing = () => (tracked?.call.missing.size ? missingCapability(name, upstreamName, [...tracked.call.missing]) : undefined);
      try {
        const result = (await c.callTool({ name: upstreamName, arguments: args }, undefined, {
          signal: callSignal,
          timeout: NO_SDK_TIMEOUT_MS,
          onprogress: (p) => {
            deadline.reset();
            onProgress?.(p.progress, p.total, p.message);
          },
        })) as CallToolResult;
        const lacking = result.isError ? missing() : undefined;
        return lacking ? { ok: false, failure: lacking } : { ok: true, result };
      } catch (e) {
        if (signal?.aborted) return { ok: false, failure: cancelledFailure() };
        const lacking = missing();
        if (lacking) return { ok: false, failure: lacking };
        const error = deadline.expired() ? new McpError(ErrorCode.RequestTimeout, 'timed out') : e;
        const { failure, connectionLost } = upstreamCallFailure(error, { name, timeoutMs: callOptions.timeoutMs, statusError: status.error, isHttp });
        if (connectionLost && client === c) disconnected(c, errorText(e));
        return { ok: false, failure };
      } finally {
        deadline.clear();
        tracked?.release();
      }
    },
    async close(withinMs) {
      status = { state: 'closed' };
      generation++;
      if (retryTimer) clearTimeout(retryTimer);
      client = undefined;
      await Promise.all([...connections.keys()].map((c) => tearDown(c, withinMs)));
    },
  };
}

/** An upstream tool that needed something of the client (sampling, elicitation, roots) it does not have. */
function missingCapability(upstream: string, tool: string, kinds: string[]): ToolFailure {
  return {
    code: 'upstream_error',
    message: `${upstream}.${tool} asked the client for ${kinds.join(' and ')}, which the MCP client connected to toolshed does not support`,
    next: `Use an MCP client that supports ${kinds.join(' and ')} for this tool, or another tool.`,
  };
}

/** All pages of tools/list, guarding against a cursor that never ends. */
async function listAll(c: Client, timeoutMs: number): Promise<Tool[]> {
  // A server of resources or prompts only has no tools to list; it still passes through the gateway.
  if (!c.getServerCapabilities()?.tools) return [];
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MCP_MAX_LIST_PAGES; page++) {
    const result = await c.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) return tools;
  }
  throw new Error(`tools/list returned more than ${MCP_MAX_LIST_PAGES} pages`);
}

function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void promise.then(done);
  });
}

function tail(built: { stderrTail(): string } | undefined): string {
  const text = built?.stderrTail();
  return text ? ` (stderr: ${text.split('\n').slice(-3).join(' | ')})` : '';
}
