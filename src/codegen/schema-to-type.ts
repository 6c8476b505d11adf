// JSON Schema (2020-12, plus OpenAPI 3.0's `nullable`) → TsType. Exact where TypeScript can say
// it; validation-only keywords (formats, patterns, bounds, `not`) have no type and are dropped.

import { decodePointer } from '../catalog/json-pointer.js';
import { API_LINK_KEYWORD } from '../catalog/schema-converter.js';
import type { JsonSchema } from '../catalog/tool-entry.js';
import { docLine } from './doc-line.js';
import { intersection, NEVER, NULL, type TsProp, type TsType, union, UNKNOWN } from './ts-type.js';

export interface SchemaToTypeOptions {
  /** Keep a one-line JSDoc from each property's description (used for tool inputs only, see declarations.ts). */
  docs: boolean;
}

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `$defs` name a `$ref` points at, or undefined for any other pointer. */
export function refDefName(ref: string): string | undefined {
  if (!ref.startsWith('#/')) return undefined;
  const tokens = decodePointer(ref);
  return tokens.length === 2 && tokens[0] === '$defs' ? tokens[1] : undefined;
}

function literal(value: unknown): TsType {
  if (value === null) return NULL;
  if (typeof value === 'string' || typeof value === 'boolean') return { kind: 'atom', text: JSON.stringify(value) };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'atom', text: String(value) };
  return UNKNOWN; // object/array literals: a TS literal type would cost more than it tells
}

export function schemaToType(schema: unknown, options: SchemaToTypeOptions): TsType {
  if (schema === false) return NEVER;
  if (!isObject(schema)) return UNKNOWN; // `true`, or garbage
  const s = schema;
  if (isObject(s.not) && Object.keys(s.not).length === 0) return NEVER; // how the loader writes a `false` schema

  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.filter((t) => typeof t === 'string') : [];
  const nullable = s.nullable === true || types.includes('null');
  const nonNull = types.filter((t) => t !== 'null');

  let own: TsType | undefined;
  let bare = false; // a `type` keyword and nothing else describing the value
  if ('const' in s) own = literal(s.const);
  else if (Array.isArray(s.enum)) own = union(s.enum.map(literal));
  else {
    const shape = 'properties' in s || 'additionalProperties' in s || 'patternProperties' in s || 'items' in s || 'prefixItems' in s;
    bare = !shape;
    const kinds = nonNull.length > 0 ? nonNull : shape ? ['items' in s || 'prefixItems' in s ? 'array' : 'object'] : [];
    if (kinds.length > 0) own = union(kinds.map((k) => typeOfKind(k, s, options)));
    else if (types.includes('null')) own = NULL;
  }

  const composed: TsType[] = [];
  if (typeof s.$ref === 'string') {
    const def = refDefName(s.$ref);
    composed.push(def === undefined ? UNKNOWN : { kind: 'ref', def });
  }
  if (Array.isArray(s.allOf)) composed.push(...s.allOf.map((m) => schemaToType(m, options)));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const alts = s[key];
    if (Array.isArray(alts)) composed.push(union(alts.map((m) => schemaToType(m, options))));
  }
  const informative = composed.filter((t) => !(t.kind === 'atom' && t.text === 'unknown'));

  // `{type: object, allOf: [{$ref: X}]}`: the bare `type` adds nothing the composition does not say.
  const parts = own === undefined || (bare && informative.length > 0) ? informative : [own, ...informative];
  const result = intersection(parts);
  return nullable ? union([result, NULL]) : result;
}

function typeOfKind(kind: string, s: JsonSchema, options: SchemaToTypeOptions): TsType {
  switch (kind) {
    case 'string':
      return { kind: 'atom', text: 'string' }; // format: binary too: the bridge carries JSON, so bytes travel as text
    case 'integer':
    case 'number':
      return { kind: 'atom', text: 'number' };
    case 'boolean':
      return { kind: 'atom', text: 'boolean' };
    case 'null':
      return NULL;
    case 'array':
      return arrayType(s, options);
    case 'object':
      return objectType(s, options);
    default:
      return UNKNOWN;
  }
}

function arrayType(s: JsonSchema, options: SchemaToTypeOptions): TsType {
  // 2020-12 tuples are `prefixItems` (+ `items` for the rest); draft-04 tuples are an `items` array.
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
  if (prefix !== undefined) {
    const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
    const elements = prefix.map((m) => schemaToType(m, options));
    return rest === false ? { kind: 'tuple', elements } : { kind: 'tuple', elements, rest: schemaToType(rest, options) };
  }
  return { kind: 'array', element: schemaToType(s.items, options) };
}

function objectType(s: JsonSchema, options: SchemaToTypeOptions): TsType {
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  const props: TsProp[] = [];
  if (isObject(s.properties)) {
    for (const [key, propSchema] of Object.entries(s.properties)) {
      const doc = options.docs && isObject(propSchema) ? docLine(propSchema.description) : '';
      const link = isObject(propSchema) && propSchema[API_LINK_KEYWORD] === true;
      props.push({ key, optional: !required.has(key), type: schemaToType(propSchema, options), ...(doc ? { doc } : {}), ...(link ? { link } : {}) });
    }
  }
  // Extra keys: a schema for them, or pattern-keyed schemas; `true`/absent adds nothing a TS object type forbids on read.
  const extras: TsType[] = [];
  if (isObject(s.additionalProperties)) extras.push(schemaToType(s.additionalProperties, options));
  if (isObject(s.patternProperties)) extras.push(...Object.values(s.patternProperties).map((m) => schemaToType(m, options)));
  if (props.length === 0) {
    const index = extras.length > 0 ? union(extras) : s.additionalProperties === false ? NEVER : UNKNOWN;
    return { kind: 'object', props, index };
  }
  // Declared properties need not match the extras' type, so the index signature stays `unknown` when both exist.
  return extras.length > 0 ? { kind: 'object', props, index: UNKNOWN } : { kind: 'object', props };
}
