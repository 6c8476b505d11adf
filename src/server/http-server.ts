// Streamable HTTP serving: /mcp through the SDK's transport (one Server + transport per session, or per
// request when stateless), behind origin, token and size checks; /healthz and /readyz for orchestrators;
// a drain-then-close shutdown. Plain node:http: the routes are three, a framework would add nothing.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../log.js';
import { METRICS_PATH, type Metrics } from '../observability/metrics.js';
import type { Observer } from '../observability/observer.js';
import type { Toolshed } from '../toolshed.js';
import { principalOf } from './principal.js';
import { createGate, type Gate } from './concurrency-gate.js';
import { createMcpServer } from './create-server.js';
import { readJsonBody, sessionOwnerOf, staticTokenAuth, type RequestAuth } from './request-auth.js';
import { resolveTool } from './resolve-name.js';
import { corsHeaders, createOriginCheck } from './origin-check.js';
import { createInFlight } from './in-flight.js';
import { listenOnSockets } from './listeners.js';
import { batchRefusal, headerRevision, negotiatedRevision, requestIdsOf } from './jsonrpc-body.js';
import { createSessionStore, prefixOf } from './session-store.js';

import { HTTP_HOST_DEFAULT, HTTP_PORT_DEFAULT, MCP_PATH, MAX_BODY_BYTES_DEFAULT, SHUTDOWN_TIMEOUT_MS_DEFAULT } from './http-defaults.js';

export { HTTP_HOST_DEFAULT, HTTP_PORT_DEFAULT, MCP_PATH, MAX_BODY_BYTES_DEFAULT, SHUTDOWN_TIMEOUT_MS_DEFAULT } from './http-defaults.js';
/** How long cut requests' JSON-RPC errors get to reach their clients before connections close. */
const CUT_FLUSH_MS = 150;
/** What a client is told to wait while catalogs load or the server drains. */
const RETRY_AFTER_S = 1;

export interface HttpServeOptions {
  /**
   * A started Toolshed (startToolshed): /mcp answers at once (initialize, tools/list; tool calls wait for
   * the catalogs), /readyz says 200 once they are indexed. A promise: /mcp answers 503 until it resolves.
   */
  toolshed: Toolshed | Promise<Toolshed>;
  log: Logger;
  /** One MCP server per session (or per request when stateless); default: createMcpServer's dynamic mode. */
  createServer?: (toolshed: Toolshed, log: Logger, gate: Gate, principal?: string) => Server;
  port?: number;
  host?: string;
  /** Listening sockets on the port (SO_REUSEPORT on Linux): see listeners.ts. */
  acceptSockets?: number;
  /** No sessions: a fresh server per POST, JSON responses, so any replica can answer any request. */
  stateless?: boolean;
  authToken?: string;
  /** OAuth resource-server mode (or any other RequestAuth); replaces `authToken` when given. */
  auth?: RequestAuth;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  sessionIdleMs?: number;
  maxSessions?: number;
  maxBodyBytes?: number;
  maxConcurrentCalls?: number;
  maxQueue?: number;
  /** Sessions and the gate are reported to it; GET /metrics serves it unless `metricsRoute` is false (own port). */
  metrics?: Metrics;
  metricsRoute?: boolean;
  /** Traces each request to /mcp (a server span continuing the client's traceparent). */
  observer?: Observer;
}

export interface HttpServing {
  /** The MCP endpoint, with the port actually bound (useful with port 0). */
  url: string;
  /** Stops accepting, lets in-flight requests finish within `timeoutMs`, then ends every session. */
  close(timeoutMs?: number): Promise<{ drained: boolean }>;
}

