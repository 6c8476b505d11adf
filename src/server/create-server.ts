// One MCP server (one per session) over a shared Toolshed. The low-level SDK Server is used rather than
// McpServer so the meta-tools' JSON Schemas and descriptions are exactly ours (tokens are the product)
// and argument errors come back as tool results the model can act on.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import { callerOf } from '../gateway/caller.js';
import type { Logger } from '../log.js';
import { awaitCatalogs, progressAbove, READY_WAIT_MS_DEFAULT } from './await-catalogs.js';
import type { Toolshed } from '../toolshed.js';
import { gateToolCall, type Gate } from './concurrency-gate.js';
import { mainThreadTurn } from '../main-thread-turns.js';
import type { CodeMode } from './code-mode.js';
import { describeToolsDefinition, executeToolDefinition, runCodeDefinition, searchToolsDefinition } from './meta-tool-definitions.js';
import { describeToolsHandler, executeToolHandler, runCodeHandler, searchToolsHandler, type MetaToolHandler } from './meta-tool-handlers.js';
import { oversizedArgument } from './argument-bounds.js';
import { wantsTokenCounts, withTokenCounts } from './token-meta.js';
import { failure } from './tool-result.js';
import type { Observer } from '../observability/observer.js';
import { isIdempotentTool, READ_ONLY_META_KEY, TASK_CAPABILITIES, type TaskCalls } from './task-calls.js';
import { resolveTool } from './resolve-name.js';

export const SERVER_NAME = 'toolshed';
export const SERVER_VERSION = '0.1.0';

interface MetaTool {
  definition: Tool;
  handler: MetaToolHandler;
  /** Runs through the shared concurrency gate (calls that do outbound work). */
  gated?: boolean;
}

/** dynamic: search, describe, execute_tool; code: search, describe, run_code; both: all four. */
export type ServeMode = 'dynamic' | 'code' | 'both';
export const SERVE_MODES: readonly ServeMode[] = ['dynamic', 'code', 'both'];

export interface McpServerOptions {
  toolshed: Toolshed;
  log: Logger;
  /** Default `both` when `codeMode` is given, else `dynamic`. */
  mode?: ServeMode;
  /** Shared by every session of a process (it owns the isolate pool). Required for code and both. */
  codeMode?: CodeMode;
  /** Shared by every session of a process, so the cap on concurrent executions is global. */
  gate?: Gate;
  /** Wraps each meta-tool call (metrics, a span); see observability/observer.ts. */
  observe?: Observer['metaTool'];
  /** MCP Tasks for execute_tool and run_code; absent: tools/call with `task` is refused. */
  tasks?: TaskCalls;
  /** The authenticated client (HTTP), which owns the tasks it creates across sessions and replicas. */
  principal?: string;
  /** How long a call waits for catalogs still loading before a `loading` result (default READY_WAIT_MS_DEFAULT). */
  readyWaitMs?: number;
}

// The meta-tools' schemas are constants: compiled once per process, not per session (stateless HTTP
// builds a server per request, and compiling cost ~5 ms of it).
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<Tool, ValidateFunction>();
function validatorFor(definition: Tool): ValidateFunction {
  let validate = compiled.get(definition);
  if (!validate) compiled.set(definition, (validate = ajv.compile(definition.inputSchema)));
  return validate;
}

