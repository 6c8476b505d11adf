// describe_tools' answer: per tool the exact input schema (descriptions cut to a line), its required
// fields, the auth it needs and a compact shape of the success result. Named sub-schemas are printed
// once per answer under a shared `$defs`, however many of the described tools use them.
import { oneLine } from '../catalog/openapi-operations.js';
import { API_LINK_KEYWORD } from '../catalog/schema-converter.js';
import { routeOf, type JsonSchema, type ToolEntry } from '../catalog/tool-entry.js';
import type { Need } from '../search/producer-graph.js';

const DESCRIPTION_MAX_CHARS = 300;
/** Output shapes show the top level only; nested objects appear as their type name (compact: GitHub nests deep). */
const OUTPUT_SHAPE_DEPTH = 1;

export interface ToolDescription {
  name: string;
  route?: string;
  summary: string;
  description?: string;
  auth: string;
  /** Its `required` says which arguments must be given (printed once: no separate list). */
  input: JsonSchema;
  output?: unknown;
  /** Values the tool needs that another tool's result gives (as in search_tools' results). */
  needs?: Need[];
}

/** `depth`: levels of the output shape (1: the top-level fields with their types, nested ones by name). */
export function describeTools(
  entries: ToolEntry[],
  authOf: (entry: ToolEntry) => string,
  needsOf: (entry: ToolEntry) => Need[] = () => [],
  depth = OUTPUT_SHAPE_DEPTH,
): { tools: ToolDescription[]; $defs?: Record<string, JsonSchema> } {
  const defs: Record<string, JsonSchema> = {};
  const owner = new Map<string, string>(); // def name → namespace that printed it
  const tools = entries.map((entry) => {
    let input = trimDescriptions(entry.input.root);
    for (const [name, schema] of Object.entries(entry.input.defs)) {
      const printedBy = owner.get(name);
      if (printedBy === undefined || printedBy === entry.namespace) {
        owner.set(name, entry.namespace);
        defs[name] = trimDescriptions(schema);
      } else {
        // Same name from another catalog: keep both, the second under a qualified name.
        const qualified = `${entry.namespace}.${name}`;
        defs[qualified] = renameRef(trimDescriptions(schema), name, qualified);
        input = renameRef(input, name, qualified);
      }
    }
    const route = routeOf(entry);
    const description = entry.description ? oneParagraph(entry.description) : '';
    const needs = needsOf(entry);
    return {
      name: entry.id,
      ...(route ? { route } : {}),
      summary: entry.summary,
      ...(description && description !== entry.summary ? { description } : {}),
      auth: authOf(entry),
      input,
      ...(entry.output ? { output: shapeOf(entry.output.root, entry.output.defs, depth) } : {}),
      ...(needs.length ? { needs } : {}),
    };
  });
  return Object.keys(defs).length ? { tools, $defs: defs } : { tools };
}

/** A compact picture of a schema: `{ id: "integer", user: "simple-user|null", labels: "label[]" }`. */
export function shapeOf(schema: JsonSchema, defs: Record<string, JsonSchema>, depth: number): unknown {
  const ref = typeof schema.$ref === 'string' ? schema.$ref.replace('#/$defs/', '') : undefined;
  if (ref !== undefined) {
    const target = defs[ref];
    return depth > 0 && target && isObjectSchema(target) ? shapeOf(target, defs, depth) : ref;
  }
  if (isObjectSchema(schema) && depth > 0 && schema.properties) {
    const props = schema.properties as Record<string, JsonSchema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [required.has(k) ? k : `${k}?`, shapeOf(v, defs, depth - 1)]));
  }
  if (schema.type === 'array' && schema.items && typeof schema.items === 'object') {
    const item = shapeOf(schema.items as JsonSchema, defs, depth);
    return typeof item === 'string' ? `${item.includes('|') ? `(${item})` : item}[]` : [item];
  }
  return typeName(schema);
}

function typeName(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') return schema.$ref.replace('#/$defs/', '');
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join('|');
  const alternatives = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (alternatives) return alternatives.map(typeName).join('|');
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(typeName).join('&');
  if (schema.type === 'array') return `${schema.items ? typeName(schema.items as JsonSchema) : 'unknown'}[]`;
  if (Array.isArray(schema.type)) return schema.type.join('|');
  return typeof schema.type === 'string' ? schema.type : 'unknown';
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (schema.type === undefined && typeof schema.properties === 'object');
}

/** A deep copy with every `description` cut to its first sentence and our link annotation left out; validation keywords untouched. */
function trimDescriptions(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === API_LINK_KEYWORD ? undefined : key === 'description' && typeof value === 'string' ? oneLine(value) : value)) as JsonSchema;
}

function renameRef(schema: JsonSchema, from: string, to: string): JsonSchema {
  return JSON.parse(JSON.stringify(schema).split(`"#/$defs/${from}"`).join(`"#/$defs/${to}"`)) as JsonSchema;
}

function oneParagraph(text: string): string {
  const flat = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  return flat.length > DESCRIPTION_MAX_CHARS ? `${flat.slice(0, DESCRIPTION_MAX_CHARS - 1)}…` : flat;
}
