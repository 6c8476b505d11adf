// One OpenAPI 3.x document (Swagger 2 arrives here already mapped) → one ToolEntry per operation.
import { escapeToken, isRef, resolvePointer } from './json-pointer.js';
import type { LoadReport } from './load-report.js';
import { claimUnique, nameFromRoute, safeToolName, toIdentifier, toSnakeCase } from './naming.js';
import { splitPathKey } from './path-key.js';
import { pickContentType, requestBody, type BodyPart, type Deref } from './request-body.js';
import { SchemaConverter } from './schema-converter.js';
import type { HttpBinding, HttpParameter, JsonSchema, ParameterLocation, SchemaWithDefs, SecurityRequirement, ToolAnnotations, ToolEntry } from './tool-entry.js';

type Obj = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Per the OpenAPI spec these header parameters are ignored: the transport owns them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const DEFAULT_STYLE: Record<ParameterLocation, string> = { path: 'simple', query: 'form', header: 'simple', cookie: 'form' };
const SUMMARY_MAX_CHARS = 120;

export interface MapOptions {
  namespace: string;
  /** Receives every part that could not be used, with its pointer and what was done instead. */
  report: LoadReport;
  /** Base for resolving relative server URLs (the document's URL when it was loaded over http). */
  baseUrl?: string;
}

/** A `$ref` (or a chain of them) that leads nowhere usable: the caller decides between open, ignore and skip. */
class BrokenRef extends Error {
  constructor(readonly at: string, readonly ref: string) {
    super(`broken $ref "${ref}": nothing usable at that pointer`);
  }
}

/** The operations of a document as tools; what cannot be used goes to options.report, never a throw. */
export function mapOperations(doc: Obj, options: MapOptions): { tools: ToolEntry[]; openSchemas: number; skipped: number } {
  const { namespace, report } = options;
  const schemas = new SchemaConverter(doc, report, apiHosts(doc, options.baseUrl));
  const deref: Deref = (value, at) => {
    const seen = new Set<string>();
    let node = value;
    while (isRef(node)) {
      if (seen.has(node.$ref)) throw new BrokenRef(at, node.$ref);
      seen.add(node.$ref);
      const target = node.$ref.startsWith('#') ? resolvePointer(doc, node.$ref) : undefined;
      if (target === undefined || target === null || typeof target !== 'object') throw new BrokenRef(at, node.$ref);
      node = target;
    }
    return (node ?? {}) as Obj;
  };

  const taken = new Set<string>();
  const tools: ToolEntry[] = [];
  let openSchemas = 0;
  let skipped = 0;
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Obj)) {
    const itemAt = `#/paths/${escapeToken(path)}`;
    let item: Obj;
    try {
      item = deref(rawItem, itemAt);
    } catch (e) {
      report.warn(itemAt, `${(e as Error).message}: the path's operations cannot be known`, 'skipped');
      skipped++;
      continue;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op || typeof op !== 'object') continue;
      const at = `${itemAt}/${method}`;
      const openedBefore = schemas.openedParts;
      let tool: ToolEntry;
      try {
        tool = mapOperation({ doc, path, method, item, op, itemAt, at, deref, schemas, report, namespace, taken, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
      } catch (e) {
        // Anything unforeseen in one operation costs that operation, never the document.
        report.warn(at, e instanceof BrokenRef ? e.message : `cannot be mapped (${(e as Error).message})`, 'skipped');
        skipped++;
        continue;
      }
      const defNames = [...Object.keys(tool.input.defs), ...Object.keys(tool.output?.defs ?? {})];
      if (schemas.openedParts > openedBefore || schemas.anyOpened(defNames)) openSchemas++;
      tools.push(tool);
    }
  }
  return { tools, openSchemas, skipped };
}

interface OperationContext {
  doc: Obj;
  path: string;
  method: string;
  item: Obj;
  op: Obj;
  itemAt: string;
  at: string;
  deref: Deref;
  schemas: SchemaConverter;
  report: LoadReport;
  namespace: string;
  taken: Set<string>;
  baseUrl?: string;
}

