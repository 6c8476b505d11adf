// What each meta-tool does once its arguments have passed its input schema.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CodeMode, RunContext } from './code-mode.js';
import { routeOf, type ToolEntry } from '../catalog/tool-entry.js';
import { needsLine } from '../search/plans.js';
import type { Need } from '../search/producer-graph.js';
import type { Toolshed } from '../toolshed.js';
import { failure } from './tool-result.js';
import { describeTools } from './describe-tools.js';
import { SEARCH_LIMIT_DEFAULT } from './meta-tool-definitions.js';
import { resolveTool } from './resolve-name.js';

export interface HandlerContext extends RunContext {
  toolshed: Toolshed;
  /** Present in code and both modes: search results then carry signatures, describe speaks TypeScript. */
  codeMode: CodeMode | undefined;
}

export type MetaToolHandler = (args: Record<string, unknown>, ctx: HandlerContext) => Promise<CallToolResult> | CallToolResult;

export interface SearchResult {
  name: string;
  summary: string;
  route?: string;
  namespace: string;
  /** Code mode: the tool's TypeScript signature line. */
  signature?: string;
  /** Values this tool needs that the request does not give, and the tool whose result gives each. */
  needs?: Need[];
}

export const searchToolsHandler: MetaToolHandler = async (args, { toolshed, codeMode }) => {
  const query = String(args.query);
  const limit = typeof args.limit === 'number' ? args.limit : SEARCH_LIMIT_DEFAULT;
  const results: SearchResult[] = (await toolshed.search(query, limit)).map((entry) => {
    const needs = toolshed.needsOf(entry, query);
    return { ...toSearchResult(entry), ...(codeMode ? { signature: codeMode.signature(entry) } : {}), ...(needs.length ? { needs } : {}) };
  });
  const line = (r: SearchResult, i: number) =>
    `${i + 1}. ${r.name}: ${r.summary}${r.route ? ` (${r.route})` : ''}${r.signature ? `\n   ${r.signature}` : ''}${r.needs ? `\n   ${needsLine(r.needs)}` : ''}`;
  const text = results.length
    ? `${results.map(line).join('\n')}\nNext: describe_tools {"names": [...]} for input schemas.`
    : `No tools match "${query}". Try other words (the action and the object, e.g. "create issue"), or fewer of them.`;
  return { content: [{ type: 'text', text }], structuredContent: { results } };
};

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
  if (args.format === 'typescript') {
    if (!codeMode) return failure({ code: 'invalid_arguments', message: 'format "typescript" needs code mode (this server runs in dynamic mode)', next: 'Call describe_tools without format.' });
    return { content: [{ type: 'text', text: codeMode.declarationsFor(entries) }] };
  }
  // Catalog notes: sources that failed, and the described tools' catalogs that loaded with warnings.
  const namespaces = new Set(entries.map((e) => e.namespace));
  const notes = toolshed.notes.filter((n) => n.state === 'failed' || (n.namespace !== undefined && namespaces.has(n.namespace))).map((n) => n.message);
  return { content: [{ type: 'text', text: JSON.stringify({ ...describeTools(entries, toolshed.authOf, (entry) => toolshed.needsOf(entry)), ...(notes.length ? { notes } : {}) }) }] };
};

export const runCodeHandler: MetaToolHandler = (args, ctx) => {
  if (!ctx.codeMode) return failure({ code: 'not_connected', message: 'run_code is not enabled on this server', next: 'Use execute_tool.' });
  return ctx.codeMode.run({ code: String(args.code), ...(typeof args.timeout_ms === 'number' ? { timeout_ms: args.timeout_ms } : {}) }, ctx);
};

export const executeToolHandler: MetaToolHandler = async (args, { toolshed, signal, progressToken, sendNotification, caller }) => {
  const resolved = resolveTool(toolshed.registry, String(args.name));
  if ('error' in resolved) return failure({ code: 'unknown_tool', message: resolved.error, next: 'Use a name from search_tools.' });
  const onProgress =
    progressToken === undefined
      ? undefined
      : (progress: number, total?: number, message?: string) =>
          void sendNotification({ method: 'notifications/progress', params: { progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) } }).catch(() => undefined);
  const result = await toolshed.call(resolved.entry, args.arguments, { signal, ...(onProgress ? { onProgress } : {}), ...(caller ? { caller } : {}) });
  if (!result.ok) return failure(result.failure);
  // An upstream MCP tool's content (images, resources, structured results) passes through unchanged.
  if (result.content) return { content: result.content as CallToolResult['content'], ...(isObject(result.value) ? { structuredContent: result.value } : {}) };
  return { content: [{ type: 'text', text: `${result.status !== undefined ? `HTTP ${result.status}\n` : ''}${result.text}` }] };
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
