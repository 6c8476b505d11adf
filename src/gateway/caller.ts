// The client of the session that made a call: where an upstream server's requests made during that call
// (sampling, elicitation, roots) are relayed. One per call, built from the session's MCP server and the
// request's own `sendRequest`, so over HTTP a relayed request travels on the call's response stream.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export interface Caller {
  /** The session's MCP server: identifies the session and holds its client's capabilities. */
  readonly server: Server;
  request<T extends AnySchema>(request: ServerRequest, schema: T, options?: RequestOptions): Promise<SchemaOutput<T>>;
}

type SendRequest = <T extends AnySchema>(request: ServerRequest, schema: T, options?: RequestOptions) => Promise<SchemaOutput<T>>;

/** The caller of one tool call (relayed requests are related to that call). */
export function callerOf(server: Server, sendRequest: SendRequest): Caller {
  return { server, request: (request, schema, options) => sendRequest(request, schema, options) };
}

/** A session addressed outside any call (roots asked for at connect time, with one client). */
export function sessionCaller(server: Server): Caller {
  return { server, request: (request, schema, options) => server.request(request, schema, options) };
}
