// An operation's request body: which media type toolshed sends, and, for forms, how each property is
// written (the media type's `encoding`) and which properties are files (multipart parts with a filename).
import { escapeToken } from './json-pointer.js';
import type { LoadReport } from './load-report.js';
import type { BodyEncoding, HttpRequestBody } from './tool-entry.js';

type Obj = Record<string, unknown>;

/** Follows `$ref`s to the object they stand for; throws when one leads nowhere. */
export type Deref = (value: unknown, at: string) => Obj;

export interface BodyPart {
  binding: HttpRequestBody;
  schema: unknown;
  description?: string;
  at: string;
}

/** JSON first, then forms, then whatever the operation lists first. */
export function pickContentType(types: string[]): string | undefined {
  return (
    types.find((t) => /^application\/json\b/i.test(t)) ??
    types.find((t) => /[/+]json\b/i.test(t)) ??
    types.find((t) => /x-www-form-urlencoded|multipart\/form-data/i.test(t)) ??
    types[0]
  );
}

export function requestBody(op: Obj, at: string, deref: Deref, report: LoadReport): BodyPart | undefined {
  if (!op.requestBody) return undefined;
  let body: Obj;
  try {
    body = deref(op.requestBody, `${at}/requestBody`);
  } catch (e) {
    // The body's shape is unknown, not its existence: the operation is served with an open JSON body.
    report.warn(`${at}/requestBody`, `${(e as Error).message}: the body is sent as given, unchecked`, 'open_schema');
    return { at: `${at}/requestBody`, schema: { description: '(unresolvable in the API description)' }, binding: { property: 'body', contentType: 'application/json', required: false } };
  }
  const content = (body.content ?? {}) as Obj;
  const contentType = pickContentType(Object.keys(content));
  if (!contentType) return undefined;
  const media = (content[contentType] ?? {}) as Obj;
  const schemaAt = `${at}/requestBody/content/${escapeToken(contentType)}/schema`;
  const isForm = /x-www-form-urlencoded|multipart\/form-data/i.test(contentType);
  const encoding = isForm ? encodingOf(media.encoding) : undefined;
  const files = /multipart\/form-data/i.test(contentType) ? fileProperties(media.schema, schemaAt, deref) : [];
  return {
    at: schemaAt,
    schema: media.schema ?? {},
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    binding: { property: 'body', contentType, required: body.required === true, ...(encoding ? { encoding } : {}), ...(files.length ? { files } : {}) },
  };
}

function encodingOf(value: unknown): Record<string, BodyEncoding> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, BodyEncoding> = {};
  for (const [name, raw] of Object.entries(value as Obj)) {
    if (raw === null || typeof raw !== 'object') continue;
    const e = raw as Obj;
    out[name] = {
      ...(typeof e.contentType === 'string' ? { contentType: e.contentType } : {}),
      ...(typeof e.style === 'string' ? { style: e.style } : {}),
      ...(typeof e.explode === 'boolean' ? { explode: e.explode } : {}),
      ...(typeof e.allowReserved === 'boolean' ? { allowReserved: e.allowReserved } : {}),
    };
  }
  return Object.keys(out).length ? out : undefined;
}

/** Top-level properties holding file content (`format: binary`, Swagger's `type: file`), lists of them included. */
function fileProperties(schema: unknown, at: string, deref: Deref): string[] {
  const isFile = (s: Obj) => s.format === 'binary' || s.type === 'file';
  try {
    const root = deref(schema, at);
    const properties = (root.properties ?? {}) as Obj;
    return Object.entries(properties).flatMap(([name, raw]) => {
      const prop = deref(raw, `${at}/properties/${escapeToken(name)}`);
      const items = prop.type === 'array' && prop.items ? deref(prop.items, `${at}/properties/${escapeToken(name)}/items`) : undefined;
      return isFile(prop) || (items && isFile(items)) ? [name] : [];
    });
  } catch {
    return []; // an unresolvable schema is opened (and reported) by the schema converter
  }
}