function mapOperation(ctx: OperationContext): ToolEntry {
  const { doc, path, method, item, op, itemAt, at, deref, schemas, report, namespace, taken } = ctx;
  const parameters = collectParameters(item, op, itemAt, at, deref, report);
  // A value the path key fixes (`#Action=SendMessage`) is sent by toolshed: the caller need not give it.
  for (const [name] of splitPathKey(path).fixed) {
    for (const p of parameters) if (p.binding.in === 'query' && p.binding.name === name) p.binding.required = false;
  }
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (name && !parameters.some((p) => p.binding.in === 'path' && p.binding.name === name)) {
      // The template says the value is needed; a required string is the only honest reading of it.
      report.warn(at, `path parameter "${name}" is in the path but not declared: served as a required string`, 'open_schema');
      schemas.countOpened();
      parameters.push(undeclaredPathParameter(name, at, parameters));
    }
  }
  const body = requestBody(op, at, deref, report);
  const used = new Set<string>();
  const input = inputSchema(parameters, body, schemas, used);
  const output = successSchema(op, at, deref, schemas, report);
  const name = claimUnique(safeToolName(toIdentifier(op.operationId ? toSnakeCase(String(op.operationId)) : nameFromRoute(method, path))), taken);
  const summary = oneLine(String(op.summary ?? '') || String(op.description ?? '') || `${method.toUpperCase()} ${path}`);
  const binding: HttpBinding = {
    kind: 'http',
    method: method.toUpperCase(),
    path,
    servers: servers(op, item, doc, ctx.baseUrl),
    parameters: parameters.map((p) => p.binding),
    ...(body ? { body: body.binding } : {}),
    security: securityOf(op, doc),
  };
  return {
    namespace,
    name,
    id: `${namespace}.${name}`,
    summary,
    description: String(op.description ?? ''),
    tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
    input: { root: input, defs: schemas.closure(used) },
    ...(output ? { output } : {}),
    annotations: annotationsFor(binding.method, summary),
    binding,
  };
}

function undeclaredPathParameter(name: string, at: string, others: ParameterPart[]): ParameterPart {
  const taken = new Set(['body', ...others.map((p) => p.binding.property)]);
  return {
    at,
    schema: { type: 'string' },
    binding: { property: claimUnique(taken.has(name) ? `${name}_path` : name, taken), name, in: 'path', required: true, style: 'simple', explode: false, schema: {} },
  };
}

interface ParameterPart {
  binding: HttpParameter;
  schema: unknown;
  description?: string;
  at: string;
}

function collectParameters(item: Obj, op: Obj, itemAt: string, at: string, deref: Deref, report: LoadReport): ParameterPart[] {
  const byKey = new Map<string, { p: Obj; at: string }>();
  const add = (list: unknown, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const pAt = `${base}/parameters/${i}`;
      let p: Obj;
      try {
        p = deref(raw, pAt);
      } catch (e) {
        // A parameter nobody can name cannot be sent; a path parameter it should have filled is caught by the caller.
        report.warn(pAt, `${(e as Error).message}: the parameter is left out`, 'ignored');
        return;
      }
      if (typeof p.name !== 'string' || typeof p.in !== 'string') {
        report.warn(pAt, 'a parameter without "name" or "in" cannot be sent: it is left out', 'ignored');
        return;
      }
      byKey.set(`${p.in}:${p.name}`, { p, at: pAt });
    });
  };
  add(item.parameters, itemAt);
  add(op.parameters, at); // operation-level parameters override path-level ones

  const properties = new Set<string>(['body']);
  const parts: ParameterPart[] = [];
  for (const { p, at: pAt } of byKey.values()) {
    const location = p.in as ParameterLocation;
    if (!['path', 'query', 'header', 'cookie'].includes(location)) continue;
    const name = String(p.name);
    if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
    // Two parameters with one name in different places (or one called `body`) get distinct properties.
    const property = properties.has(name) ? claimUnique(`${name}_${location}`, properties) : claimUnique(name, properties);
    const content = p.content as Obj | undefined;
    const schema = p.schema ?? (content ? (Object.values(content)[0] as Obj | undefined)?.schema : undefined) ?? {};
    parts.push({
      at: pAt,
      schema,
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
      binding: {
        property,
        name,
        in: location,
        required: location === 'path' || p.required === true,
        style: typeof p.style === 'string' ? p.style : DEFAULT_STYLE[location],
        explode: typeof p.explode === 'boolean' ? p.explode : (p.style ?? DEFAULT_STYLE[location]) === 'form',
        ...(p.allowReserved === true && location === 'query' ? { allowReserved: true } : {}),
        schema: {},
      },
    });
  }
  return parts;
}

