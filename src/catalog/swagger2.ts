// Swagger 2.0 → the OpenAPI 3 shape the operation mapper reads. Hand-written rather than pulling in a
// converter (swagger2openapi is unmaintained since 2021): only the parts toolshed reads are mapped —
// servers, parameters, bodies, responses, security — and `#/definitions/...` refs keep resolving
// because `definitions` is carried over unchanged.
import { escapeToken, isRef, resolvePointer } from './json-pointer.js';
import type { LoadReport } from './load-report.js';

type Obj = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Parameter keywords that describe the value itself (they form its schema in OpenAPI 3). */
const VALUE_KEYWORDS = ['type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'x-nullable'];
const COLLECTION_STYLES: Record<string, { style: string; explode: boolean }> = {
  csv: { style: 'form', explode: false },
  multi: { style: 'form', explode: true },
  ssv: { style: 'spaceDelimited', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
  tsv: { style: 'tabDelimited', explode: false }, // no OpenAPI 3 style: toolshed's own name for it
};

export function swagger2ToOpenApi3(doc: Obj, report: LoadReport): Obj {
  /** The object a value stands for, or undefined (with a warning) when its `$ref` leads nowhere. */
  const deref = (value: unknown, at: string, effect: 'skipped' | 'ignored' | 'open_schema', what: string): Obj | undefined => {
    if (!isRef(value)) return (value ?? {}) as Obj;
    const target = value.$ref.startsWith('#') ? resolvePointer(doc, value.$ref) : undefined;
    if (target !== null && typeof target === 'object') return target as Obj;
    report.warn(at, `broken $ref "${value.$ref}": nothing at that pointer; ${what}`, effect);
    return undefined;
  };
  const derefAll = (list: unknown, at: string): Obj[] =>
    (Array.isArray(list) ? (list as unknown[]) : []).flatMap((p, i): Obj[] => {
      const param = deref(p, `${at}/parameters/${i}`, 'ignored', 'the parameter is left out');
      return param ? [param] : [];
    });
  const globalConsumes = (doc.consumes as string[] | undefined) ?? ['application/json'];
  const globalProduces = (doc.produces as string[] | undefined) ?? ['application/json'];

  const paths: Obj = {};
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Obj)) {
    const item = deref(rawItem, `#/paths/${escapeToken(path)}`, 'skipped', "the path's operations cannot be known");
    if (!item) continue;
    const shared = derefAll(item.parameters, `#/paths/${escapeToken(path)}`);
    const outItem: Obj = {};
    for (const method of HTTP_METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      const at = `#/paths/${escapeToken(path)}/${method}`;
      const params = mergeParams(shared, derefAll(op.parameters, at));
      const consumes = (op.consumes as string[] | undefined) ?? globalConsumes;
      const produces = (op.produces as string[] | undefined) ?? globalProduces;
      const responses: Obj = {};
      for (const [code, raw] of Object.entries((op.responses ?? {}) as Obj)) {
        const response = deref(raw, `${at}/responses/${code}`, 'open_schema', 'the result shape is not shown');
        if (!response) {
          responses[code] = { description: '' };
          continue;
        }
        responses[code] = {
          description: response.description ?? '',
          ...(response.schema ? { content: { [pickJson(produces)]: { schema: response.schema } } } : {}),
        };
      }
      outItem[method] = {
        ...op,
        parameters: params.filter((p) => p.in !== 'body' && p.in !== 'formData').map(toParameter3),
        requestBody: toRequestBody(params, consumes),
        responses,
      };
    }
    paths[path] = outItem;
  }

  return {
    openapi: '3.0.3',
    info: doc.info,
    servers: [{ url: serverUrl(doc) }],
    paths,
    security: doc.security,
    tags: doc.tags,
    definitions: doc.definitions,
    components: { securitySchemes: mapSecurityDefinitions((doc.securityDefinitions ?? {}) as Obj) },
  };
}

function mergeParams(shared: Obj[], own: Obj[]): Obj[] {
  const key = (p: Obj) => `${String(p.in)}:${String(p.name)}`;
  const byKey = new Map(shared.map((p) => [key(p), p]));
  for (const p of own) byKey.set(key(p), p);
  return [...byKey.values()];
}

function toParameter3(p: Obj): Obj {
  const schema = Object.fromEntries(VALUE_KEYWORDS.filter((k) => k in p).map((k) => [k, p[k]]));
  const collection = COLLECTION_STYLES[String(p.collectionFormat ?? 'csv')] ?? COLLECTION_STYLES.csv!;
  return {
    name: p.name,
    in: p.in,
    required: p.required === true,
    description: p.description,
    schema,
    ...(schema.type === 'array' ? collection : {}),
  };
}

function toRequestBody(params: Obj[], consumes: string[]): Obj | undefined {
  const body = params.find((p) => p.in === 'body');
  if (body) return { required: body.required === true, description: body.description, content: { [pickJson(consumes)]: { schema: body.schema ?? {} } } };
  const form = params.filter((p) => p.in === 'formData');
  if (!form.length) return undefined;
  const hasFile = form.some((p) => p.type === 'file');
  const contentType = hasFile || consumes.includes('multipart/form-data') ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
  const properties = Object.fromEntries(form.map((p) => [p.name, { ...toParameter3(p).schema as Obj, ...(p.description ? { description: p.description } : {}) }]));
  const required = form.filter((p) => p.required === true).map((p) => p.name);
  // Array fields are written as their collectionFormat says (csv by default, as Swagger 2 defines it).
  const encoding = Object.fromEntries(form.filter((p) => p.type === 'array').map((p) => [p.name, COLLECTION_STYLES[String(p.collectionFormat ?? 'csv')] ?? COLLECTION_STYLES.csv!]));
  const media = { schema: { type: 'object', properties, ...(required.length ? { required } : {}) }, ...(Object.keys(encoding).length ? { encoding } : {}) };
  return { required: required.length > 0, content: { [contentType]: media } };
}

function pickJson(types: string[]): string {
  return types.find((t) => /json/i.test(t)) ?? types[0] ?? 'application/json';
}

function serverUrl(doc: Obj): string {
  const basePath = typeof doc.basePath === 'string' ? doc.basePath : '';
  if (typeof doc.host !== 'string') return basePath || '/';
  const schemes = (doc.schemes as string[] | undefined) ?? ['https'];
  const scheme = schemes.includes('https') ? 'https' : schemes[0] ?? 'https';
  return `${scheme}://${doc.host}${basePath}`;
}

function mapSecurityDefinitions(defs: Obj): Obj {
  const out: Obj = {};
  for (const [name, raw] of Object.entries(defs)) {
    const def = raw as Obj;
    if (def.type === 'basic') out[name] = { type: 'http', scheme: 'basic' };
    else if (def.type === 'apiKey') out[name] = { type: 'apiKey', in: def.in, name: def.name };
    else out[name] = { type: 'oauth2', description: def.description };
  }
  return out;
}

