// Code Mode over a Toolshed: run_code wired to the code runner, every API call going through
// Toolshed.call (the same path as execute_tool). What a run needs from the catalog is built once per
// tool-set version and shared by every run: the name tables the sandbox binds lazily, and the
// declarations, built per program from the functions it names (never with --no-typecheck).
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { Caller } from '../gateway/caller.js';
import { planCodegen, type CodegenPlan } from '../codegen/codegen-plan.js';
import { emitToolDeclarations } from '../codegen/declarations.js';
import { createProgramDeclarations } from '../codegen/program-declarations.js';
import type { CodeRunner, RunResult, ToolCallOutcome } from '../exec/code-runner.js';
import type { Toolshed } from '../toolshed.js';
import { inCurrentContext } from '../observability/tracing.js';
import { missingCatalogScope } from './oauth/scope-policy.js';
import { failure } from './tool-result.js';
import { isIdempotentTool, READ_ONLY_META_KEY } from './task-calls.js';

export interface CodeMode {
  /** Just the declarations `entries` need, with the named types they reference up to `depth` steps away (default all). */
  declarationsFor(entries: ToolEntry[], depth?: number): string;
  run(args: { code: string; timeout_ms?: number }, ctx: RunContext): Promise<CallToolResult>;
  /** Reads the catalog-wide codegen plan from the disk cache (or builds and stores it) ahead of the first run. */
  warm(): Promise<void>;
}

/** The cache kind of the codegen plan: the type names and converted defs of the whole tool set. */
const PLAN_CACHE_KIND = 'codegen-plan';

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
  /** A task's run: its calls wait until its task is known to be still working, and are refused if not. */
  cleared?: Promise<boolean>;
}

/** The refusal of a call made by a task's run when its task is no longer working. */
export const NOT_CLEARED = { code: 'cancelled', message: 'the task was cancelled (or expired) before this call', next: 'Start a new task if the work is still needed.' } as const;

/** What runs share for one version of the tool set. */
interface RunCatalog {
  namespaces: Record<string, string[]>;
  declarations(code: string): string;
}

export function createCodeMode(options: { toolshed: Toolshed; runner: CodeRunner; typecheck: boolean }): CodeMode {
  const { toolshed, runner } = options;
  let plan: CodegenPlan | undefined;
  let catalog: RunCatalog | undefined;
  let builtFor = toolshed.version();
  const tools = () => [...toolshed.registry.byId.values()];
  // An upstream MCP server's tools can change (tools/list_changed): everything follows the tool set.
  const fresh = () => {
    if (builtFor === toolshed.version()) return;
    builtFor = toolshed.version();
    plan = undefined;
    catalog = undefined;
  };
  const planned = () => {
    fresh();
    return (plan ??= planCodegen(tools()));
  };
  const runCatalog = (): RunCatalog => {
    fresh();
    if (!catalog) {
      const byNamespace = new Map<string, ToolEntry[]>();
      for (const t of tools()) {
        const group = byNamespace.get(t.namespace);
        if (group) group.push(t);
        else byNamespace.set(t.namespace, [t]);
      }
      catalog = {
        namespaces: Object.fromEntries([...byNamespace].map(([ns, group]) => [ns, group.map((t) => t.name)])),
        declarations: createProgramDeclarations({ byNamespace, plan: planned }),
      };
    }
    return catalog;
  };

  return {
    async warm() {
      const version = toolshed.version();
      // 100 ms for GitHub, seconds for Microsoft Graph; read back in a few tens of ms.
      const cached = await toolshed.derived(PLAN_CACHE_KIND, () => planCodegen(tools()));
      if (toolshed.version() === version && builtFor === version) plan ??= cached;
    },
    declarationsFor: (entries, depth) => emitToolDeclarations(entries, { plan: planned(), ...(depth !== undefined ? { depth } : {}) }),
    async run(args, ctx) {
      const { declarations, namespaces } = runCatalog();
      const notifications: Array<Promise<void>> = [];
      const result = await runner.run({
        code: args.code,
        declarations,
        namespaces,
        typecheck: options.typecheck,
        secrets: toolshed.secrets(),
        ...(args.timeout_ms ? { timeoutMs: args.timeout_ms } : {}),
        signal: ctx.signal,
        callTool: inCurrentContext(async (toolId: string, callArgs: Record<string, unknown>, signal: AbortSignal): Promise<ToolCallOutcome> => {
          const entry = toolshed.registry.byId.get(toolId);
          if (!entry) return { ok: false, failure: { code: 'unknown_tool', message: `unknown tool ${toolId}`, next: 'Use search_tools to find the right function name.' } };
          const scope = missingCatalogScope(ctx.authInfo, entry.namespace);
          if (scope) return { ok: false, failure: { code: 'forbidden', message: `${toolId}: the caller's token lacks the scope ${scope}, which the ${entry.namespace} catalog needs`, next: 'Use tools of other catalogs, or ask the user for a token with that scope.' } };
          if (ctx.cleared && !(await ctx.cleared)) return { ok: false, failure: NOT_CLEARED };
          if (ctx.readOnly && !isIdempotentTool(entry)) return { ok: false, failure: { code: 'forbidden', message: `${toolId} may change data, and this program was marked read-only (_meta "${READ_ONLY_META_KEY}")`, next: 'Run the program without that mark, or call only tools that read.' } };
          // Tools whose inputs are all optional are declared `input?:`: a missing input means {}.
          const outcome = await toolshed.call(entry, callArgs ?? {}, { signal, ...(ctx.caller ? { caller: ctx.caller } : {}) });
          if (outcome.ok) return { ok: true, value: outcome.value };
          return { ok: false, failure: outcome.failure, ...(outcome.status !== undefined && { status: outcome.status }), ...(outcome.value !== undefined && { body: outcome.value }) };
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
