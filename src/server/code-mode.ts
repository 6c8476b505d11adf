// Code Mode over a Toolshed: the catalog as TypeScript declarations (built once, lazily: GitHub's are
// ~800 KB and a dynamic-mode session never needs them), and run_code wired to the code runner with
// every API call going through Toolshed.call, the same path as execute_tool.
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { Caller } from '../gateway/caller.js';
import { planCodegen, type CodegenPlan } from '../codegen/codegen-plan.js';
import { emitCatalogDeclarations, emitToolDeclarations, TYPECHECK_EMIT } from '../codegen/declarations.js';
import { formatFailure } from '../errors.js';
import type { CodeRunner, RunResult } from '../exec/code-runner.js';
import type { Toolshed } from '../toolshed.js';
import { inCurrentContext } from '../observability/tracing.js';
import { missingCatalogScope } from './oauth/scope-policy.js';
import { failure } from './tool-result.js';
import { isIdempotentTool, READ_ONLY_META_KEY } from './task-calls.js';

export interface CodeMode {
  /** Just the declarations `entries` need, with the named types they reference up to `depth` steps away (default all). */
  declarationsFor(entries: ToolEntry[], depth?: number): string;
  run(args: { code: string; timeout_ms?: number }, ctx: RunContext): Promise<CallToolResult>;
}

export interface RunContext {
  signal: AbortSignal;
  /** Set when the client asked for progress (`_meta.progressToken`). */
  progressToken?: string | number;
  sendNotification(notification: ServerNotification): Promise<void>;
  /** The caller's verified OAuth token, reduced (HTTP in OAuth mode): catalog scopes are checked per call. */
  authInfo?: AuthInfo;
  /** The session's client: upstream MCP tools called by the program relay their client requests there. */
  caller?: Caller;
  /** A program marked read-only (a retryable task): calls that may change data are refused. */
  readOnly?: boolean;
}

export function createCodeMode(options: { toolshed: Toolshed; runner: CodeRunner; typecheck: boolean }): CodeMode {
  const { toolshed, runner } = options;
  let plan: CodegenPlan | undefined;
  let full: { declarations: string; namespaces: Record<string, string[]> } | undefined;
  let builtFor = toolshed.version();
  const tools = () => [...toolshed.registry.byId.values()];
  // An upstream MCP server's tools can change (tools/list_changed): declarations follow the tool set.
  const fresh = () => {
    if (builtFor === toolshed.version()) return;
    builtFor = toolshed.version();
    plan = undefined;
    full = undefined;
  };
  const planned = () => {
    fresh();
    return (plan ??= planCodegen(tools()));
  };
  const catalog = () => {
    fresh();
    if (!full) {
      const byNamespace = new Map<string, ToolEntry[]>();
      for (const t of tools()) byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t]);
      full = {
        declarations: [...byNamespace].map(([ns, group]) => emitCatalogDeclarations(ns, group, { plan: planned(), ...TYPECHECK_EMIT })).join('\n'),
        namespaces: Object.fromEntries([...byNamespace].map(([ns, group]) => [ns, group.map((t) => t.name)])),
      };
    }
    return full;
  };

  return {
    declarationsFor: (entries, depth) => emitToolDeclarations(entries, { plan: planned(), ...(depth !== undefined ? { depth } : {}) }),
    async run(args, ctx) {
      const { declarations, namespaces } = catalog();
      const notifications: Array<Promise<void>> = [];
      const result = await runner.run({
        code: args.code,
        declarations,
        namespaces,
        typecheck: options.typecheck,
        ...(args.timeout_ms ? { timeoutMs: args.timeout_ms } : {}),
        signal: ctx.signal,
        callTool: inCurrentContext(async (toolId: string, callArgs: unknown, signal: AbortSignal) => {
          const entry = toolshed.registry.byId.get(toolId);
          if (!entry) return { ok: false, error: `unknown tool ${toolId}` };
          const scope = missingCatalogScope(ctx.authInfo, entry.namespace);
          if (scope) return { ok: false, error: formatFailure({ code: 'forbidden', message: `${toolId}: the caller's token lacks the scope ${scope}, which the ${entry.namespace} catalog needs`, next: 'Use tools of other catalogs, or ask the user for a token with that scope.' }) };
          if (ctx.readOnly && !isIdempotentTool(entry)) return { ok: false, error: `${toolId} may change data, and this program was marked read-only (_meta "${READ_ONLY_META_KEY}"): run it without that mark` };
          // Tools whose inputs are all optional are declared `input?:`: a missing input means {}.
          const outcome = await toolshed.call(entry, callArgs ?? {}, { signal, ...(ctx.caller ? { caller: ctx.caller } : {}) });
          return outcome.ok ? { ok: true as const, value: outcome.value } : { ok: false as const, error: formatFailure(outcome.failure) };
        }),
        onCall: (info) => {
          if (ctx.progressToken === undefined) return;
          const sent = ctx.sendNotification({ method: 'notifications/progress', params: { progressToken: ctx.progressToken, progress: info.count, message: `${info.tool} ${info.ok ? 'ok' : 'failed'} in ${info.ms} ms` } });
          notifications.push(sent.catch(() => undefined)); // a client that went away must not fail the run
        },
      });
      // Progress must reach the client before the result: it drops progress for a finished request.
      await Promise.all(notifications);
      return toResult(result);
    },
  };
}

function toResult(run: RunResult): CallToolResult {
  const calls = run.calls.map((c) => ({ tool: c.tool, ok: c.ok, ms: c.ms }));
  const callLine = calls.length ? `\ncalls: ${calls.map((c) => `${c.tool} ${c.ok ? 'ok' : 'failed'} ${c.ms}ms`).join(', ')}` : '';
  const logText = run.logs.length ? `\nlogs:\n${run.logs.join('\n')}` : '';
  if (!run.ok) {
    const where = run.location && !/\bline \d+/.test(run.failure.message) ? ` (line ${run.location.line}, column ${run.location.column})` : '';
    const failed = failure({ ...run.failure, message: `${run.failure.message}${where}` });
    const first = failed.content[0] as { type: 'text'; text: string };
    return { ...failed, content: [{ type: 'text', text: `${first.text}${logText}${callLine}` }] };
  }
  const text = `${JSON.stringify(run.result) ?? 'undefined'}${run.notice ? `\n${run.notice}` : ''}${logText}${callLine}`;
  return { content: [{ type: 'text', text }], structuredContent: { result: run.result ?? null, logs: run.logs, calls } };
}
