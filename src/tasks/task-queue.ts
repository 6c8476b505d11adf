// How a task's work gets run. In memory: at once, in this process. On Redis: a BullMQ queue that
// every replica's worker takes jobs from, so the work survives the replica that accepted it. A job
// whose worker died (its lock expired: BullMQ "stalled") is run again by another worker only when the
// call is idempotent (a GET operation, a program marked read-only); otherwise its task fails with a
// message saying why, never left `working`. A replica told to stop (SIGTERM) takes no new jobs and lets
// running ones finish within its drain; those still running then are handed back to the queue when
// idempotent, or failed with the same message. A job refused for being over the replica's limits
// (`busy`: its sandboxes or call slots are full) ran nothing: it waits in the queue and is taken again,
// by whichever replica has room, rather than ending its task `failed`. run_code jobs have a queue of
// their own, taken only as fast as the replica has sandboxes: a program waiting in a replica's memory for
// a sandbox would spend its wall-clock limit there, and fail with that replica if it died.
import { randomUUID } from 'node:crypto';
import type { CallToolResult, Task } from '@modelcontextprotocol/sdk/types.js';
import type { Job } from 'bullmq';
import { formatFailure } from '../errors.js';
import type { Logger } from '../log.js';
import type { RedisTaskBackend } from './redis-task-backend.js';
import type { NewTask, TaskBackend } from './task-backend.js';

/** The meta-tool call a task runs. */
export interface TaskCall {
  tool: string;
  args: Record<string, unknown>;
  /** May run twice without harm: a job interrupted by a dying replica is then retried, not failed. */
  idempotent: boolean;
  /** Marked read-only (`_meta` io.toolshed/read-only): only operations that change nothing may be called. */
  readOnly?: boolean;
}

export interface TaskJob extends TaskCall {
  taskId: string;
  /** Times it was put back after a `busy` refusal: those starts ran nothing, so they are no interruption. */
  busyReturns?: number;
}

/**
 * Runs a job's meta-tool call; the signal ends it (task cancelled, process stopping). Its calls to tools
 * wait for `cleared` (the task read as still `working`) and are refused when it is false.
 */
export type JobRunner = (job: TaskJob, signal: AbortSignal, cleared: Promise<boolean>) => Promise<CallToolResult>;

