// Form bodies as the OpenAPI `encoding` object (or Swagger 2 `collectionFormat`) declares them:
// application/x-www-form-urlencoded and multipart/form-data. Nested values in brackets (`metadata[order_id]=6735`,
// `expand[0]=a`) are written by `qs`, the library Stripe's own SDK and most servers' parsers use; the
// multipart envelope is written here because undici's FormData turns every typed part (a JSON object,
// say) into a file named "blob", and a file part needs a filename and type the spec decides.
import { randomBytes } from 'node:crypto';
import { stringify } from 'qs';
import type { BodyEncoding } from '../catalog/tool-entry.js';

type Encodings = Record<string, BodyEncoding> | undefined;

const DELIMITERS: Record<string, string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|', tabDelimited: '\t' };

/** A scalar on the wire; objects in a place with no rule go as JSON, the least surprising reading. */
function text(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Brackets stay literal in keys (`a[b]`), as the APIs that use them document it; everything else is encoded. */
function bracketEncoder(value: string, defaultEncoder: (s: string) => string, _charset: string, type: 'key' | 'value'): string {
  const encoded = defaultEncoder(value);
  return type === 'key' ? encoded.replace(/%5B/gi, '[').replace(/%5D/gi, ']') : encoded;
}

const brackets = (name: string, value: unknown) => stringify({ [name]: value }, { encoder: bracketEncoder, arrayFormat: 'indices', format: 'RFC1738', allowEmptyArrays: false });
const pair = (name: string, value: unknown) => stringify({ [name]: text(value) }, { format: 'RFC1738' });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One top-level property of a url-encoded form, as `k=v` pairs. */
function formPairs(name: string, value: unknown, encoding: BodyEncoding | undefined): string[] {
  if (value === undefined) return [];
  if (encoding?.contentType && /json/i.test(encoding.contentType)) return [pair(name, JSON.stringify(value))];
  const style = encoding?.style ?? 'form';
  const explode = encoding?.explode ?? style === 'form';
  if (Array.isArray(value)) {
    // No declared encoding and items that are objects: brackets are the only reading servers parse.
    if (style === 'deepObject' || (!encoding && value.some(isObject))) return [brackets(name, value)].filter(Boolean);
    if (explode && style === 'form') return value.map((item) => pair(name, item));
    return value.length ? [pair(name, value.map(text).join(DELIMITERS[style] ?? ','))] : [];
  }
  if (isObject(value)) {
    // The spec's default (form, exploded) would spread the keys and lose the name; an undeclared object
    // goes in brackets, as the APIs that take nested forms (Stripe, Rails, PHP) read them.
    if (style === 'deepObject' || !encoding || (encoding.style === undefined && encoding.explode === undefined)) return [brackets(name, value)].filter(Boolean);
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (explode) return entries.map(([k, v]) => pair(k, v));
    return [pair(name, entries.flatMap(([k, v]) => [k, text(v)]).join(','))];
  }
  return [pair(name, value)];
}

export function urlEncodedBody(value: unknown, encodings: Encodings): string {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return pair('value', value);
  return Object.entries(value).flatMap(([k, v]) => formPairs(k, v, encodings?.[k])).join('&');
}

/** A multipart body with its boundary; file properties become parts with a filename and a content type. */
export function multipartBody(value: unknown, encodings: Encodings, files: readonly string[] = []): { body: Uint8Array; contentType: string } {
  const boundary = `toolshed-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  const part = (name: string, data: string, headers: { contentType?: string; filename?: string }) => {
    const disposition = `form-data; name="${quote(name)}"${headers.filename !== undefined ? `; filename="${quote(headers.filename)}"` : ''}`;
    const type = headers.contentType ? `\r\nContent-Type: ${headers.contentType}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), Buffer.from(data), Buffer.from('\r\n'));
  };
  const fields = isObject(value) ? Object.entries(value) : [['value', value] as const];
  for (const [name, v] of fields) {
    if (v === undefined || v === null) continue;
    const declared = encodings?.[name]?.contentType;
    const isFile = files.includes(name);
    for (const item of Array.isArray(v) && !(declared && /json/i.test(declared)) ? v : [v]) {
      if (isFile) part(name, text(item), { filename: name, contentType: declared ?? 'application/octet-stream' });
      else if (typeof item === 'object' && item !== null) part(name, JSON.stringify(item), { contentType: declared ?? 'application/json' });
      else part(name, String(item), declared && !/^text\/plain/i.test(declared) ? { contentType: declared } : {});
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Quotes and line breaks would end the header value early (RFC 7578 §4.2: percent-encode them). */
function quote(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
