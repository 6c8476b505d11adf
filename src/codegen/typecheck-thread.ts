// Type-checking off the main thread, with a deadline: one worker thread holds the TypeScript compiler
// (typecheck-worker.ts) and checks one program at a time. A check that passes its deadline, or runs the
// worker out of memory, ends that worker; a fresh one is started in the background. The main thread
// only posts strings and waits, so a program of recursive conditional types costs it nothing.
import { Worker } from 'node:worker_threads';
import type { CompileIssue } from './program-wrapper.js';
import { RUN_TYPECHECK_MEMORY_MB, RUN_TYPECHECK_MS } from '../exec/run-limits.js';


export interface CheckRequest {
  id: number;
  code: string;
  declarations: string;
}

export type CheckReply = { kind: 'ready' } | { kind: 'checked'; id: number; issues: CompileIssue[] } | { kind: 'failed'; id: number; detail: string };

export type CheckOutcome =
  | { kind: 'checked'; issues: CompileIssue[] }
  | { kind: 'timeout'; deadlineMs: number }
  | { kind: 'failed'; detail: string }
  | { kind: 'cancelled' };

export interface TypeCheckThreadOptions {
  deadlineMs?: number;
  memoryMb?: number;
  /** Worker crashes and replacements; defaults to stderr. */
  log?(message: string): void;
}

export interface TypeCheckThread {
  /** Starts the worker (TypeScript loaded, lib files parsed) if it is not running. */
  warm(): Promise<void>;
  /** Checks `code` against `declarations`; the deadline runs from when the worker takes the job. */
  check(code: string, declarations: string, options?: { signal?: AbortSignal; deadlineMs?: number }): Promise<CheckOutcome>;
  close(): Promise<void>;
}

interface Job extends CheckRequest {
  deadlineMs: number;
  signal: AbortSignal | undefined;
  settle(outcome: CheckOutcome): void;
}

interface Running {
  worker: Worker;
  ready: Promise<boolean>;
}

// Under tsx the sources are .ts and the worker inherits the loader; built, they are .js.
const WORKER_URL = new URL(`./typecheck-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export function createTypeCheckThread(options: TypeCheckThreadOptions = {}): TypeCheckThread {
  const defaultDeadlineMs = options.deadlineMs ?? RUN_TYPECHECK_MS;
  const memoryMb = options.memoryMb ?? RUN_TYPECHECK_MEMORY_MB;
  const log = options.log ?? ((message: string) => process.stderr.write(`toolshed type-check: ${message}\n`));
  const queue: Job[] = [];
  let running: Running | undefined;
  let current: { job: Job; on: Running; timer?: NodeJS.Timeout } | undefined;
  let nextId = 1;
  let closed = false;

  function start(): Running {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    worker.unref(); // referenced only while a job is in flight
    let onReady!: (ok: boolean) => void;
    const ready = new Promise<boolean>((resolve) => (onReady = resolve));
    const self: Running = { worker, ready };
    worker.on('message', (reply: CheckReply) => {
      if (reply.kind === 'ready') return onReady(true);
      if (current?.on !== self || current.job.id !== reply.id) return;
      finish(reply.kind === 'checked' ? { kind: 'checked', issues: reply.issues } : { kind: 'failed', detail: reply.detail });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const detail = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the type-check ran out of its ${memoryMb} MB` : `the type-check thread failed: ${error.message}`;
      if (running === self) running = undefined;
      onReady(false);
      if (current?.on === self) finish({ kind: 'failed', detail });
      else log(detail);
    });
    worker.on('exit', () => {
      if (running === self) running = undefined;
      onReady(false);
      if (current?.on === self && !closed) finish({ kind: 'failed', detail: 'the type-check thread stopped' });
    });
    return self;
  }

  function finish(outcome: CheckOutcome): void {
    if (!current) return;
    clearTimeout(current.timer);
    current.job.settle(outcome);
    current = undefined;
    running?.worker.unref();
    void pump();
  }

  /** Ends the worker that holds a job past its deadline; a fresh one starts for the next job. */
  function replace(): void {
    const old = running;
    running = undefined;
    if (old) void old.worker.terminate();
    if (!closed) running = start();
  }

  async function pump(): Promise<void> {
    if (current || closed) return;
    const job = queue.shift();
    if (!job) return;
    if (job.signal?.aborted) return job.settle({ kind: 'cancelled' }), void pump();
    running ??= start();
    const self = running;
    // Reserve the thread now: a second pump must not post while this one waits for readiness.
    current = { job, on: self };
    self.worker.ref();
    const ready = await self.ready;
    if (!ready || current?.job !== job) {
      // The thread died while starting (out of memory, a broken install): say so rather than retry forever.
      if (current?.job === job) current = undefined;
      job.settle({ kind: 'failed', detail: 'the type-check thread could not start' });
      if (!closed) setImmediate(() => void pump());
      return;
    }
    current.timer = setTimeout(() => {
      if (current?.job !== job) return;
      log(`a program's type-check passed its ${job.deadlineMs} ms deadline; replacing the type-check thread`);
      const deadlineMs = job.deadlineMs;
      current = undefined;
      job.settle({ kind: 'timeout', deadlineMs });
      replace();
      void pump();
    }, job.deadlineMs);
    self.worker.postMessage({ id: job.id, code: job.code, declarations: job.declarations } satisfies CheckRequest);
  }

  return {
    async warm() {
      if (closed) return;
      running ??= start();
      await running.ready;
    },
    check(code, declarations, checkOptions = {}) {
      if (closed) return Promise.resolve({ kind: 'failed', detail: 'the type checker is shut down' });
      return new Promise<CheckOutcome>((resolve) => {
        let settled = false;
        const settle = (outcome: CheckOutcome) => {
          if (settled) return;
          settled = true;
          checkOptions.signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        // A cancelled caller is answered at once; a job already on the thread still runs to its deadline.
        const onAbort = () => {
          const at = queue.indexOf(job);
          if (at >= 0) queue.splice(at, 1);
          settle({ kind: 'cancelled' });
        };
        const job: Job = { id: nextId++, code, declarations, deadlineMs: checkOptions.deadlineMs ?? defaultDeadlineMs, signal: checkOptions.signal, settle };
        checkOptions.signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(job);
        void pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle({ kind: 'failed', detail: 'the type checker is shut down' });
      if (current) {
        clearTimeout(current.timer);
        current.job.settle({ kind: 'failed', detail: 'the type checker is shut down' });
        current = undefined;
      }
      const old = running;
      running = undefined;
      if (old) await old.worker.terminate();
    },
  };
}
