// Tasks in Redis (`--tasks redis://...`): every replica reads and writes the same records, so any of
// them answers tasks/get, tasks/result, tasks/list and tasks/cancel for a task another one runs. A
// record and its result expire with the task's ttl. Status changes are atomic (a Lua script: a
// terminal task never changes again, so a late result cannot overwrite a cancellation), and terminal
// ones are published, so a waiting tasks/result or a worker watching for cancellation learns at once.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Result, Task } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { effectiveTtl, TASKS_PAGE_SIZE, TERMINAL, type TaskBackend, type TaskRecord } from './task-backend.js';

const PREFIX = 'toolshed:';
const taskKey = (id: string) => `${PREFIX}task:${id}`;
const resultKey = (id: string) => `${PREFIX}task-result:${id}`;
const ownerKey = (owner: string) => `${PREFIX}tasks-of:${owner}`;
const SETTLED_CHANNEL = `${PREFIX}task-settled`;

// KEYS: task, result. ARGV: status, statusMessage ('' for none), now, result JSON ('' for none), channel, task id.
const TRANSITION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local rec = cjson.decode(raw)
local s = rec.task.status
if s == 'completed' or s == 'failed' or s == 'cancelled' then return 0 end
rec.task.status = ARGV[1]
rec.task.lastUpdatedAt = ARGV[3]
if ARGV[2] ~= '' then rec.task.statusMessage = ARGV[2] end
redis.call('SET', KEYS[1], cjson.encode(rec), 'KEEPTTL')
if ARGV[4] ~= '' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[2], ARGV[4], 'PX', ttl) else redis.call('SET', KEYS[2], ARGV[4]) end
end
if ARGV[1] == 'completed' or ARGV[1] == 'failed' or ARGV[1] == 'cancelled' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return 1`;

type StoredRecord = Omit<TaskRecord, 'result'>;

export async function createRedisTaskBackend(url: string): Promise<TaskBackend> {
  // Commands fail fast while Redis is down (no offline queue): a task call gets a clear error, not a hang.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = redis.duplicate();
  await Promise.all([redis.connect(), subscriber.connect()]);
  const settledEvents = new EventEmitter();
  settledEvents.setMaxListeners(0);
  await subscriber.subscribe(SETTLED_CHANNEL);
  subscriber.on('message', (_channel: string, taskId: string) => settledEvents.emit(taskId));

  const read = async (taskId: string): Promise<TaskRecord | undefined> => {
    const [raw, result] = await redis.mget(taskKey(taskId), resultKey(taskId));
    if (!raw) return undefined;
    const record = JSON.parse(raw) as StoredRecord;
    return { ...record, ...(result ? { result: JSON.parse(result) as Result } : {}) };
  };
  const transition = async (taskId: string, status: Task['status'], statusMessage = '', result?: Result) =>
    (await redis.eval(TRANSITION, 2, taskKey(taskId), resultKey(taskId), status, statusMessage, new Date().toISOString(), result ? JSON.stringify(result) : '', SETTLED_CHANNEL, taskId)) === 1;

  // Tasks created in the same millisecond keep their order (a sorted set orders ties by member).
  let sequence = 0;
  const score = () => Date.now() + (sequence++ % 1000) / 1000;
  return {
    async create({ owner, ttl, pollInterval }) {
      const now = new Date().toISOString();
      const keep = effectiveTtl(ttl);
      const task: Task = { taskId: randomUUID(), status: 'working', ttl: keep, createdAt: now, lastUpdatedAt: now, pollInterval };
      const record: StoredRecord = { task, owner };
      await redis.multi().set(taskKey(task.taskId), JSON.stringify(record), 'PX', keep).zadd(ownerKey(owner), score(), task.taskId).pexpire(ownerKey(owner), keep).exec();
      return task;
    },
    get: read,
    update: (taskId, status, statusMessage) => transition(taskId, status, statusMessage),
    finish: (taskId, status, result, statusMessage) => transition(taskId, status, statusMessage, result),
    async list(owner, cursor) {
      const start = cursor ? Number(cursor) : 0;
      const ids = await redis.zrevrange(ownerKey(owner), start, start + TASKS_PAGE_SIZE - 1);
      const raws = ids.length ? await redis.mget(ids.map(taskKey)) : [];
      const gone = ids.filter((_, i) => !raws[i]);
      if (gone.length) await redis.zrem(ownerKey(owner), ...gone);
      const tasks = raws.flatMap((raw) => (raw ? [(JSON.parse(raw) as StoredRecord).task] : []));
      return { tasks, ...(ids.length === TASKS_PAGE_SIZE ? { nextCursor: String(start + TASKS_PAGE_SIZE) } : {}) };
    },
    async settled(taskId, signal) {
      // Listen first, then read: a task that settles in between is not missed.
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      settledEvents.on(taskId, wake);
      signal?.addEventListener('abort', wake, { once: true });
      try {
        const record = await read(taskId);
        if (!record || TERMINAL.has(record.task.status)) return record;
        // Only terminal transitions are published: one wake-up means it settled (or the wait was ended).
        await woken;
        return signal?.aborted ? undefined : read(taskId);
      } finally {
        settledEvents.off(taskId, wake);
        signal?.removeEventListener('abort', wake);
      }
    },
    async close() {
      await Promise.allSettled([subscriber.quit(), redis.quit()]);
    },
  };
}
