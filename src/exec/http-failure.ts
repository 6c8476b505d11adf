// A non-2xx answer → what the model is told: the status, the API's own words, and a next step that
// fits the status (fix arguments, set credentials, check identifiers, wait).
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { ToolFailure } from '../errors.js';
import type { ResolvedCredentials } from './credentials.js';

/** The API's words are quoted up to this length: enough for a list of field errors, not a whole HTML page. */
export const API_MESSAGE_MAX_CHARS = 1_000;

export interface FailedResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** Parsed JSON or text (already redacted). */
  value: unknown;
  /** The request's path, for the message (never the query: an API key may live there). */
  path: string;
}

export function httpFailure(entry: ToolEntry, res: FailedResponse, creds: ResolvedCredentials): ToolFailure {
  const what = `${entry.binding.kind === 'http' ? entry.binding.method : 'CALL'} ${res.path}`;
  const said = apiMessageOf(res.value);
  return {
    code: 'http_error',
    message: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${what}${said ? `: ${said}` : ''}`,
    next: nextStep(entry, res, said, creds),
  };
}

/** Keys of a problem-details body that say nothing the status line does not (RFC 9457 members and links). */
const PLAIN_KEYS = new Set(['type', 'instance', 'status', 'code', 'documentation_url', 'doc_url', 'request_id', 'requestId', 'trace_id', 'traceId', 'timestamp', 'path', 'ok']);
/** Where APIs put the reasons: field errors, validation entries. */
const DETAIL_KEYS = ['errors', 'validation', 'validation_errors', 'invalid_params', 'invalid-params', 'violations', 'fields', 'field_errors', 'details', 'param'];

/**
 * The API's own words: the main message (GitHub's `message`, OAuth's `error_description`, RFC 9457's
 * `title`/`detail`, Slack's `error`), then the reasons (`errors`, `validation[]`, field lists) and any
 * RFC 9457 extension members, cut to API_MESSAGE_MAX_CHARS. HTML arrives already reduced to text.
 */
export function apiMessageOf(value: unknown): string {
  let text: string;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const nested = v.error !== null && typeof v.error === 'object' && !Array.isArray(v.error) ? (v.error as Record<string, unknown>) : undefined;
    const source = nested ?? v;
    const words = [v.message, v.error_description, nested?.message, typeof v.error === 'string' ? v.error : undefined, v.title, v.detail, v.msg, nested?.detail]
      .filter((m): m is string => typeof m === 'string' && m.trim() !== '')
      .filter((m, i, all) => all.indexOf(m) === i);
    const used = new Set(['message', 'error_description', 'error', 'title', 'detail', 'msg', ...PLAIN_KEYS]);
    const reasons = DETAIL_KEYS.flatMap((k) => (source[k] !== undefined ? [`${k}: ${JSON.stringify(source[k])}`] : v[k] !== undefined && source !== v ? [`${k}: ${JSON.stringify(v[k])}`] : []));
    for (const k of DETAIL_KEYS) used.add(k);
    const extensions = Object.entries(source).filter(([k, x]) => !used.has(k) && x !== null && x !== undefined && x !== '');
    const extra = extensions.length ? [JSON.stringify(Object.fromEntries(extensions))] : [];
    text = [words.join(': '), ...reasons, ...extra].filter(Boolean).join(' — ');
    if (!text) text = JSON.stringify(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    text = value === undefined || value === null ? '' : JSON.stringify(value);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > API_MESSAGE_MAX_CHARS ? `${text.slice(0, API_MESSAGE_MAX_CHARS)}…` : text;
}

function nextStep(entry: ToolEntry, res: FailedResponse, said: string, creds: ResolvedCredentials): string {
  const describe = `call describe_tools with "${entry.id}" for the exact schema`;
  const retryAfter = res.headers.get('retry-after');
  const wait = retryAfter ? ` (the API asks to wait ${/^\d+$/.test(retryAfter) ? `${retryAfter} s` : `until ${retryAfter}`})` : '';
  const sent = creds.sentFrom.length > 0;
  const askUser = creds.missingHint ? `This call needs credentials: ask the user to ${creds.missingHint}, then retry.` : '';
  const rateLimited = res.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(said);

  switch (res.status) {
    case 400:
    case 422:
      return `Fix the arguments the API objected to (${describe}), then retry.`;
    case 401:
      return sent
        ? `The API rejected the credentials from ${creds.sentFrom.join(', ')}: ask the user to check that the value is valid and not expired.`
        : askUser || 'The API wants credentials this catalog has no way to send; ask the user how to authenticate.';
    case 403:
      if (rateLimited) return `Rate limit reached: wait before retrying${resetHint(res.headers) || wait}${sent ? '' : `; authenticated requests get a higher limit${creds.missingHint ? ` (${creds.missingHint})` : ''}`}.`;
      if (sent) {
        const scopes = creds.scopes.length ? ` (this operation asks for scopes: ${creds.scopes.join(', ')})` : '';
        return `The credentials from ${creds.sentFrom.join(', ')} were accepted but lack permission for this${scopes}; ask the user for a token with access, or use a different operation.`;
      }
      return askUser || 'The API refused this call; check the message above and whether another operation fits.';
    case 404: {
      const ids = entry.binding.kind === 'http' ? entry.binding.parameters.filter((p) => p.in === 'path').map((p) => p.property) : [];
      const idList = ids.length ? ` (${ids.join(', ')})` : '';
      const privateHint = !sent && creds.missingHint ? ` Private resources also answer 404 without credentials: ask the user to ${creds.missingHint}.` : '';
      return `Check the identifiers${idList}: one may be misspelled or not exist; look them up with a list/search operation first.${privateHint}`;
    }
    case 405:
      return 'This operation does not accept that method here; use search_tools to find the right operation.';
    case 409:
      return 'The resource changed or is in a conflicting state: read its current state, then retry with matching arguments.';
    case 429:
    case 503:
      return `Rate-limited or temporarily unavailable: retry later${resetHint(res.headers) || wait}.`;
    default:
      if (res.status >= 500) return `The API failed on its side: retry later${wait}, or with different arguments if it keeps failing.`;
      return `Read the API's message, fix the call (${describe}), then retry.`;
  }
}

/** GitHub-style `x-ratelimit-reset` (epoch seconds) → "(resets at 12:34:56 UTC)". */
function resetHint(headers: Headers): string {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return '';
  return ` (the limit resets at ${new Date(reset * 1000).toISOString().slice(11, 19)} UTC)`;
}
