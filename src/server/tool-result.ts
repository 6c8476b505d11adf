import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { formatFailure, type ToolFailure } from '../errors.js';

/** A tool error as the model sees it: an `isError` result saying what went wrong and what to do next. */
export function failure(f: ToolFailure): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: formatFailure(f) }] };
}
