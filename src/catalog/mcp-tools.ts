// Upstream MCP tool definitions (a `tools/list` page) → ToolEntry, like OpenAPI operations: snake_case
// names unique in the namespace, a one-line summary, and self-contained schemas whose named parts live
// in `defs` (upstream `$defs`/`definitions` and JSON-pointer refs are lifted and renamed). Pure.
import { decodePointer, resolvePointer } from './json-pointer.js';
import { claimUnique, toIdentifier, toSnakeCase } from './naming.js';
import { oneLine } from './openapi-operations.js';
import { numericExclusiveBounds } from './schema-converter.js';
import type { JsonSchema, SchemaWithDefs, ToolAnnotations, ToolEntry } from './tool-entry.js';

/** One tool as an upstream lists it; loose because static files carry `annotations: null` and the like. */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
}

export interface McpToolsOptions {
  namespace: string;
  tools: readonly McpToolDefinition[];
  /** Searchable words for every tool (the server's name, a category). */
  tags?: string[];
}

/**
 * A server's name as users write it (`bing-cn-mcp`, `GitHub`, `Ant Design Components`) → a namespace
 * identifier (`bing_cn_mcp`, `github`, `ant_design_components`). Lower-cased before splitting, unlike
 * tool names: `GitHub` is one word to its users, not `git_hub`.
 */
export function namespaceFromServerName(name: string): string {
  return toIdentifier(toSnakeCase(name.toLowerCase()));
}

const ANNOTATION_HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
/** Pointer segments that are schema structure, not names: skipped when naming a lifted sub-schema. */
const STRUCTURAL_SEGMENTS = new Set(['properties', 'items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not', 'prefixItems', '$defs', 'definitions', 'patternProperties']);

export function mcpToolsToEntries(options: McpToolsOptions): ToolEntry[] {
  const { namespace } = options;
  const taken = new Set<string>();
  const defs = createDefNamer();
  return options.tools.map((tool) => {
    const name = claimUnique(toIdentifier(toSnakeCase(tool.name)), taken);
    const description = typeof tool.description === 'string' ? tool.description.trim() : '';
    const annotations = annotationsOf(tool);
    const output = isObject(tool.outputSchema) ? liftSchema(tool.outputSchema, defs, name, 'output') : undefined;
    return {
      namespace,
      name,
      id: `${namespace}.${name}`,
      summary: (description ? oneLine(description) : '') || annotations.title || name.replace(/_/g, ' '),
      description,
      tags: options.tags ?? [],
      input: liftSchema(isObject(tool.inputSchema) ? tool.inputSchema : {}, defs, name, 'input'),
      ...(output ? { output } : {}),
      annotations,
      binding: { kind: 'mcp', upstreamName: tool.name },
    };
  });
}

function annotationsOf(tool: McpToolDefinition): ToolAnnotations {
  const given = isObject(tool.annotations) ? tool.annotations : {};
  const out: ToolAnnotations = {};
  const title = typeof given.title === 'string' ? given.title : tool.title;
  if (title) out.title = title;
  for (const hint of ANNOTATION_HINTS) if (typeof given[hint] === 'boolean') out[hint] = given[hint];
  return out;
}

/** Def names unique per namespace: the same name always means the same schema (codegen emits each once). */
interface DefNamer {
  /** `shareable`: an identical body already named may be reused (only ref-free bodies, whose JSON is final). */
  claim(preferred: string, schema: JsonSchema, shareable: boolean): string;
}

function createDefNamer(): DefNamer {
  const byName = new Map<string, string | undefined>(); // name → JSON of a shareable body
  return {
    claim(preferred, schema, shareable) {
      const json = shareable ? JSON.stringify(schema) : undefined;
      const base = preferred.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'Def';
      for (let i = 1; ; i++) {
        const candidate = i === 1 ? base : `${base}_${i}`;
        if (!byName.has(candidate)) {
          byName.set(candidate, json);
          return candidate;
        }
        if (json !== undefined && byName.get(candidate) === json) return candidate;
      }
    },
  };
}

