// How a task's work gets run. In memory: at once, in this process. On Redis: a BullMQ queue that
// every replica's worker takes jobs from, so the work survives the replica that accepted it. A job
// whose worker died (its lock expired: BullMQ "stalled") is run again by another worker only when the
// call is idempotent (a GET operation, a program marked read-only); otherwise its task fails with a
// message saying why, never left `working`.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Job } from 'bullmq';
import { formatFailure } from '../errors.js';
import type { Logger } from '../log.js';
import type { TaskBackend } from './task-backend.js';

export interface TaskJob {
  taskId: string;
  tool: string;
  args: Record<string, unknown>;
  /** May run twice without harm: a job interrupted by a dying replica is then retried, not failed. */
  idempotent: boolean;
  /** run_code marked read-only: its program may call only operations that change nothing. */
  readOnly?: boolean;
}

/** Runs a job's meta-tool call; the signal ends it (task cancelled, process stopping). */
export type JobRunner = (job: TaskJob, signal: AbortSignal) => Promise<CallToolResult>;

export interface TaskQueue {
  submit(job: TaskJob): Promise<void>;
  close(): Promise<void>;
}

const QUEUE_NAME = 'toolshed-tasks';
/** A worker's lock on a job; another worker takes it over this long after its replica died. */
export const TASK_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

/** Runs one job and records its outcome; a cancellation seen in the backend stops it. */
export async function runTaskJob(backend: TaskBackend, runner: JobRunner, job: TaskJob, log: Logger, stopping?: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onStopping = () => stop.abort('toolshed is stopping');
  stopping?.addEventListener('abort', onStopping, { once: true });
  void backend.settled(job.taskId, stop.signal).then((r) => r?.task.status === 'cancelled' && stop.abort('cancelled'), () => undefined);
  try {
    const result = await runner(job, stop.signal);
    if (stop.signal.aborted) return; // cancelled: the task is already terminal
    const failed = result.isError === true;
    await backend.finish(job.taskId, failed ? 'failed' : 'completed', result, failed ? firstLine(result) : undefined);
  } catch (e) {
    log.error({ err: e, taskId: job.taskId }, 'task run failed');
    await backend.finish(job.taskId, 'failed', errorResult(`toolshed could not run the task: ${(e as Error).message}`), 'internal error').catch(() => undefined);
  } finally {
    stopping?.removeEventListener('abort', onStopping);
    stop.abort('done');
  }
}

export function createMemoryTaskQueue(options: { backend: TaskBackend; runner: JobRunner; log: Logger }): TaskQueue {
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  return {
    async submit(job) {
      const run = runTaskJob(options.backend, options.runner, job, options.log, stopping.signal).finally(() => running.delete(run));
      running.add(run);
    },
    async close() {
      stopping.abort();
      await Promise.allSettled(running);
    },
  };
}

export async function createRedisTaskQueue(options: { url: string; backend: TaskBackend; runner: JobRunner; log: Logger; concurrency: number }): Promise<TaskQueue> {
  const { backend, log } = options;
  // Imported here: BullMQ and ioredis (a few hundred modules) are for --tasks redis:// only, not every start.
  const [{ Queue, Worker }, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
  // BullMQ's blocking commands need connections that retry forever (its documented requirement).
  // BullMQ leaves connections it is given open on close: these two are ours to quit.
  const connection = new Redis(options.url, { maxRetriesPerRequest: null });
  const workerConnection = connection.duplicate({ maxRetriesPerRequest: null });
  const queue = new Queue<TaskJob>(QUEUE_NAME, { connection });
  const stopping = new AbortController();
  const worker = new Worker<TaskJob>(
    QUEUE_NAME,
    async (job: Job<TaskJob>) => {
      const record = await backend.get(job.data.taskId);
      if (!record || record.task.status !== 'working') return; // cancelled or expired before it ran
      if (job.attemptsStarted > 1 && !job.data.idempotent) {
        await backend.finish(job.data.taskId, 'failed', errorResult(INTERRUPTED), INTERRUPTED);
        return;
      }
      await runTaskJob(backend, options.runner, job.data, log, stopping.signal);
    },
    { connection: workerConnection, concurrency: options.concurrency, lockDuration: TASK_LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: 1 },
  );
  // A job that stalled more often than allowed ends here: its task must not stay `working`.
  worker.on('failed', (job, error) => {
    if (!job) return;
    log.warn({ taskId: job.data.taskId, error: error.message }, 'task job failed');
    void backend.finish(job.data.taskId, 'failed', errorResult(`${INTERRUPTED} (${error.message})`), INTERRUPTED).catch(() => undefined);
  });
  worker.on('error', (error) => log.warn({ error: error.message }, 'task worker error'));
  return {
    async submit(job) {
      await queue.add('call', job, { jobId: job.taskId, removeOnComplete: true, removeOnFail: true });
    },
    async close() {
      stopping.abort();
      await worker.close();
      await queue.close();
      await Promise.allSettled([connection.quit(), workerConnection.quit()]);
    },
  };
}

const INTERRUPTED = 'the replica running this task stopped mid-run; it was not run again because the call may already have taken effect. Check its effect, then call again.';

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: formatFailure({ code: 'runtime_error', message }) }] };
}

function firstLine(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text');
  return (text && 'text' in text ? text.text : 'the call failed').split('\n')[0]!.slice(0, 200);
}
