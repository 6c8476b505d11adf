// OpenAPI schema objects → self-contained JSON Schema (2020-12 flavour) with named `$defs`.
// Hand-written because the shape is ours: every internal `$ref` becomes `#/$defs/<name>`, each named
// schema is converted once per catalog and shared between tools, and recursion always goes through a
// `$ref`, so what the model is shown is finite however circular the spec is.
import { decodePointer, escapeToken, isRef, resolvePointer } from './json-pointer.js';
import type { LoadReport } from './load-report.js';
import type { JsonSchema, SchemaWithDefs } from './tool-entry.js';

/** Keywords that hold one sub-schema. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems']);
/** Keywords that hold an array of sub-schemas. */
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords that hold a map of name → sub-schema. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
/** OpenAPI-only or documentation-only keywords that cost tokens and mean nothing to a validator. */
const DROPPED_KEYWORDS = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'nullable', 'x-nullable', '$schema', '$id', 'definitions', '$defs', 'collectionFormat', 'allowEmptyValue']);
/**
 * Our one annotation (vendor `x-` keys of the document are all dropped, so it cannot collide): a string
 * whose example is a URL on the API's own hosts, i.e. a link back into the API, which the lean profile
 * leaves out of results and describe_tools' TypeScript shows one level deeper. Validators ignore it.
 */
export const API_LINK_KEYWORD = 'x-api-link';

export class SchemaConverter {
  /** pointer → def name */
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>();
  /** def name → converted schema (shared by every tool that uses it) */
  private readonly defs = new Map<string, JsonSchema>();
  /** def name → def names its schema references directly */
  private readonly deps = new Map<string, Set<string>>();
  /** Def names whose schema has an opened (unresolvable) part somewhere inside. */
  private readonly opened = new Set<string>();
  /** Counts opened parts, so a caller can tell whether one conversion opened anything. */
  private openedCount = 0;

  /** `apiHosts`: the hosts of the document's servers, whose URLs in examples mark a field an API link. */
  constructor(
    private readonly doc: unknown,
    private readonly report: LoadReport,
    private readonly apiHosts: ReadonlySet<string> = new Set(),
  ) {}

  /** How many unresolvable parts have been opened so far (compare before and after a conversion). */
  get openedParts(): number {
    return this.openedCount;
  }

  /** Records an opened part found outside a schema (a response or body the mapper could not resolve). */
  countOpened(): void {
    this.openedCount++;
  }

  /** True when any of these defs (transitively, as given by `closure`) has an opened part. */
  anyOpened(defNames: Iterable<string>): boolean {
    for (const name of defNames) if (this.opened.has(name)) return true;
    return false;
  }

  /** Converts `schema` found at `at` (a JSON pointer, for error messages) into a self-contained schema. */
  convert(schema: unknown, at: string): SchemaWithDefs {
    const used = new Set<string>();
    const root = this.node(schema, at, used, new Set());
    return { root, defs: this.closure(used) };
  }

  /** Like `convert`, for a caller that assembles a root of its own from several converted parts. */
  convertPart(schema: unknown, at: string, used: Set<string>): JsonSchema {
    return this.node(schema, at, used, new Set());
  }