/**
 * Copies `schema`, moving root `$defs`/`definitions` and every sub-schema a JSON-pointer ref points at
 * into named defs, and rewriting each `$ref` to `#/$defs/<name unique in the namespace>`. Refs that
 * cannot be resolved (external URLs, broken pointers) become `{}`: any value, rather than a schema no
 * validator compiles.
 */
function liftSchema(schema: Record<string, unknown>, namer: DefNamer, tool: string, role: 'input' | 'output'): SchemaWithDefs {
  const original = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  const local = new Map<string, string>(); // pointer → name local to this schema
  const localNames = new Set<string>();
  const queue: string[] = [];

  const refName = (ref: string): string | undefined => {
    const pointer = ref === '#' ? '' : ref.startsWith('#/') ? ref.slice(1) : undefined;
    if (pointer === undefined) return undefined;
    const known = local.get(pointer);
    if (known) return known;
    if (!isObject(resolvePointer(original, `#${pointer}`))) return undefined;
    const name = claimUnique(defNameFor(pointer, tool, role), localNames);
    local.set(pointer, name);
    queue.push(pointer);
    return name;
  };
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const entries = Object.entries(draft4Bounds(node))
      .filter(([k]) => k !== '$ref')
      .map(([k, v]) => [k, KEEP_AS_DATA.has(k) ? v : rewrite(v)] as const);
    if (typeof node.$ref !== 'string') return Object.fromEntries(entries);
    const name = refName(node.$ref);
    return name ? { $ref: `#/$defs/${name}`, ...Object.fromEntries(entries) } : Object.fromEntries(entries);
  };

  const root = rewrite(withoutMeta(original)) as JsonSchema;
  if (role === 'input' && root.type === undefined && root.$ref === undefined) root.type = 'object';
  const bodies = new Map<string, JsonSchema>();
  for (let pointer = queue.shift(); pointer !== undefined; pointer = queue.shift()) {
    bodies.set(local.get(pointer)!, rewrite(withoutMeta(resolvePointer(original, `#${pointer}`) as JsonSchema)) as JsonSchema);
  }
  const renamed = new Map<string, string>();
  for (const [name, body] of bodies) renamed.set(name, namer.claim(name, body, !JSON.stringify(body).includes('"$ref"')));
  if ([...renamed].every(([from, to]) => from === to)) return { root, defs: Object.fromEntries(bodies) };
  const rename = (node: JsonSchema): JsonSchema =>
    JSON.parse(JSON.stringify(node), (key, value: unknown) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/') ? `#/$defs/${renamed.get(value.slice(8)) ?? value.slice(8)}` : value,
    ) as JsonSchema;
  return { root: rename(root), defs: Object.fromEntries([...bodies].map(([name, body]) => [renamed.get(name)!, rename(body)])) };
}

/** A copy of `node` with draft-4 boolean exclusive bounds in the numeric form (still seen upstream). */
function draft4Bounds(node: Record<string, unknown>): Record<string, unknown> {
  if (typeof node.exclusiveMinimum !== 'boolean' && typeof node.exclusiveMaximum !== 'boolean') return node;
  const out = { ...node };
  numericExclusiveBounds(out);
  return out;
}

/** Keywords whose values are data, not schemas: a `$ref` key inside an example is left alone. */
const KEEP_AS_DATA = new Set(['enum', 'const', 'default', 'examples', 'example', 'required']);

/** Drops what only makes sense at a document root (ajv 2020 refuses a draft-07 `$schema`). */
function withoutMeta(schema: JsonSchema): JsonSchema {
  const { $defs: _defs, definitions: _definitions, $schema: _schema, $id: _id, ...body } = schema;
  return body;
}

/** `/$defs/Entity` → `Entity`; `/properties/data/items` → `<tool>_data`; the root (`#`) → `<tool>_input`. */
function defNameFor(pointer: string, tool: string, role: string): string {
  const segments = decodePointer(`#${pointer}`);
  const defIndex = Math.max(segments.lastIndexOf('$defs'), segments.lastIndexOf('definitions'));
  if (defIndex >= 0 && defIndex === segments.length - 2) return segments[defIndex + 1]!;
  const named = segments.filter((s) => !STRUCTURAL_SEGMENTS.has(s) && !/^\d+$/.test(s));
  return named.length ? `${tool}_${named.slice(-2).join('_')}` : `${tool}_${role}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
