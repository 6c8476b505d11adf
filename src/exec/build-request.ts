// HttpBinding + validated arguments → one concrete request. Pure: no I/O, no credentials (those are
// added on the host by credentials.ts). Parameter serialization is hand-written: the OpenAPI style
// tables are small, and no installed library covers path/query/header/cookie styles together.
import type { HttpBinding, HttpParameter } from '../catalog/tool-entry.js';
import type { ToolFailure } from '../errors.js';
import { splitPathKey } from '../catalog/path-key.js';
import { multipartBody, urlEncodedBody } from './form-body.js';
import { fillServerVariables, isAbsoluteHttpUrl } from './server-origins.js';
import { INVALID_ARGUMENTS_NEXT as INVALID_NEXT } from './validate-args.js';

export { allowedOrigins } from './server-origins.js';

export interface HttpRequestSpec {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export type Built<T> = { ok: true; value: T } | { ok: false; failure: ToolFailure };

export const DEFAULT_ACCEPT = 'application/json';
export const USER_AGENT = 'toolshed-mcp';

const SERVER_OVERRIDE_NEXT =
  'Ask the user to set a server override for this catalog (the `server` option in its config) to the API\'s base URL.';

/**
 * The base URL requests go to: the override, else the binding's first server with its variables at their
 * defaults. An unusable URL is a configuration problem, reported as refused_host (no host toolshed may call).
 */
export function resolveBaseUrl(binding: HttpBinding, override: string | undefined): Built<string> {
  if (override !== undefined) {
    if (!isAbsoluteHttpUrl(override)) {
      return fail('refused_host', `The configured server override "${override}" is not an absolute http(s) URL.`, SERVER_OVERRIDE_NEXT);
    }
    return { ok: true, value: override };
  }
  const server = binding.servers[0];
  if (!server) return fail('refused_host', 'The catalog declares no server URL for this operation.', SERVER_OVERRIDE_NEXT);
  const url = fillServerVariables(server);
  if (!isAbsoluteHttpUrl(url)) {
    return fail('refused_host', `The catalog's server URL "${url}" is relative, so toolshed does not know which host to call.`, SERVER_OVERRIDE_NEXT);
  }
  return { ok: true, value: url };
}

export function buildRequest(binding: HttpBinding, args: Record<string, unknown>, baseUrl: string): Built<HttpRequestSpec> {
  const split = splitPathKey(binding.path);
  let path = split.path;
  const query: string[] = [];
  const sentInQuery = new Set<string>();
  const headers: Record<string, string> = { accept: DEFAULT_ACCEPT, 'user-agent': USER_AGENT };
  const cookies: string[] = [];

  for (const p of binding.parameters) {
    const value = args[p.property];
    if (value === undefined || value === null) {
      if (p.in === 'path') return fail('invalid_arguments', `missing required path parameter "${p.property}"`, INVALID_NEXT);
      continue;
    }
    switch (p.in) {
      case 'path':
        path = path.split(`{${p.name}}`).join(serializePath(p, value));
        break;
      case 'query':
        query.push(...serializeQuery(p, value));
        sentInQuery.add(p.name);
        break;
      case 'header': {
        const text = serializeSimple(value, p.explode, String);
        if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(text)) {
          return fail('invalid_arguments', `header "${p.property}" contains a line break or a character headers cannot carry`, INVALID_NEXT);
        }
        headers[p.name.toLowerCase()] = text;
        break;
      }
      case 'cookie':
        cookies.push(...serializeCookie(p, value));
        break;
    }
  }
  // A "." or ".." segment would be resolved away by the URL parser (even percent-encoded) and change the path.
  if (path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
    return fail('invalid_arguments', 'a path parameter cannot be "." or ".."', INVALID_NEXT);
  }
  if (cookies.length) headers.cookie = cookies.join('; ');
  // The path key's fixed pairs come first (`?Action=…&Version=…`), unless a parameter already set them.
  const fixed = split.fixed.filter(([name]) => !sentInQuery.has(name)).map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  query.unshift(...fixed);

  const request: HttpRequestSpec = {
    method: binding.method.toUpperCase(),
    url: `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}${query.length ? `?${query.join('&')}` : ''}`,
    headers,
  };
  if (binding.body && args[binding.body.property] !== undefined) {
    const { body, contentType } = serializeBody(args[binding.body.property], binding.body);
    request.body = body;
    if (contentType) headers['content-type'] = contentType;
  }
  return { ok: true, value: request };
}

function fail(code: ToolFailure['code'], message: string, next: string): { ok: false; failure: ToolFailure } {
  return { ok: false, failure: { code, message, next } };
}

