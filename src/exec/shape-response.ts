// What execute_tool does to a JSON result before it is cut to the response limit: the model's
// `select` first, then the catalog's response profile (lean unless `raw` or configured so). Each step
// that changed something adds its one-line notice. run_code never comes here: a program gets the
// whole value and returns only what it needs.
import { trimResponse, type ResponseProfile } from './lean-response.js';
import { selectFields, selectPaths } from './select-fields.js';

/** What the model asked for in execute_tool's arguments. */
export interface ResponseRequest {
  select?: string[];
  /** true: no profile, the whole result (select still applies). */
  raw?: boolean;
}

export interface ShapeContext {
  profile: ResponseProfile;
  /** The API's own origins, for the lean profile's link rule. */
  apiOrigins: Iterable<string>;
}

export interface Shaped {
  value: unknown;
  notices: string[];
}

export function shapeResponse(value: unknown, request: ResponseRequest, context: ShapeContext): Shaped {
  const notices: string[] = [];
  let shaped = value;
  if (request.select?.length) {
    const selected = selectFields(shaped, request.select);
    shaped = selected.value;
    if (selected.notice) notices.push(selected.notice);
  }
  if (context.profile === 'lean' && !request.raw) {
    // A field the model selected by name is an answer, even when it is null or a link.
    const trimmed = trimResponse(shaped, context.apiOrigins, new Set(selectPaths(request.select ?? [])));
    shaped = trimmed.value;
    if (trimmed.notice) notices.push(trimmed.notice);
  }
  return { value: shaped, notices };
}
