// What a tool's success response exposes, read from its output schema: the field names (to match the
// values other tools consume, and as words for search), whether it returns a list, and the enum and
// example values it declares (what a catalog itself says its data contains: "Director", "crew").
import type { JsonSchema, SchemaWithDefs } from '../catalog/tool-entry.js';

/** Nesting read below the response root: wrappers (`data`, `results`) and one level of objects in them. */
const MAX_DEPTH = 3;
/** Enum/example values kept per tool: enough for the words, bounded for big schemas. */
const MAX_VALUES = 40;

export interface ResponseFields {
  /** Property names anywhere within MAX_DEPTH, in first-seen order, without duplicates. */
  names: string[];
  /** The names found in the returned objects themselves: at the root, or in the items of a list (`results[]`). */
  identity: string[];
  /** The response is a list, or an object wrapping one (`{ results: [...] }`). */
  list: boolean;
  /** Short string enum and example values. */
  values: string[];
}

export function responseFields(output: SchemaWithDefs | undefined): ResponseFields {
  const out: ResponseFields = { names: [], identity: [], list: false, values: [] };
  if (!output) return out;
  const names = new Set<string>();
  const identity = new Set<string>();
  const values = new Set<string>();
  const seen = new Set<JsonSchema>();
  // `top`: still inside the returned object (or a list's items), where identity fields live.
  const walk = (raw: JsonSchema | undefined, depth: number, top: boolean): void => {
    const schema = resolve(raw, output.defs);
    if (!schema || depth > MAX_DEPTH || seen.has(schema)) return;
    seen.add(schema);
    for (const value of [...asArray(schema.enum), schema.example, ...asArray(schema.examples)]) {
      if (typeof value === 'string' && value.length <= 40 && values.size < MAX_VALUES) values.add(value);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const part of asArray(schema[key])) walk(part as JsonSchema, depth, top);
    if (schema.items && typeof schema.items === 'object') {
      if (depth <= 1) out.list = true;
      walk(schema.items as JsonSchema, depth + 1, top && depth <= 1);
    }
    const properties = schema.properties;
    if (!properties || typeof properties !== 'object') return;
    const entries = Object.entries(properties as Record<string, JsonSchema>);
    for (const [name, child] of entries) {
      names.add(name);
      if (top) identity.add(name);
      // A list-wrapping object (`{ data: [...] }`, `{ results: [...], count }`) returns the list's items.
      const wrapped = depth === 0 && isList(child, output.defs);
      walk(child, depth + 1, wrapped);
    }
  };
  walk(output.root, 0, true);
  out.names = [...names];
  out.identity = [...identity];
  out.values = [...values];
  return out;
}

function isList(raw: JsonSchema, defs: Record<string, JsonSchema>): boolean {
  const schema = resolve(raw, defs);
  return !!schema && (schema.type === 'array' || (schema.items !== undefined && typeof schema.items === 'object'));
}

function resolve(schema: JsonSchema | undefined, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 8; hops++) {
    const ref: string = current.$ref;
    current = ref.startsWith('#/$defs/') ? defs[ref.slice('#/$defs/'.length)] : undefined;
  }
  return current && typeof current === 'object' ? current : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