  /** The named schemas reachable from `used`, transitively. */
  closure(used: Iterable<string>): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    const stack = [...used];
    while (stack.length) {
      const name = stack.pop()!;
      if (name in out) continue;
      out[name] = this.defs.get(name)!;
      for (const dep of this.deps.get(name) ?? []) if (!(dep in out)) stack.push(dep);
    }
    return out;
  }

  private node(value: unknown, at: string, used: Set<string>, onPath: Set<object>): JsonSchema {
    if (typeof value === 'boolean') return value ? {} : { not: {} };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    if (isRef(value)) {
      const name = this.define(value.$ref);
      if (name === undefined) return this.open(at, value.$ref);
      used.add(name);
      const description = (value as { description?: unknown }).description;
      return typeof description === 'string' ? { $ref: `#/$defs/${name}`, description } : { $ref: `#/$defs/${name}` };
    }
    // YAML anchors can make a document cyclic without any $ref; cut such a cycle rather than loop.
    if (onPath.has(value)) return {};
    onPath.add(value);
    const src = value as Record<string, unknown>;
    const out: JsonSchema = {};
    for (const [key, child] of Object.entries(src)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (key === 'items' && Array.isArray(child)) {
        // `items: [A]` in real documents means "a list of A" (OpenAPI forbids the draft-4 tuple form), so it
        // is read as a list of any of the given item schemas, never as a tuple that valid calls would fail.
        const items = child.map((c, i) => this.node(c, `${at}/items/${i}`, used, onPath));
        if (items.length) out.items = items.length === 1 ? items[0]! : { anyOf: items };
      } else if (SCHEMA_KEYWORDS.has(key)) {
        out[key] = typeof child === 'boolean' ? child : this.node(child, `${at}/${key}`, used, onPath);
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(child)) {
        out[key] = child.map((c, i) => this.node(c, `${at}/${key}/${i}`, used, onPath));
      } else if (SCHEMA_MAP_KEYWORDS.has(key) && child && typeof child === 'object') {
        out[key] = Object.fromEntries(Object.entries(child).map(([k, c]) => [k, this.node(c, `${at}/${key}/${escapeToken(k)}`, used, onPath)]));
      } else {
        out[key] = child;
      }
    }
    onPath.delete(value);
    applyOpenApiQuirks(src, out);
    if (isApiLinkExample(src, this.apiHosts)) out[API_LINK_KEYWORD] = true;
    return out;
  }

  /** An open schema in place of an unresolvable `$ref`, with a warning naming where it sat. */
  private open(at: string, ref: string): JsonSchema {
    this.openedCount++;
    const reason = ref.startsWith('#') ? `broken $ref "${ref}": nothing at that pointer` : `external $ref "${ref}" could not be resolved`;
    if (ref.startsWith('#') || !this.report.has(at)) this.report.warn(at, reason, 'open_schema');
    return { description: `(unresolvable in the API description: ${ref})` };
  }

  /** Gives the schema at `ref` a def name, converting it the first time it is seen; undefined when it does not resolve. */
  private define(ref: string): string | undefined {
    const known = this.names.get(ref);
    if (known) return known;
    if (!ref.startsWith('#')) return undefined;
    const target = resolvePointer(this.doc, ref);
    if (target === undefined) return undefined;
    const name = this.uniqueName(ref);
    this.names.set(ref, name);
    // Register before converting so a schema that refers to itself finds its own name.
    const deps = new Set<string>();
    this.deps.set(name, deps);
    this.defs.set(name, {});
    const before = this.openedCount;
    const converted = this.node(target, ref, deps, new Set());
    if (this.openedCount > before) this.opened.add(name);
    this.defs.set(name, converted);
    return name;
  }

  private uniqueName(ref: string): string {
    const tokens = decodePointer(ref);
    const isComponent = (tokens[0] === 'components' && tokens[1] === 'schemas' && tokens.length === 3) || (tokens[0] === 'definitions' && tokens.length === 2);
    // A component keeps its own name; any other location is named after its last meaningful tokens.
    const base = isComponent ? tokens[tokens.length - 1]! : tokens.filter((t) => !GENERIC_TOKENS.has(t)).slice(-3).join('_') || 'schema';
    let name = base.replace(/[^A-Za-z0-9_.-]/g, '_');
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }
}

const GENERIC_TOKENS = new Set(['paths', 'components', 'schemas', 'schema', 'content', 'responses', 'parameters', 'requestBodies', 'properties', 'items', 'application/json']);

/**
 * Whether the schema's example (OpenAPI `example`, JSON Schema `examples`) is a URL or URI template on one
 * of the API's hosts. Read by host, not origin: examples are often written `http://` for an `https://` API.
 */
function isApiLinkExample(src: Record<string, unknown>, apiHosts: ReadonlySet<string>): boolean {
  if (apiHosts.size === 0) return false;
  const example = src.example ?? (Array.isArray(src.examples) ? src.examples[0] : undefined);
  if (typeof example !== 'string' || !/^https?:\/\//i.test(example)) return false;
  try {
    return apiHosts.has(new URL(example).host);
  } catch {
    return false;
  }
}

/** nullable (3.0), x-nullable (Swagger 2), boolean exclusive bounds (draft 4), `type: file`. */
function applyOpenApiQuirks(src: Record<string, unknown>, out: JsonSchema): void {
  if (src.nullable === true || src['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  numericExclusiveBounds(out);
  if (out.type === 'file') {
    out.type = 'string';
    out.format = 'binary';
  }
}


/** Draft-4 `exclusiveMinimum: true` beside `minimum` → the numeric form later drafts (and ajv 2020) use; in place. */
export function numericExclusiveBounds(schema: Record<string, unknown>): void {
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof schema[flag] !== 'boolean') continue;
    if (schema[flag] === true && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else delete schema[flag];
  }
}
