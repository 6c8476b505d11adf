// What the model is told when a call to an upstream MCP server fails, and whether the failure means
// the connection is gone (the upstream then reconnects). Pure: the SDK's error types in, values out.
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ToolFailure } from '../errors.js';

export interface CallFailureContext {
  /** The upstream's name (namespace). */
  name: string;
  timeoutMs: number;
  /** Why the connection went away, when the upstream already knows. */
  statusError: string | undefined;
  isHttp: boolean;
}

export function upstreamCallFailure(e: unknown, ctx: CallFailureContext): { failure: ToolFailure; connectionLost: boolean } {
  const { name } = ctx;
  if (e instanceof McpError && e.code === ErrorCode.ConnectionClosed) {
    const failure: ToolFailure = {
      code: 'upstream_error',
      message: `upstream MCP server ${name} went away during the call (${ctx.statusError ?? 'connection closed'}); toolshed is restarting it. The call may or may not have taken effect.`,
      next: 'Check whether it took effect, then retry: the next call waits for the restart.',
    };
    return { failure, connectionLost: false }; // the transport's close already started the restart
  }
  if (e instanceof McpError && e.code === ErrorCode.RequestTimeout) {
    return { failure: { code: 'timeout', message: `upstream MCP server ${name} did not answer within ${ctx.timeoutMs} ms`, next: 'Retry with less work per call, or later.' }, connectionLost: false };
  }
  if (e instanceof McpError) return { failure: { code: 'upstream_error', message: `${name}: ${e.message}` }, connectionLost: false };
  if (ctx.isHttp && (e instanceof StreamableHTTPError || e instanceof TypeError)) {
    // The HTTP server went away or lost our session: only a new connection (a new session) helps.
    return { failure: { code: 'network_error', message: `upstream MCP server ${name}: ${errorText(e)}`, next: 'Retry in a moment: toolshed is reconnecting.' }, connectionLost: true };
  }
  return { failure: { code: 'upstream_error', message: `${name}: ${errorText(e)}` }, connectionLost: false };
}

export function cancelledFailure(): ToolFailure {
  return { code: 'cancelled', message: 'the call was cancelled' };
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `command not found (${e.message})` : e.message;
  }
  return String(e);
}