export interface TaskQueue {
  /** Creates the task (`working`) and queues its call; a call that cannot be queued leaves the task `failed`. */
  start(task: NewTask, call: TaskCall): Promise<Task>;
  /** Takes no new work; running jobs get `graceMs` to finish, then are stopped (never left `working`). */
  drain(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

const QUEUE_NAME = 'toolshed-tasks';
const CODE_QUEUE_NAME = 'toolshed-code-tasks';
/** A worker's lock on a job; another worker takes it over this long after its replica died. */
export const TASK_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
/** A job refused as busy is taken again after this long (the busy result itself says "retry after 1000 ms"). */
export const TASK_BUSY_RETRY_MS = 1_000;

const STOPPING = 'toolshed is stopping';

/**
 * Runs one job and records its outcome; a task no longer `working` (cancelled, expired) makes no call and
 * records nothing, and a cancellation seen in the backend stops it. `stopped`: the process stopped it
 * first; `busy`: refused at this replica's limits. Both record nothing: the caller decides (hand it back,
 * run it later, or fail it).
 */
export async function runTaskJob(backend: TaskBackend, runner: JobRunner, job: TaskJob, log: Logger, stopping?: AbortSignal): Promise<'settled' | 'stopped' | 'busy'> {
  const stop = new AbortController();
  const onStopping = () => stop.abort(STOPPING);
  const stoppedFirst = () => stop.signal.aborted && stop.signal.reason === STOPPING;
  stopping?.addEventListener('abort', onStopping, { once: true });
  // One read tells whether the task is still working and starts the watch for a cancellation. It runs
  // beside the run's start (compile, type-check, a sandbox), not before it: the run's calls wait for it.
  const watch = backend.watch(job.taskId, stop.signal);
  const cleared = watch.current.then((r) => r?.task.status === 'working');
  void cleared.then((working) => working || stop.abort('not working'), () => stop.abort('unread'));
  void watch.settled.then((r) => r?.task.status === 'cancelled' && stop.abort('cancelled'), () => undefined);
  try {
    const result = await runner(job, stop.signal, cleared.catch(() => false));
    if (stoppedFirst()) return 'stopped';
    await cleared; // a failed read fails the task (below), as a failed run does
    if (stop.signal.aborted) return 'settled'; // cancelled or expired, before or while it ran: nothing to record
    if (isBusy(result)) return 'busy';
    const failed = result.isError === true;
    await backend.finish(job.taskId, failed ? 'failed' : 'completed', result, failed ? firstLine(result) : undefined);
  } catch (e) {
    if (stoppedFirst()) return 'stopped';
    log.error({ err: e, taskId: job.taskId }, 'task run failed');
    await backend.finish(job.taskId, 'failed', errorResult(`toolshed could not run the task: ${(e as Error).message}`), 'internal error').catch(() => undefined);
  } finally {
    stopping?.removeEventListener('abort', onStopping);
    stop.abort('done');
  }
  return 'settled';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Bounded wait: resolves when `work` does or after `ms`, whichever is first. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function createMemoryTaskQueue(options: { backend: TaskBackend; runner: JobRunner; log: Logger }): TaskQueue {
  const { backend } = options;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  const drain = async (graceMs: number) => {
    await within(Promise.allSettled(running), graceMs);
    stopping.abort();
    await Promise.allSettled(running);
  };
  return {
    async start(input, call) {
      const task = await backend.create(input);
      const job: TaskJob = { ...call, taskId: task.taskId };
      const run = (async () => {
        let outcome = await runTaskJob(backend, options.runner, job, options.log, stopping.signal);
        while (outcome === 'busy' && !stopping.signal.aborted) {
          await sleep(TASK_BUSY_RETRY_MS, stopping.signal);
          if (!stopping.signal.aborted) outcome = await runTaskJob(backend, options.runner, job, options.log, stopping.signal);
        }
        // No other replica shares this memory: a stopped task can only fail.
        if (outcome !== 'settled') await backend.finish(job.taskId, 'failed', errorResult(INTERRUPTED), INTERRUPTED);
      })()
        .catch(() => undefined)
        .finally(() => running.delete(run));
      running.add(run);
      return task;
    },
    drain,
    close: () => drain(0),
  };
}

/** Jobs a replica runs at once: execute_tool jobs (`calls`: its concurrency gate) and run_code jobs (`code`: its sandboxes). */
export interface TaskConcurrency {
  calls: number;
  code: number;
}

export async function createRedisTaskQueue(options: { url: string; backend: RedisTaskBackend; runner: JobRunner; log: Logger; concurrency: TaskConcurrency }): Promise<TaskQueue> {
  const { backend, log } = options;
  // Imported here: BullMQ and ioredis (a few hundred modules) are for --tasks redis:// only, not every start.
  const [{ DelayedError, Queue, WaitingError, Worker }, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
  // Jobs are added on the backend's connection, right after their task's record: no worker can take a job
  // before its task exists, and creating a task costs one round trip, not two. (It fails fast while Redis
  // is down, as a producer should.)
  const queues = { calls: new Queue<TaskJob>(QUEUE_NAME, { connection: backend.connection }), code: new Queue<TaskJob>(CODE_QUEUE_NAME, { connection: backend.connection }) };
  // BullMQ's blocking commands need connections that retry forever (its documented requirement).
  // BullMQ leaves connections it is given open on close: this one is ours to quit.
  const workerConnection = new Redis(options.url, { maxRetriesPerRequest: null });
  const stopping = new AbortController();
  const run = async (job: Job<TaskJob>, token?: string) => {
      if (job.attemptsStarted - (job.data.busyReturns ?? 0) > 1 && !job.data.idempotent) {
        await backend.finish(job.data.taskId, 'failed', errorResult(INTERRUPTED), INTERRUPTED);
        return;
      }
      const outcome = await runTaskJob(backend, options.runner, job.data, log, stopping.signal);
      if (outcome === 'settled') return;
      // Refused at this replica's limits, nothing ran: back to the queue for whichever replica has room.
      if (outcome === 'busy' && token) {
        await job.updateData({ ...job.data, busyReturns: (job.data.busyReturns ?? 0) + 1 });
        await job.moveToDelayed(Date.now() + TASK_BUSY_RETRY_MS, token);
        throw new DelayedError();
      }
      // Stopped by a drain that ran out: another replica's worker runs it again, when that is harmless.
      if (job.data.idempotent && token) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      await backend.finish(job.data.taskId, 'failed', errorResult(INTERRUPTED), INTERRUPTED);
  };
  const startWorker = (name: string, concurrency: number) => {
    const worker = new Worker<TaskJob>(name, run, { connection: workerConnection, concurrency, lockDuration: TASK_LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: 1 });
    // A job that stalled more often than allowed ends here: its task must not stay `working`.
    worker.on('failed', (job, error) => {
      if (!job) return;
      log.warn({ taskId: job.data.taskId, error: error.message }, 'task job failed');
      void backend.finish(job.data.taskId, 'failed', errorResult(`${INTERRUPTED} (${error.message})`), INTERRUPTED).catch(() => undefined);
    });
    worker.on('error', (error) => log.warn({ error: error.message }, 'task worker error'));
    return worker;
  };
  const workers = [startWorker(QUEUE_NAME, options.concurrency.calls), startWorker(CODE_QUEUE_NAME, options.concurrency.code)];
  let drained: Promise<void> | undefined;
  const drain = (graceMs: number) =>
    (drained ??= (async () => {
      const closing = Promise.all(workers.map((w) => w.close())); // no new job from here on; waits for the running ones
      await within(closing, graceMs);
      stopping.abort();
      await closing;
    })());
  return {
    async start(input, call) {
      const taskId = input.taskId ?? randomUUID();
      const job: TaskJob = { ...call, taskId };
      // Sent together, the record first (see above); neither waits for the other's reply.
      const [created, queued] = await Promise.allSettled([
        backend.create({ ...input, taskId }),
        (call.tool === 'run_code' ? queues.code : queues.calls).add('call', job, { jobId: taskId, removeOnComplete: true, removeOnFail: true }),
      ]);
      if (created.status === 'rejected') throw created.reason; // a job queued without its task runs nothing
      if (queued.status === 'rejected') {
        const message = `toolshed could not queue the task: ${(queued.reason as Error).message}`;
        await backend.finish(taskId, 'failed', errorResult(message), message).catch(() => undefined);
        throw queued.reason;
      }
      return created.value;
    },
    drain,
    async close() {
      await drain(0);
      await Promise.all([queues.calls.close(), queues.code.close()]);
      await workerConnection.quit().catch(() => undefined);
    },
  };
}

const INTERRUPTED = 'the replica running this task stopped mid-run; it was not run again because the call may already have taken effect. Check its effect, then call again.';

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: formatFailure({ code: 'runtime_error', message }) }] };
}

/** The refusal of a replica at its limits (concurrency gate, sandbox pool): `Error (busy): ...`. */
function isBusy(result: CallToolResult): boolean {
  const text = result.content.find((c) => c.type === 'text');
  return result.isError === true && !!text && 'text' in text && text.text.startsWith('Error (busy)');
}

function firstLine(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text');
  return (text && 'text' in text ? text.text : 'the call failed').split('\n')[0]!.slice(0, 200);
}