/** A scalar on the wire; objects inside arrays have no OpenAPI rule, JSON is the least surprising. */
function scalar(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

type Encode = (text: string) => string;

function entriesOf(value: object): Array<[string, unknown]> {
  return Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
}

/** `simple` (RFC 6570 `{var}`): a,b,c / k,v,k,v / k=v,k=v. */
function serializeSimple(value: unknown, explode: boolean, encode: Encode): string {
  if (Array.isArray(value)) return value.map((v) => encode(scalar(v))).join(',');
  if (typeof value === 'object' && value !== null) {
    const pairs = entriesOf(value);
    return explode
      ? pairs.map(([k, v]) => `${encode(k)}=${encode(scalar(v))}`).join(',')
      : pairs.flatMap(([k, v]) => [encode(k), encode(scalar(v))]).join(',');
  }
  return encode(scalar(value));
}

/** Path values are always percent-encoded, so no value can add a segment, a query or a host. */
function serializePath(p: HttpParameter, value: unknown): string {
  const enc = encodeURIComponent;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (p.style) {
    case 'label': {
      // RFC 6570 `{.var}` (as OpenAPI 3.1.1 corrected its table): exploded items are dot-separated, else comma-separated.
      if (!p.explode || (!Array.isArray(value) && !isObject)) return `.${serializeSimple(value, false, enc)}`;
      return `.${serializeSimple(value, true, enc).split(',').join('.')}`;
    }
    case 'matrix': {
      const name = enc(p.name);
      if (Array.isArray(value)) {
        return p.explode ? value.map((v) => `;${name}=${enc(scalar(v))}`).join('') : `;${name}=${serializeSimple(value, false, enc)}`;
      }
      if (isObject) {
        return p.explode ? entriesOf(value).map(([k, v]) => `;${enc(k)}=${enc(scalar(v))}`).join('') : `;${name}=${serializeSimple(value, false, enc)}`;
      }
      const text = scalar(value);
      return text === '' ? `;${name}` : `;${name}=${enc(text)}`;
    }
    default:
      return serializeSimple(value, p.explode, enc);
  }
}

const QUERY_DELIMITERS: Record<string, string> = { spaceDelimited: '%20', pipeDelimited: '|', tabDelimited: '%09' };

/** `allowReserved`: RFC 3986 reserved characters stay as they are (the value is taken as already formatted). */
function encodeAllowingReserved(text: string): string {
  return encodeURIComponent(text).replace(/%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (code) => decodeURIComponent(code));
}

/** Query pairs, already encoded. Delimiters stay literal as in the OpenAPI style table; values are encoded. */
function serializeQuery(p: HttpParameter, value: unknown): string[] {
  const enc = p.allowReserved ? encodeAllowingReserved : encodeURIComponent;
  const name = encodeURIComponent(p.name);
  if (Array.isArray(value)) {
    // An empty list means "no filter": sending `name=` would filter on the empty string instead.
    if (value.length === 0) return [];
    if (p.style === 'deepObject') return deepObjectPairs(name, value, enc);
    const items = value.map((v) => enc(scalar(v)));
    if (p.explode) return items.map((v) => `${name}=${v}`);
    return [`${name}=${items.join(QUERY_DELIMITERS[p.style] ?? ',')}`];
  }
  if (typeof value === 'object' && value !== null) {
    if (p.style === 'deepObject') return deepObjectPairs(name, value, enc);
    const pairs = entriesOf(value);
    if (p.explode) return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${enc(scalar(v))}`);
    return [`${name}=${pairs.flatMap(([k, v]) => [encodeURIComponent(k), enc(scalar(v))]).join(QUERY_DELIMITERS[p.style] ?? ',')}`];
  }
  return [`${name}=${enc(scalar(value))}`];
}

/**
 * name[k]=v, nesting as name[k][k2]=v, list items by index (name[0]=a): OpenAPI leaves nesting undefined;
 * indexed brackets are what Prism's deepObject reader and Stripe's own SDK (qs) use. Brackets stay literal.
 */
function deepObjectPairs(prefix: string, value: object, enc: Encode): string[] {
  const out: string[] = [];
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : entriesOf(value);
  for (const [k, v] of entries) {
    const key = `${prefix}[${encodeURIComponent(k)}]`;
    if (typeof v === 'object' && v !== null) out.push(...deepObjectPairs(key, v, enc));
    else if (v !== undefined && v !== null) out.push(`${key}=${enc(scalar(v))}`);
  }
  return out;
}

/** Cookie `form` style; exploded lists become separate cookie pairs, which is what a Cookie header can carry. */
function serializeCookie(p: HttpParameter, value: unknown): string[] {
  const enc = encodeURIComponent;
  const name = enc(p.name);
  if (Array.isArray(value)) {
    return p.explode ? value.map((v) => `${name}=${enc(scalar(v))}`) : [`${name}=${value.map((v) => enc(scalar(v))).join(',')}`];
  }
  if (typeof value === 'object' && value !== null) {
    const pairs = entriesOf(value);
    return p.explode ? pairs.map(([k, v]) => `${enc(k)}=${enc(scalar(v))}`) : [`${name}=${pairs.flatMap(([k, v]) => [enc(k), enc(scalar(v))]).join(',')}`];
  }
  return [`${name}=${enc(scalar(value))}`];
}

/** The body and its content-type header (multipart's carries the boundary). */
function serializeBody(value: unknown, binding: NonNullable<HttpBinding['body']>): { body: string | Uint8Array; contentType?: string } {
  const { contentType } = binding;
  const type = contentType.toLowerCase();
  if (/[/+]json\b/.test(type) || type === '*/*') {
    return { body: JSON.stringify(value), contentType: type === '*/*' ? 'application/json' : contentType };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { body: urlEncodedBody(value, binding.encoding), contentType };
  if (type.startsWith('multipart/form-data')) return multipartBody(value, binding.encoding, binding.files);
  return { body: typeof value === 'string' ? value : JSON.stringify(value), contentType };
}
