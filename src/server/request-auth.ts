// Who may use /mcp (and /metrics on the same port): one interface for the two modes, a static shared
// token (`--auth-token`) or OAuth 2.1 resource-server mode (`--oauth-issuer`), so the HTTP server
// asks the same three questions whichever is configured.
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createBearerCheck } from './bearer-auth.js';
import { mainThreadTurn } from '../main-thread-turns.js';

/** An answer that ends the request: status, message (a JSON-RPC error on /mcp) and headers. */
export interface Refusal {
  status: number;
  message: string;
  headers: Record<string, string>;
  /** The JSON-RPC error code, when not the generic -32000. */
  code?: number;
}

export interface RequestAuth {
  readonly mode: 'none' | 'bearer' | 'oauth';
  /** A public document served at `path` without credentials (RFC 9728 metadata), else undefined. */
  document(path: string): object | undefined;
  /** Checks the credentials; when they pass, `req.auth` is set for the SDK's handlers. */
  authenticate(req: IncomingMessage & { auth?: AuthInfo }): Promise<Refusal | undefined>;
  /** True when a POST's JSON-RPC body decides (scopes per tool): the server then parses it first. */
  readonly needsBody: boolean;
  /** Checks what the parsed body asks for against the credentials `authenticate` accepted. */
  authorize(req: IncomingMessage & { auth?: AuthInfo }, body: unknown, context: AuthorizeContext): Refusal | undefined;
}

export interface AuthorizeContext {
  /** The catalog a tool name (as execute_tool takes it) resolves to, if it resolves. */
  namespaceOf(toolName: string): string | undefined;
}

/**
 * Who a request speaks for, when its credentials say (OAuth: the client and the subject); undefined with a
 * static token or none. A session is bound to the one who opened it (MCP spec: session ids are not
 * credentials), so a leaked session id is useless with another user's token.
 */
export function sessionOwnerOf(req: IncomingMessage & { auth?: AuthInfo }): string | undefined {
  return req.auth ? JSON.stringify([req.auth.clientId, req.auth.extra?.subject ?? null]) : undefined;
}

/**
 * The body of a POST, parsed, for `authorize`: the SDK transport is then handed the parsed value. Read
 * here with the same size cap and the same errors the transport would give.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<{ body: unknown } | Refusal> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) return { status: 413, message: `Payload Too Large: the body must not exceed ${maxBytes} bytes`, headers: { connection: 'close' } };
    chunks.push(chunk);
  }
  // Parsing (up to --max-body-bytes) and what follows it in this request (the SDK's handling, a new
  // session's server) run in a turn of their own: a burst of requests, or of big bodies, is spread over
  // event-loop iterations instead of stalling one.
  await mainThreadTurn();
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { status: 400, message: 'Parse error: Invalid JSON', headers: {}, code: -32700 };
  }
}

/** `--auth-token` as documented: every request carries `Authorization: Bearer TOKEN`, or gets 401. */
export function staticTokenAuth(token: string | undefined): RequestAuth {
  const check = createBearerCheck(token);
  return {
    mode: token ? 'bearer' : 'none',
    document: () => undefined,
    authenticate: async (req) =>
      check(req.headers) ? undefined : { status: 401, message: 'Unauthorized: send Authorization: Bearer <token>', headers: { 'www-authenticate': 'Bearer realm="toolshed"' } },
    needsBody: false,
    authorize: () => undefined,
  };
}
