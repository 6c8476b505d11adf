// The baselines toolshed is measured against: the tools/list a plain OpenAPI-to-MCP server would send
// (one tool per operation, full input schema) and a names-plus-one-liners listing. Where such servers
// differ, the choice that costs fewer tokens is taken, so the reductions reported are lower bounds:
// the description is the operation's description, or its summary when it has none (not both), and
// each tool's schema carries the named sub-schemas it reaches once, under its own `$defs`, rather than
// expanding every `$ref` in place (which never ends on recursive schemas and runs to ~10^10 characters
// on Microsoft Graph's).
import { API_LINK_KEYWORD } from '../catalog/schema-converter.js';
import type { JsonSchema, ToolEntry } from '../catalog/tool-entry.js';

export interface PlainTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

/** One catalog tool as a plain server lists it: the name it would give, the full description, a self-contained input schema. */
export function plainTool(entry: ToolEntry): PlainTool {
  const { root, defs } = entry.input;
  return {
    name: plainName(entry),
    description: entry.description || entry.summary,
    inputSchema: Object.keys(defs).length ? { ...root, $defs: defs } : root,
  };
}

/** Names and one-line summaries only: what knowing the catalog's contents costs at the least. */
export function namesOnlyTool(entry: ToolEntry): { name: string; description: string } {
  return { name: plainName(entry), description: entry.summary };
}

/** The operation's own name (an upstream MCP tool keeps the name its server gives it). */
export function plainName(entry: ToolEntry): string {
  return entry.binding.kind === 'mcp' ? entry.binding.upstreamName : entry.name;
}

/**
 * The text of `{"tools":[...]}` as tools/list would return it, in pieces (one per tool, plus the
 * wrapper): counting pieces keeps memory flat on catalogs whose list runs to ~90 MB (Microsoft Graph),
 * and differs from counting the joined text only at the seams (a comma each).
 */
export function* toolsListPieces<T>(tools: readonly ToolEntry[], toPlain: (entry: ToolEntry) => T): Generator<string> {
  yield '{"tools":[';
  for (let i = 0; i < tools.length; i++) yield `${i ? ',' : ''}${JSON.stringify(toPlain(tools[i]!), withoutOurAnnotation)}`;
  yield ']}';
}

/** A plain server sends the document's schemas, which do not carry toolshed's link annotation (they carry the examples it is read from). */
function withoutOurAnnotation(key: string, value: unknown): unknown {
  return key === API_LINK_KEYWORD ? undefined : value;
}
