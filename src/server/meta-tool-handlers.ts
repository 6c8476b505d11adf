// What each meta-tool does once its arguments have passed its input schema.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { NOT_CLEARED, type CodeMode, type RunContext } from './code-mode.js';
import { routeOf, type ToolEntry } from '../catalog/tool-entry.js';
import { needsLine } from '../search/plans.js';
import type { Need } from '../search/producer-graph.js';
import type { Toolshed } from '../toolshed.js';
import { failure } from './tool-result.js';
import { describeTools } from './describe-tools.js';
import { SEARCH_LIMIT_DEFAULT } from './meta-tool-definitions.js';
import { resolveTool } from './resolve-name.js';
import { isIdempotentTool, READ_ONLY_META_KEY } from './task-calls.js';
import { selectErrors } from '../exec/select-fields.js';

export interface HandlerContext extends RunContext {
  toolshed: Toolshed;
  /** Present in code and both modes: describe speaks TypeScript, run_code runs. */
  codeMode: CodeMode | undefined;
}

export type MetaToolHandler = (args: Record<string, unknown>, ctx: HandlerContext) => Promise<CallToolResult> | CallToolResult;

export interface SearchResult {
  name: string;
  summary: string;
  route?: string;
  namespace: string;
  /** Values this tool needs that the request does not give, and the tool whose result gives each. */
  needs?: Need[];
}

/**
 * Text for clients that show the model text content (Claude Desktop), structuredContent for those that
 * read the declared outputSchema: each carries the results once. No TypeScript signatures in either:
 * the replayed tasks always describe before calling, so signatures were paid for twice (bench:tokens,
 * code mode search 16,884 → 9,086 tokens over 26 tasks without them, every task still solved).
 */
export const searchToolsHandler: MetaToolHandler = async (args, { toolshed }) => {
  const query = String(args.query);
  const limit = typeof args.limit === 'number' ? args.limit : SEARCH_LIMIT_DEFAULT;
  const results: SearchResult[] = (await toolshed.search(query, limit)).map((entry) => {
    const needs = toolshed.needsOf(entry, query);
    return { ...toSearchResult(entry), ...(needs.length ? { needs } : {}) };
  });
  const text = results.length ? results.map(searchLine).join('\n') : `No tools match "${query}". Try other words (the action and the object, e.g. "create issue"), or fewer of them.`;
  return { content: [{ type: 'text', text }], structuredContent: { results } };
};

function searchLine(r: SearchResult, i: number): string {
  return `${i + 1}. ${r.name}: ${r.summary}${r.route ? ` (${r.route})` : ''}${r.needs ? `\n   ${needsLine(r.needs)}` : ''}`;
}

export function toSearchResult(entry: ToolEntry): SearchResult {
  const route = routeOf(entry);
  return { name: entry.id, summary: entry.summary, ...(route ? { route } : {}), namespace: entry.namespace };
}

export const describeToolsHandler: MetaToolHandler = (args, { toolshed, codeMode }) => {
  const names = args.names as string[];
  const entries: ToolEntry[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const resolved = resolveTool(toolshed.registry, name);
    if ('entry' in resolved) entries.push(resolved.entry);
    else errors.push(resolved.error);
  }
  if (errors.length) {
    return failure({ code: 'unknown_tool', message: errors.join('\n'), next: 'Retry describe_tools with the suggested names, or search_tools to find others.' });
  }
  const depth = typeof args.depth === 'number' ? args.depth : 1;
  if (args.format === 'typescript') {
    if (!codeMode) return failure({ code: 'invalid_arguments', message: 'format "typescript" needs code mode (this server runs in dynamic mode)', next: 'Call describe_tools without format.' });
    return { content: [{ type: 'text', text: codeMode.declarationsFor(entries, depth) }] };
  }
  // Catalog notes: sources that failed, and the described tools' catalogs that loaded with warnings.
  const namespaces = new Set(entries.map((e) => e.namespace));
  const notes = toolshed.notes.filter((n) => n.state === 'failed' || (n.namespace !== undefined && namespaces.has(n.namespace))).map((n) => n.message);
  return { content: [{ type: 'text', text: JSON.stringify({ ...describeTools(entries, toolshed.authOf, (entry) => toolshed.needsOf(entry), depth), ...(notes.length ? { notes } : {}) }) }] };
};

export const runCodeHandler: MetaToolHandler = (args, ctx) => {
  if (!ctx.codeMode) return failure({ code: 'not_connected', message: 'run_code is not enabled on this server', next: 'Use execute_tool.' });
  return ctx.codeMode.run({ code: String(args.code), ...(typeof args.timeout_ms === 'number' ? { timeout_ms: args.timeout_ms } : {}) }, ctx);
};

export const executeToolHandler: MetaToolHandler = async (args, { toolshed, signal, progressToken, sendNotification, caller, readOnly, cleared }) => {
  const resolved = resolveTool(toolshed.registry, String(args.name));
  if ('error' in resolved) return failure({ code: 'unknown_tool', message: resolved.error, next: 'Use a name from search_tools.' });
  if (readOnly && !isIdempotentTool(resolved.entry)) {
    return failure({ code: 'forbidden', message: `${resolved.entry.id} may change data, and this call was marked read-only (_meta "${READ_ONLY_META_KEY}")`, next: 'Call it without that mark.' });
  }
  const select = args.select as string[] | undefined;
  const badPaths = selectErrors(select ?? []);
  if (badPaths.length) return failure({ code: 'invalid_arguments', message: `select: ${badPaths.join('; ')}`, next: 'Retry with field paths from describe_tools\' output, e.g. ["number", "user.login"].' });
  const onProgress =
    progressToken === undefined
      ? undefined
      : (progress: number, total?: number, message?: string) =>
          void sendNotification({ method: 'notifications/progress', params: { progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) } }).catch(() => undefined);
  const response = { ...(select ? { select } : {}), ...(args.raw === true ? { raw: true } : {}) };
  if (cleared && !(await cleared)) return failure(NOT_CLEARED);
  const result = await toolshed.call(resolved.entry, args.arguments, { signal, response, ...(onProgress ? { onProgress } : {}), ...(caller ? { caller } : {}) });
  if (!result.ok) return failure(result.failure);
  // An upstream MCP tool's content (images, resources, structured results) passes through unchanged.
  if (result.content) return { content: result.content as CallToolResult['content'], ...(isObject(result.value) ? { structuredContent: result.value } : {}) };
  return { content: [{ type: 'text', text: `${result.status !== undefined ? `HTTP ${result.status}\n` : ''}${result.text}` }] };
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