export async function serveHttp(options: HttpServeOptions): Promise<HttpServing> {
  const { log, stateless = false } = options;
  const host = options.host ?? HTTP_HOST_DEFAULT;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES_DEFAULT;
  const gate: Gate = createGate({ maxConcurrent: options.maxConcurrentCalls, maxQueue: options.maxQueue });
  const sessions = createSessionStore({ idleMs: options.sessionIdleMs, maxSessions: options.maxSessions, log });
  const checkOrigin = createOriginCheck({ allowedOrigins: options.allowedOrigins, allowedHosts: options.allowedHosts, boundHost: host });
  const auth = options.auth ?? staticTokenAuth(options.authToken);
  const owners = new WeakMap<object, string>(); // session → who opened it (OAuth mode)
  options.metrics?.watch({ sessions: () => sessions.size, gate });

  let toolshed: Toolshed | undefined = options.toolshed instanceof Promise ? undefined : options.toolshed;
  let ready = false;
  // The caller awaits the same promise and reports a load failure; here it only means "not ready".
  const loaded = Promise.resolve(options.toolshed)
    .then((t) => {
      toolshed = t;
      return t.ready;
    })
    .then(
      () => (ready = true),
      () => undefined,
    );

  let draining = false;
  const inFlight = createInFlight(); // requests being answered, GET streams aside

  const createServer = options.createServer ?? ((t: Toolshed, l: Logger, g: Gate) => createMcpServer({ toolshed: t, log: l, gate: g }));
  // The principal (who authenticated) owns the tasks a session creates; see principal.ts.
  const newServer = (sessionLog: Logger, req: IncomingMessage) => createServer(toolshed!, sessionLog, gate, principalOf(req));

  /**
   * Reads a POST body (once) and refuses, with the answer sent, what the SDK transport would wrongly
   * accept for `revision` (see jsonrpc-body.ts) and what the credentials may not call (scopes per tool).
   */
  async function judgedBody(req: IncomingMessage, res: ServerResponse, revision: (body: unknown) => string): Promise<{ value: unknown } | undefined> {
    const read = await readJsonBody(req, maxBodyBytes);
    // An execute_tool's catalog scope is known once the catalogs are in: one sent while they load waits here.
    if ('body' in read && auth.needsBody && !ready && callsExecuteTool(read.body)) await loaded;
    const refusal =
      'body' in read
        ? (batchRefusal(read.body, revision(read.body)) ?? (auth.needsBody ? auth.authorize(req, read.body, { namespaceOf: (name) => namespaceOf(toolshed!, name) }) : undefined))
        : read;
    if (!refusal) return { value: (read as { body: unknown }).body };
    sendError(res, refusal.status, refusal.message, refusal.headers, refusal.code);
    return undefined;
  }

  async function handleMcp(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const transportOptions = { maxRequestBodySize: maxBodyBytes };
    if (stateless) {
      const body = await judgedBody(req, res, (value) => negotiatedRevision(value) ?? headerRevision(req));
      if (!body) return;
      const server = newServer(log.child({ reqId: ctx.reqId }), req);
      const transport = new StreamableHTTPServerTransport({ ...transportOptions, sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => void server.close());
      await server.connect(transport);
      inFlight.owe(res, transport, requestIdsOf(body.value));
      return transport.handleRequest(req, res, body.value);
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      ctx.session = sessionId;
      const session = sessions.get(sessionId);
      // Another principal's session is answered as unknown: its id alone grants nothing.
      if (!session || owners.get(session) !== sessionOwnerOf(req)) return sendError(res, 404, 'Session not found: start a new session with initialize', {}, -32001);
      // A GET is the server's notification stream, open for as long as the client listens: not activity.
      if (req.method !== 'GET') res.on('close', sessions.begin(session));
      if (req.method !== 'POST') return session.transport.handleRequest(req, res);
      const body = await judgedBody(req, res, () => session.revision);
      if (!body) return;
      inFlight.owe(res, session.transport, requestIdsOf(body.value));
      return session.transport.handleRequest(req, res, body.value);
    }
    if (req.method !== 'POST') return sendError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
    // A new session, if the body turns out to be an initialize request; the SDK decides and answers errors.
    // Its slot is held from now, before the body is read, and given back if no session opens.
    const reservation = sessions.reserve();
    if (!reservation) return sendError(res, 503, 'Too many sessions: retry later', { 'retry-after': String(RETRY_AFTER_S) });
    res.on('close', () => reservation.release());
    const id = randomUUID();
    let server: Server | undefined;
    let opened = false;
    try {
      const body = await judgedBody(req, res, (value) => negotiatedRevision(value) ?? headerRevision(req));
      if (!body) return;
      const revision = negotiatedRevision(body.value) ?? headerRevision(req);
      const created = (server = newServer(log.child({ session: prefixOf(id) }), req));
      const transport = new StreamableHTTPServerTransport({
        ...transportOptions,
        sessionIdGenerator: () => id,
        onsessioninitialized: () => {
          opened = true;
          ctx.session = id;
          const session = sessions.add(id, created, transport, reservation, revision);
          const owner = sessionOwnerOf(req);
          if (owner !== undefined) owners.set(session, owner);
          res.on('close', sessions.begin(session));
        },
      });
      await server.connect(transport);
      inFlight.owe(res, transport, requestIdsOf(body.value));
      await transport.handleRequest(req, res, body.value);
    } finally {
      reservation.release();
      if (!opened) await server?.close();
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    if (ctx.path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (ctx.path === '/readyz') {
      // Ready means what it meant before answer-first: the catalogs are loaded and indexed.
      const serving = ready && !draining;
      return sendJson(res, serving ? 200 : 503, serving ? { status: 'ready', tools: toolshed!.registry.byId.size, ...(toolshed!.notes.length ? { notes: toolshed!.notes } : {}) } : { status: draining ? 'draining' : 'loading' });
    }
    if (ctx.path === METRICS_PATH && options.metrics && options.metricsRoute !== false) {
      // Same port, same credentials as /mcp: whoever may call tools may read the counters.
      const unauthenticated = await auth.authenticate(req);
      if (unauthenticated) return sendError(res, unauthenticated.status, unauthenticated.message, unauthenticated.headers);
      const { contentType, body } = await options.metrics.scrape();
      return void res.writeHead(200, { 'content-type': contentType }).end(body);
    }
    const document = auth.document(ctx.path);
    if (document) return sendJson(res, 200, document, { 'access-control-allow-origin': '*' });
    if (ctx.path !== MCP_PATH) return sendJson(res, 404, { error: `not found: the MCP endpoint is ${MCP_PATH}` });
    const refused = checkOrigin(req.headers);
    if (refused) return sendError(res, 403, refused.message);
    const cors = corsHeaders(req.headers.origin);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const unauthenticated = await auth.authenticate(req);
    if (unauthenticated) return sendError(res, unauthenticated.status, unauthenticated.message, unauthenticated.headers, unauthenticated.code);
    const allow = stateless ? 'POST' : 'GET, POST, DELETE';
    if (!allow.split(', ').includes(req.method ?? '')) {
      return sendError(res, 405, `Method not allowed: ${MCP_PATH} takes ${allow}${stateless ? ' (this server is stateless)' : ''}`, { allow });
    }
    if (Number(req.headers['content-length']) > maxBodyBytes) {
      // Refused before reading; closing the connection spares reading a body nobody wants.
      return sendError(res, 413, `Payload Too Large: the body must not exceed ${maxBodyBytes} bytes`, { connection: 'close' });
    }
    if (draining) return sendError(res, 503, 'Shutting down: retry on another replica', { 'retry-after': String(RETRY_AFTER_S), connection: 'close' });
    if (!toolshed) return sendError(res, 503, 'Loading catalogs: retry shortly', { 'retry-after': String(RETRY_AFTER_S) });
    return handleMcp(req, res, ctx);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const ctx: RequestContext = { reqId: requestIdOf(req), path: (req.url ?? '/').split('?', 1)[0]!, session: undefined };
    res.setHeader('x-request-id', ctx.reqId);
    if (req.method !== 'GET') inFlight.track(res);
    res.on('close', () => {
      const entry = { reqId: ctx.reqId, method: req.method, path: ctx.path, status: res.statusCode, ms: Math.round(performance.now() - started), session: prefixOf(ctx.session), ...(res.writableFinished ? {} : { aborted: true }), ...options.observer?.traceIdsOf(res) };
      if (ctx.path === '/healthz' || ctx.path === '/readyz') log.debug(entry, 'http');
      else log.info(entry, 'http');
    });
    const handled = options.observer && ctx.path === MCP_PATH ? options.observer.httpRequest(req, res, () => route(req, res, ctx)) : route(req, res, ctx);
    handled.catch((error: unknown) => {
      log.error({ reqId: ctx.reqId, err: error }, 'http handler failed');
      if (!res.headersSent) sendError(res, 500, 'Internal error', {}, -32603);
      else res.destroy();
    });
  };

  const listeners = await listenOnSockets(onRequest, options.port ?? HTTP_PORT_DEFAULT, host, options.acceptSockets);
  const { port } = listeners[0]!.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`;
  log.info({ url, stateless, auth: auth.mode }, 'listening');

  return {
    url,
    async close(timeoutMs = SHUTDOWN_TIMEOUT_MS_DEFAULT) {
      // The listener stays open while draining: probes get /readyz 503 "draining" (not connection
      // refused), in-flight requests finish, and new ones get 503 with Connection: close.
      draining = true;
      log.info({ inFlight: inFlight.size, sessions: sessions.size, timeoutMs }, 'draining');
      for (const listener of listeners) listener.closeIdleConnections();
      const drained = await inFlight.settled(timeoutMs);
      const cut = drained ? 0 : await inFlight.cut(`Server shutting down: the request did not finish within the ${timeoutMs} ms drain (--shutdown-timeout-ms); retry it on another replica`, CUT_FLUSH_MS);
      log.info({ drained, cut }, 'draining done');
      // Closing a session aborts its handlers (their signal) and ends its GET stream.
      await sessions.closeAll('shutdown');
      const stopped = listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve())));
      for (const listener of listeners) listener.closeAllConnections();
      await Promise.all(stopped);
      return { drained };
    },
  };
}

interface RequestContext {
  reqId: string;
  path: string;
  /** The session id, once known: from the header, or when an initialize opens one. */
  session: string | undefined;
}

function callsExecuteTool(body: unknown): boolean {
  return (Array.isArray(body) ? body : [body]).some((m) => (m as { method?: unknown; params?: { name?: unknown } } | null)?.method === 'tools/call' && (m as { params?: { name?: unknown } }).params?.name === 'execute_tool');
}

function namespaceOf(toolshed: Toolshed, name: string): string | undefined {
  const resolved = resolveTool(toolshed.registry, name);
  return 'entry' in resolved ? resolved.entry.namespace : undefined;
}

/** A proxy's X-Request-Id when it looks like one (so logs join up), else a fresh id. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Errors on /mcp are JSON-RPC error objects, as the SDK's own are, so clients parse them the same way. */
function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32000): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}
