// The Tasks part of `toolshed serve`: `--tasks` (in-memory by default, or a Redis URL shared by
// replicas) and how a queued job runs: the same meta-tool handler as a direct call, through the
// process's concurrency gate, without a client to report progress to.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from './log.js';
import type { CodeMode } from './server/code-mode.js';
import { RUN_POOL_SIZE } from './exec/run-limits.js';
import { gateToolCall, MAX_CONCURRENT_CALLS_DEFAULT, type Gate } from './server/concurrency-gate.js';
import { executeToolHandler, runCodeHandler } from './server/meta-tool-handlers.js';
import { openTaskCalls, type TaskCalls } from './server/task-calls.js';
import type { JobRunner, TaskJob } from './tasks/task-queue.js';
import type { Toolshed } from './toolshed.js';

export { TASK_OPTIONS, TASK_USAGE } from './cli-serve-options.js';

export interface TaskCallsHandle {
  /** Set once `open` resolved; sessions created before (none: serve awaits open) have no tasks. */
  readonly current: TaskCalls | undefined;
  open(): Promise<void>;
  /** On SIGTERM, beside the HTTP drain: see TaskCalls.drain. */
  drain(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

export function createTaskCallsFromFlags(flags: { tasks?: string; 'max-concurrent-calls'?: string; 'run-pool-size'?: string }, log: Logger, runner: JobRunner): TaskCallsHandle {
  let current: TaskCalls | undefined;
  return {
    get current() {
      return current;
    },
    async open() {
      const calls = Number(flags['max-concurrent-calls'] ?? MAX_CONCURRENT_CALLS_DEFAULT) || MAX_CONCURRENT_CALLS_DEFAULT;
      // run_code tasks are taken as fast as there are sandboxes (the rest wait in Redis, for any replica).
      const code = Number(flags['run-pool-size'] ?? RUN_POOL_SIZE) || RUN_POOL_SIZE;
      current = await openTaskCalls({ url: flags.tasks, log, concurrency: { calls, code }, runner });
      if (flags.tasks && flags.tasks !== 'memory') log.info({ store: 'redis' }, 'tasks: Redis store and queue');
    },
    async drain(graceMs) {
      await current?.drain(graceMs);
    },
    async close() {
      await current?.close();
    },
  };
}

export async function runTaskJobCall(job: TaskJob, deps: { toolshed: Toolshed; codeMode: CodeMode | undefined; signal: AbortSignal; cleared: Promise<boolean>; gate: Gate | undefined }): Promise<CallToolResult> {
  const handler = job.tool === 'run_code' ? runCodeHandler : executeToolHandler;
  const ctx = { toolshed: deps.toolshed, codeMode: deps.codeMode, signal: deps.signal, cleared: deps.cleared, sendNotification: async () => undefined, ...(job.readOnly ? { readOnly: true } : {}) };
  const call = async () => handler(job.args, ctx);
  return deps.gate ? gateToolCall(deps.gate, call, deps.signal) : call();
}
