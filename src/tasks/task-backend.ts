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
  /** Resolves with the task once it is terminal (or undefined when it is gone or the signal ends the wait). */
  settled(taskId: string, signal?: AbortSignal): Promise<TaskRecord | undefined>;
  close(): Promise<void>;
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