export function createMcpServer(options: McpServerOptions): Server {
  const { toolshed, log, gate } = options;
  const mode = options.mode ?? (options.codeMode ? 'both' : 'dynamic');
  if (mode !== 'dynamic' && !options.codeMode) throw new Error(`mode "${mode}" needs a codeMode`);
  const codeMode = mode === 'dynamic' ? undefined : options.codeMode;
  const metaTools: MetaTool[] = [
    { definition: searchToolsDefinition, handler: searchToolsHandler },
    { definition: describeToolsDefinition, handler: describeToolsHandler },
    ...(mode !== 'code' ? [{ definition: executeToolDefinition, handler: executeToolHandler, gated: true }] : []),
    ...(mode !== 'dynamic' ? [{ definition: runCodeDefinition, handler: runCodeHandler, gated: true }] : []),
  ];

  const { tasks } = options;
  // A task belongs to the principal when there is one, else to the session (stdio: the one client).
  const owner = () => options.principal ?? server.transport?.sessionId ?? 'local';
  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      ...(tasks ? { taskStore: tasks.storeFor(owner) } : {}),
      capabilities: { tools: { listChanged: false }, ...toolshed.gateway.capabilities(), ...(tasks ? { tasks: TASK_CAPABILITIES } : {}) },
      instructions: `toolshed fronts a large API catalog. Use search_tools to find operations, describe_tools for their exact input schema, then ${mode === 'dynamic' ? 'execute_tool to call them' : mode === 'code' ? 'run_code to call them from a short TypeScript program' : 'execute_tool for one call or run_code for several'}.`,
    },
  );

  toolshed.gateway.serve(server);
  // Tools that do outbound work may run as tasks (the spec's per-tool `execution.taskSupport`).
  const listed = metaTools.map((t) => (tasks?.advertised && t.gated ? { ...t.definition, execution: { taskSupport: 'optional' as const } } : t.definition));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  if (tasks) tasks.serveResults(server, owner);

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const tool = metaTools.find((t) => t.definition.name === name);
    const started = performance.now();
    // Marked read-only, a call may only read: so a task may run again, and nginx may resend the request.
    const readOnly = tool?.gated === true && request.params._meta?.[READ_ONLY_META_KEY] === true;
    if (request.params.task) {
      // A task-augmented call answers with the task at once; the work runs on a task worker.
      if (!tasks || !tool?.gated) throw new McpError(ErrorCode.MethodNotFound, `${name} cannot run as a task${tasks ? ': only execute_tool and run_code can' : ' on this server'}`);
      const args = structuredClone(request.params.arguments ?? {});
      const validate = validatorFor(tool.definition);
      if (!validate(args)) throw new McpError(ErrorCode.InvalidParams, `${name}: ${ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`);
      const task = await tasks.start(owner(), request.params.task.ttl ?? null, { tool: name, args, idempotent: readOnly || isIdempotentCall(name, args), ...(readOnly ? { readOnly } : {}) }, server);
      log.info({ requestId: String(extra.requestId), tool: name, taskId: task.taskId }, 'task created');
      return { task } as never;
    }
    const run = async (): Promise<CallToolResult> => {
      if (!tool) {
        return failure({ code: 'unknown_tool', message: `no meta-tool "${name}"`, next: `Call one of: ${metaTools.map((t) => t.definition.name).join(', ')}.` });
      }
      // Before anything touches the arguments (a copy, ajv's character count): over a bound is refused at once.
      const oversized = oversizedArgument(tool.definition.inputSchema, request.params.arguments ?? {});
      if (oversized) return failure({ code: 'invalid_arguments', message: `${name}: ${oversized}`, next: `Check ${name}'s input schema in tools/list.` });
      // Defaults are filled into a copy: the request object stays as the client sent it.
      const args = structuredClone(request.params.arguments ?? {});
      const validate = validatorFor(tool.definition);
      const progressToken = request.params._meta?.progressToken;
      const ctx = { toolshed, codeMode, signal: extra.signal, sendNotification: extra.sendNotification, caller: callerOf(server, extra.sendRequest), ...(progressToken !== undefined ? { progressToken } : {}), ...(extra.authInfo ? { authInfo: extra.authInfo } : {}), ...(readOnly ? { readOnly } : {}) };
      if (!validate(args)) return failure({ code: 'invalid_arguments', message: `${name}: ${ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`, next: `Check ${name}'s input schema in tools/list.` });
      // Every meta-tool reads the catalogs: wait for them (outside the gate, which is for outbound work).
      const waited = await awaitCatalogs(toolshed, ctx, options.readyWaitMs ?? READY_WAIT_MS_DEFAULT);
      if ('result' in waited) return waited.result;
      const callCtx = waited.progressSent === undefined ? ctx : { ...ctx, sendNotification: progressAbove(ctx.sendNotification, waited.progressSent) };
      await mainThreadTurn();
      return await (gate && tool.gated ? gateToolCall(gate, () => tool.handler(args as never, callCtx), extra.signal) : tool.handler(args as never, callCtx));
    };
    const result = options.observe ? await options.observe({ tool: name, arguments: request.params.arguments, sessionId: extra.sessionId }, run) : await run();
    log.info({ requestId: String(extra.requestId), tool: name, ms: Math.round(performance.now() - started), isError: result.isError === true }, 'tool call');
    return wantsTokenCounts(request.params._meta) ? withTokenCounts(result) : result;
  });

  const isIdempotentCall = (name: string, args: Record<string, unknown>) => {
    if (name !== 'execute_tool') return false;
    const resolved = resolveTool(toolshed.registry, String(args.name));
    return 'entry' in resolved && isIdempotentTool(resolved.entry);
  };

  return server;
}
