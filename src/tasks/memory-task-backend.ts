// Tasks in this process's memory (the default): lost with the process, seen by this replica only.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { effectiveTtl, TASKS_PAGE_SIZE, TERMINAL, type TaskBackend, type TaskRecord } from './task-backend.js';

export function createMemoryTaskBackend(): TaskBackend {
  const records = new Map<string, TaskRecord>();
  const expiry = new Map<string, NodeJS.Timeout>();
  const settledEvents = new EventEmitter();
  settledEvents.setMaxListeners(0);
  const expireIn = (taskId: string, ms: number) => {
    clearTimeout(expiry.get(taskId));
    expiry.set(taskId, setTimeout(() => (records.delete(taskId), expiry.delete(taskId)), ms).unref());
  };
  const touch = (record: TaskRecord, status: Task['status'], statusMessage?: string) => {
    record.task = { ...record.task, status, lastUpdatedAt: new Date().toISOString(), ...(statusMessage ? { statusMessage } : {}) };
    if (TERMINAL.has(status)) settledEvents.emit(record.task.taskId, record);
  };
  return {
    async create({ taskId = randomUUID(), owner, ttl, pollInterval }) {
      const now = new Date().toISOString();
      const keep = effectiveTtl(ttl);
      const task: Task = { taskId, status: 'working', ttl: keep, createdAt: now, lastUpdatedAt: now, pollInterval };
      records.set(task.taskId, { task, owner });
      expireIn(task.taskId, keep);
      return task;
    },
    get: async (taskId) => records.get(taskId),
    async update(taskId, status, statusMessage) {
      const record = records.get(taskId);
      if (!record || TERMINAL.has(record.task.status)) return false;
      touch(record, status, statusMessage);
      return true;
    },
    async finish(taskId, status, result, statusMessage) {
      const record = records.get(taskId);
      if (!record || TERMINAL.has(record.task.status)) return false;
      record.result = result;
      touch(record, status, statusMessage);
      return true;
    },
    async list(owner, cursor) {
      const mine = [...records.values()].filter((r) => r.owner === owner).reverse();
      const start = cursor ? Number(cursor) : 0;
      const page = mine.slice(start, start + TASKS_PAGE_SIZE).map((r) => r.task);
      return { tasks: page, ...(start + TASKS_PAGE_SIZE < mine.length ? { nextCursor: String(start + TASKS_PAGE_SIZE) } : {}) };
    },
    watch(taskId, signal, options) {
      const record = options?.beforeCreate ? undefined : records.get(taskId);
      const current = Promise.resolve(record);
      if (signal?.aborted || (!options?.beforeCreate && (!record || TERMINAL.has(record.task.status)))) return { current, settled: Promise.resolve(signal?.aborted ? undefined : record) };
      const settled = new Promise<TaskRecord | undefined>((resolve) => {
        const done = (r?: TaskRecord) => {
          settledEvents.off(taskId, done);
          signal?.removeEventListener('abort', stop);
          resolve(r);
        };
        const stop = () => done(undefined);
        settledEvents.on(taskId, done);
        signal?.addEventListener('abort', stop, { once: true });
      });
      return { current, settled };
    },
    async close() {
      for (const t of expiry.values()) clearTimeout(t);
      expiry.clear();
    },
  };
}
