// MCP Tasks for execute_tool and run_code ("call now, fetch later", MCP 2025-11-25): a client that puts
// `task` on tools/call gets a task id at once; the work runs on this replica (in-memory store, the
// default) or on any replica's worker (`--tasks redis://...`); tasks/get, tasks/list and tasks/cancel are
// the SDK's, over our owner-scoped store; tasks/result waits for the task without polling.
import { randomUUID } from 'node:crypto';
import type { TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, GetTaskPayloadRequestSchema, McpError, type ServerCapabilities, type Task } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../catalog/tool-entry.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { createMemoryTaskBackend } from '../tasks/memory-task-backend.js';
import { ownedTaskStore } from '../tasks/owned-task-store.js';
import type { RedisTaskBackend } from '../tasks/redis-task-backend.js';
import type { TaskBackend } from '../tasks/task-backend.js';
import { createMemoryTaskQueue, createRedisTaskQueue, type JobRunner, type TaskCall, type TaskConcurrency, type TaskQueue } from '../tasks/task-queue.js';

/** What clients are told to wait between tasks/get polls (tasks/result needs no polling). */
export const TASK_POLL_INTERVAL_MS = 500;
/** `_meta` key on a run_code tools/call: the program only reads, so it may be retried after a replica dies. */
export const READ_ONLY_META_KEY = 'io.toolshed/read-only';
const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

export const TASK_CAPABILITIES: NonNullable<ServerCapabilities['tasks']> = { list: {}, cancel: {}, requests: { tools: { call: {} } } };

export interface TaskCalls {
  /** execute_tool and run_code list `execution.taskSupport` (asked for with --tasks: ~40 tokens of tools/list). */
  readonly advertised: boolean;
  /** The SDK's store for one session's server: tasks belong to `owner()`. */
  storeFor(owner: () => string): TaskStore;
  /** Creates a task for `owner` and queues its call; reports the final status to the session when it settles. */
  start(owner: string, ttl: number | null, call: TaskCall, server: Server): Promise<Task>;
  /** Replaces the SDK's polling tasks/result with a wait on the store. */
  serveResults(server: Server, owner: () => string): void;
  /** Takes no new work; running tasks get `graceMs`, then are handed back (idempotent) or failed. */
  drain(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function openTaskCalls(options: { url: string | undefined; log: Logger; concurrency: TaskConcurrency; runner: JobRunner }): Promise<TaskCalls> {
  const { log } = options;
  let backend: TaskBackend;
  let queue: TaskQueue;
  if (options.url && options.url !== 'memory') {
    if (!/^rediss?:\/\//.test(options.url)) throw new ConfigError(`--tasks expects "memory" or a redis:// or rediss:// URL, got "${options.url}"`);
    // Imported here: ioredis is for --tasks redis:// only, not every start.
    const { createRedisTaskBackend } = await import('../tasks/redis-task-backend.js');
    let redisBackend: RedisTaskBackend;
    try {
      redisBackend = await createRedisTaskBackend(options.url);
    } catch (e) {
      throw new ConfigError(`--tasks: cannot reach Redis at ${redacted(options.url)}: ${(e as Error).message}. Start Redis or fix the URL.`, { cause: e });
    }
    backend = redisBackend;
    queue = await createRedisTaskQueue({ url: options.url, backend: redisBackend, runner: options.runner, log, concurrency: options.concurrency });
  } else {
    backend = createMemoryTaskBackend();
    queue = createMemoryTaskQueue({ backend, runner: options.runner, log });
  }
  return {
    advertised: options.url !== undefined,
    storeFor: (owner) => ownedTaskStore(backend, owner, TASK_POLL_INTERVAL_MS),
    async start(owner, ttl, call, server) {
      // The status notification is optional in the spec and costs nothing here: the session hears once.
      // Listening before the task exists, nothing can be missed and nothing needs reading.
      const taskId = randomUUID();
      const closed = new AbortController();
      const settled = backend.watch(taskId, closed.signal, { beforeCreate: true }).settled;
      let task: Task;
      try {
        task = await queue.start({ taskId, owner, ttl, pollInterval: TASK_POLL_INTERVAL_MS }, call);
      } catch (e) {
        closed.abort();
        throw e;
      }
      void settled.then(
        (record) => {
          if (record && server.transport) void server.notification({ method: 'notifications/tasks/status', params: record.task }).catch(() => undefined);
        },
        () => undefined,
      );
      const previous = server.onclose;
      server.onclose = () => {
        closed.abort();
        previous?.();
      };
      return task;
    },
    serveResults(server, owner) {
      server.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
        const { taskId } = request.params;
        // One read checks the owner and starts the wait.
        const notMine = new AbortController();
        const watch = backend.watch(taskId, AbortSignal.any([extra.signal, notMine.signal]));
        const first = await watch.current;
        if (!first || first.owner !== owner()) {
          notMine.abort();
          throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
        }
        const record = await watch.settled;
        if (!record?.result) throw new McpError(ErrorCode.InvalidParams, record ? `task ${taskId} ended (${record.task.status}) without a result` : `Task not found: ${taskId}`);
        return { ...record.result, _meta: { ...record.result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
      });
    },
    drain: (graceMs) => queue.drain(graceMs),
    async close() {
      await queue.close();
      await backend.close();
    },
  };
}

/** A call may run twice without harm: GET/HEAD operations, MCP tools that declare themselves read-only. */
export function isIdempotentTool(entry: ToolEntry): boolean {
  if (entry.annotations.readOnlyHint === true) return true;
  return entry.binding.kind === 'http' && (entry.binding.method === 'GET' || entry.binding.method === 'HEAD');
}

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
