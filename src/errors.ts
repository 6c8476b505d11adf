// Two error families, as in the MCP SDK: configuration/load errors thrown at start-up (they stop the
// process with a message a person can act on), and tool errors the model sees, which are values.

/** A catalog or config that cannot be used. The message names the file and, where known, the JSON pointer. */
export class CatalogLoadError extends Error {
  constructor(
    readonly source: string,
    readonly pointer: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}${pointer !== undefined ? ` at ${pointer || '#'}` : ''}: ${detail}`, options);
    this.name = 'CatalogLoadError';
  }
}

export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** What the model is told when a tool call fails: what went wrong and what to do next. */
export interface ToolFailure {
  code: ToolErrorCode;
  message: string;
  next?: string;
}

export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_arguments'
  | 'http_error'
  /** A 2xx answer that cannot be trusted as a result: JSON that does not parse, an HTML page where JSON was expected. */
  | 'invalid_response'
  | 'network_error'
  | 'timeout'
  | 'refused_host'
  | 'missing_credentials'
  | 'busy'
  | 'not_connected'
  | 'upstream_error'
  | 'syntax_error'
  | 'type_error'
  | 'runtime_error'
  | 'limit_exceeded'
  | 'cancelled'
  | 'forbidden'
  /** The catalogs are still loading (answer-first start-up): retry shortly. */
  | 'loading';

export function formatFailure(f: ToolFailure): string {
  return `Error (${f.code}): ${f.message}${f.next ? `\nNext: ${f.next}` : ''}`;
}

/** The next step of every invalid_arguments failure: the exact schema, then a retry. */
export const INVALID_ARGUMENTS_NEXT = 'Call describe_tools with this name for the exact schema, then retry.';
