// Where MCP tasks live: their state, their result and who owns them. Two implementations share this
// contract (test/tasks/task-backend.test.ts runs one suite against both): in this process's memory, and
// in Redis, so that any replica can answer tasks/get and tasks/result for a task another one runs.
import type { Result, Task } from '@modelcontextprotocol/sdk/types.js';

export type TaskStatus = Task['status'];

export interface TaskRecord {
  task: Task;
  /** The session or principal that created it: nobody else can see it. */
  owner: string;
  result?: Result;
}

export interface NewTask {
  /** Chosen by the caller that must name the task before it is stored (to queue its job alongside); else a new UUID. */
  taskId?: string;
  owner: string;
  /** Milliseconds the task and its result are kept after creation (null: the store's maximum). */
  ttl: number | null;
  pollInterval: number;
}

export interface TaskBackend {
  create(input: NewTask): Promise<Task>;
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Moves a non-terminal task to `status`; false when it is already terminal (finished or cancelled). */
  update(taskId: string, status: TaskStatus, statusMessage?: string): Promise<boolean>;
  /** Stores the final result; false (nothing stored) when the task is already terminal, e.g. cancelled. */
  finish(taskId: string, status: 'completed' | 'failed', result: Result, statusMessage?: string): Promise<boolean>;
  /** The owner's tasks, newest first. */
  list(owner: string, cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }>;
  /** Listens for the task's end, then reads it: see TaskWatch. The signal ends the wait. */
  watch(taskId: string, signal?: AbortSignal, options?: WatchOptions): TaskWatch;
  close(): Promise<void>;
}

/**
 * One read and one wait from a single listen-then-read, so that a task settling in between is not missed:
 * `current` is the record as read (undefined: no such task); `settled` resolves with it once it is terminal,
 * or undefined when it is gone or the signal ended the wait. A caller that only needs `current` aborts the
 * signal to end the wait.
 */
export interface TaskWatch {
  current: Promise<TaskRecord | undefined>;
  settled: Promise<TaskRecord | undefined>;
}

export interface WatchOptions {
  /** The task is not created yet (its id chosen first): nothing to read, only its end to hear. `current` is undefined. */
  beforeCreate?: boolean;
}

/** Tasks and results are kept at most this long (a client's ttl is capped to it). */
export const TASK_TTL_MAX_MS = 24 * 60 * 60_000;
/** Kept this long when the client names no ttl. */
export const TASK_TTL_DEFAULT_MS = 60 * 60_000;
export const TASKS_PAGE_SIZE = 50;

export const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

export function effectiveTtl(ttl: number | null | undefined): number {
  return Math.min(ttl ?? TASK_TTL_DEFAULT_MS, TASK_TTL_MAX_MS);
}
