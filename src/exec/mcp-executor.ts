// The ToolExecutor for upstream MCP tools: validate the arguments, call the upstream through its client,
// and pass the result through: content as the upstream sent it, `value` (what Code Mode returns) the
// structuredContent when there is some, else the joined text. An upstream `isError` is a failure with
// the upstream's own message. Tools loaded from a static file answer `not_connected`.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../catalog/tool-entry.js';
import { DEFAULT_EXEC_LIMITS, type ExecLimits } from '../config-types.js';
import type { ToolFailure } from '../errors.js';
import { CHARS_PER_TOKEN, cutJson } from './cut-response.js';
import type { ExecOptions, ExecResult, ToolExecutor } from './executor.js';
import { shapeResponse } from './shape-response.js';
import type { McpUpstream } from './mcp-upstream.js';
import { createArgsValidator, type ArgsValidator } from './validate-args.js';

export interface McpExecutorOptions {
  /** The live upstream serving a namespace; undefined for namespaces loaded from a static tool file. */
  upstream(namespace: string): McpUpstream | undefined;
  limits?: Partial<ExecLimits>;
}

export function createMcpExecutor(options: McpExecutorOptions): ToolExecutor {
  const limits: ExecLimits = { ...DEFAULT_EXEC_LIMITS, ...options.limits };
  // One validator per namespace and listing: a re-listed tool may have a new schema under the same id.
  const validators = new Map<string, { version: number; validator: ArgsValidator }>();
  const validatorFor = (namespace: string, version: number): ArgsValidator => {
    const cached = validators.get(namespace);
    if (cached?.version === version) return cached.validator;
    const validator = createArgsValidator();
    validators.set(namespace, { version, validator });
    return validator;
  };

  return {
    async execute(entry, args, execOptions: ExecOptions = {}): Promise<ExecResult> {
      const binding = entry.binding;
      if (binding.kind !== 'mcp') return failed({ code: 'unknown_tool', message: `${entry.id} is not an upstream MCP tool` });
      const upstream = options.upstream(entry.namespace);
      if (!upstream) {
        return failed({
          code: 'not_connected',
          message: `${entry.id} comes from a static tool list: its MCP server is not connected to toolshed, so it cannot run here`,
          next: `Use a tool of a connected namespace, or add the server with --mcp ${entry.namespace}=COMMAND.`,
        });
      }
      const invalid = validatorFor(entry.namespace, upstream.toolsVersion()).validate(entry, args);
      if (invalid) return failed(invalid);
      const outcome = await upstream.callTool(binding.upstreamName, args, {
        timeoutMs: limits.timeoutMs,
        ...(execOptions.signal ? { signal: execOptions.signal } : {}),
        ...(execOptions.onProgress ? { onProgress: execOptions.onProgress } : {}),
        ...(execOptions.caller ? { caller: execOptions.caller } : {}),
      });
      if (!outcome.ok) return failed(outcome.failure);
      const result = toExecResult(entry, outcome.result, limits.maxResponseTokens * CHARS_PER_TOKEN);
      const select = execOptions.response?.select;
      return select?.length && result.ok ? selectFromUpstream(result, select, limits.maxResponseTokens * CHARS_PER_TOKEN) : result;
    },
  };
}

/** An upstream result as toolshed returns it; exported for tests. */
export function toExecResult(entry: ToolEntry, result: CallToolResult, maxChars: number): ExecResult {
  const content = Array.isArray(result.content) ? result.content : [];
  const joined = content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
  const structured = result.structuredContent;
  if (result.isError) {
    const message = joined || describeContent(content) || 'the upstream reported an error without a message';
    return { ok: false, failure: { code: 'upstream_error', message: `${entry.id}: ${message}` }, ...(structured ? { value: structured } : {}) };
  }
  const value = structured ?? joined;
  // What the model reads when only text can be shown: text items, the others named (no base64 in tokens).
  const full = content.length ? content.map(renderItem).join('\n') : structured ? JSON.stringify(structured) : '(no content)';
  if (full.length <= maxChars) return { ok: true, value, text: full, truncated: false, content };
  const cut = cutJson(structured ?? full, maxChars);
  const body = typeof cut.value === 'string' ? cut.value : JSON.stringify(cut.value);
  return { ok: true, value, text: cut.notice ? `${body}\n\n${cut.notice}` : body, truncated: cut.truncated, content };
}

/**
 * `select` on an upstream result: its structuredContent, or its text when that is JSON. The answer is
 * then toolshed's own text (the upstream's content items are not passed through). Upstream results are
 * otherwise passed through as sent: the lean profile is for HTTP APIs' hypermedia, not for MCP servers.
 */
function selectFromUpstream(result: Extract<ExecResult, { ok: true }>, select: string[], maxChars: number): ExecResult {
  const { content: _passedThrough, ...rest } = result;
  let json = result.value;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      return { ...rest, text: `${result.text}\n[select ignored: the result is text, not JSON]` };
    }
  }
  const shaped = shapeResponse(json, { select, raw: true }, { profile: 'raw', apiOrigins: [] });
  const cut = cutJson(shaped.value, maxChars);
  const notices = [...shaped.notices, ...(cut.notice ? [cut.notice] : [])];
  return { ...rest, text: [JSON.stringify(cut.value), ...notices].join('\n'), truncated: cut.truncated };
}

type ContentItem = CallToolResult['content'][number];

function renderItem(item: ContentItem): string {
  switch (item.type) {
    case 'text':
      return item.text;
    case 'image':
    case 'audio':
      return `[${item.type} ${item.mimeType}, ${Math.round((item.data.length * 3) / 4 / 1024)} KiB]`;
    case 'resource':
      return 'text' in item.resource && typeof item.resource.text === 'string' ? item.resource.text : `[resource ${item.resource.uri}${item.resource.mimeType ? ` (${item.resource.mimeType})` : ''}]`;
    case 'resource_link':
      return `[resource link ${item.uri}${item.name ? ` "${item.name}"` : ''}]`;
    default:
      return `[${(item as { type: string }).type} content]`;
  }
}

function describeContent(content: ContentItem[]): string {
  return content.map(renderItem).join('\n');
}

function failed(failure: ToolFailure): ExecResult {
  return { ok: false, failure };
}
