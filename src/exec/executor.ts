// The executor contract: one call of one catalog tool. Implementations never throw for anything the
// model did or the API said; they return a result value (a thrown error means a bug in toolshed).
import type { ToolFailure } from '../errors.js';
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { Caller } from '../gateway/caller.js';
import type { ResponseRequest } from './shape-response.js';

export interface ExecOptions {
  /** Aborts the call (client cancellation, run_code wall-clock limit). */
  signal?: AbortSignal;
  /** Progress the callee reports (upstream MCP notifications/progress), for the client's progressToken. */
  onProgress?(progress: number, total?: number, message?: string): void;
  /** The session's client: an upstream MCP tool's requests to the client (sampling, elicitation) go there. */
  caller?: Caller;
  /** execute_tool: shape the JSON result for the model (select, response profile) before it is cut. Code Mode leaves it out. */
  response?: ResponseRequest;
}

export type ExecResult =
  | {
      ok: true;
      /** HTTP status for HTTP tools. */
      status?: number;
      /** Parsed JSON body (or text) as the API returned it, before any cut: code mode returns this to the program. */
      value: unknown;
      /** What the model sees: the body rendered as text, cut to the response limit with a notice when too large. */
      text: string;
      truncated: boolean;
      /** Upstream MCP content passed through unchanged (images, resources); absent for HTTP tools. */
      content?: unknown[];
    }
  | {
      ok: false;
      status?: number;
      failure: ToolFailure;
      /** The API's error body, when it sent one. */
      value?: unknown;
    };

export interface ToolExecutor {
  execute(entry: ToolEntry, args: Record<string, unknown>, options?: ExecOptions): Promise<ExecResult>;
}