function inputSchema(parameters: ParameterPart[], body: BodyPart | undefined, schemas: SchemaConverter, used: Set<string>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const part of parameters) {
    const schema = schemas.convertPart(part.schema, `${part.at}/schema`, used);
    part.binding.schema = schema;
    properties[part.binding.property] = part.description && !schema.description ? { ...schema, description: part.description } : schema;
    if (part.binding.required) required.push(part.binding.property);
  }
  if (body) {
    const schema = schemas.convertPart(body.schema, body.at, used);
    properties.body = body.description && !schema.description ? { ...schema, description: body.description } : schema;
    if (body.binding.required) required.push('body');
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** The schema of the first 2xx response that has a body (or of `default` when no 2xx is declared). */
function successSchema(op: Obj, at: string, deref: Deref, schemas: SchemaConverter, report: LoadReport): SchemaWithDefs | undefined {
  const responses = (op.responses ?? {}) as Obj;
  const codes = Object.keys(responses).sort();
  const success = codes.filter((c) => /^2(\d\d|XX)$/i.test(c));
  for (const code of success.length ? success : codes.filter((c) => c === 'default')) {
    let response: Obj;
    try {
      response = deref(responses[code], `${at}/responses/${code}`);
    } catch (e) {
      // Only the promised result shape is lost: the call itself is unaffected.
      report.warn(`${at}/responses/${code}`, `${(e as Error).message}: the result shape is not shown`, 'open_schema');
      schemas.countOpened();
      return undefined;
    }
    const content = (response.content ?? {}) as Obj;
    const contentType = pickContentType(Object.keys(content));
    const media = contentType ? (content[contentType] as Obj | undefined) : undefined;
    if (media?.schema) return schemas.convert(media.schema, `${at}/responses/${code}/content/${escapeToken(contentType!)}/schema`);
  }
  return undefined;
}

function servers(op: Obj, item: Obj, doc: Obj, baseUrl: string | undefined): HttpBinding['servers'] {
  const declared = [op.servers, item.servers, doc.servers].find((s) => Array.isArray(s) && s.length) as Obj[] | undefined;
  const list = declared ?? [{ url: '/' }];
  return list.map((s) => {
    const url = String(s.url ?? '/');
    const absolute = baseUrl && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url, baseUrl).toString() : url;
    const variables = s.variables as Record<string, { default: string; enum?: string[] }> | undefined;
    return variables ? { url: absolute, variables } : { url: absolute };
  });
}

/** Hosts of the document's own servers (variables at their defaults): example URLs there are links back into the API. */
function apiHosts(doc: Obj, baseUrl: string | undefined): Set<string> {
  const hosts = new Set<string>();
  for (const server of servers({}, {}, doc, baseUrl)) {
    const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') hosts.add(parsed.host);
    } catch {
      // A relative server with no document URL to resolve it against names no host.
    }
  }
  return hosts;
}

function securityOf(op: Obj, doc: Obj): SecurityRequirement[] {
  const requirements = (op.security ?? doc.security ?? []) as Array<Record<string, string[]>>;
  return requirements.map((req) => Object.entries(req).map(([scheme, scopes]) => ({ scheme, scopes: scopes ?? [] })));
}

function annotationsFor(method: string, summary: string): ToolAnnotations {
  const readOnly = method === 'GET' || method === 'HEAD';
  return {
    title: summary,
    readOnlyHint: readOnly,
    ...(readOnly ? {} : { destructiveHint: method === 'DELETE' }),
    idempotentHint: ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method),
    openWorldHint: true,
  };
}

/** First line / sentence of a text, markdown links reduced to their words, at most SUMMARY_MAX_CHARS. */
export function oneLine(text: string): string {
  const flat = text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .split(/\n\s*\n|\r?\n/)[0]!
    .trim();
  const sentence = /^(.+?[.!?])\s/.exec(flat)?.[1] ?? flat;
  const cut = sentence.length > SUMMARY_MAX_CHARS ? `${sentence.slice(0, SUMMARY_MAX_CHARS - 1).trimEnd()}…` : sentence;
  return cut.replace(/\.$/, '');
}
