// Tasks in Redis (`--tasks redis://...`): every replica reads and writes the same records, so any of
// them answers tasks/get, tasks/result, tasks/list and tasks/cancel for a task another one runs. A
// record and its result expire with the task's ttl. Status changes are atomic (a Lua script: a
// terminal task never changes again, so a late result cannot overwrite a cancellation). A terminal
// change wakes this replica's waiters at once with the record the script returns, and is published
// with the record (and a result up to SETTLED_MESSAGE_MAX_CHARS), so a waiting tasks/result or a worker
// watching for cancellation on another replica learns at once, without reading it back.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Result, Task } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { effectiveTtl, TASKS_PAGE_SIZE, TERMINAL, type TaskBackend, type TaskRecord, type TaskWatch, type WatchOptions } from './task-backend.js';

const PREFIX = 'toolshed:';
const taskKey = (id: string) => `${PREFIX}task:${id}`;
const resultKey = (id: string) => `${PREFIX}task-result:${id}`;
const ownerKey = (owner: string) => `${PREFIX}tasks-of:${owner}`;
const SETTLED_CHANNEL = `${PREFIX}task-settled`;
/**
 * A result up to this size rides on the settled message to every replica; a larger one is read by the
 * waiter instead (Redis drops a subscriber whose unread messages pile up past its output buffer limit).
 */
export const SETTLED_MESSAGE_MAX_CHARS = 16_384;

// KEYS: task, result. ARGV: status, statusMessage ('' for none), now, result JSON ('' for none), channel,
// task id, '1' when the result rides on the message. Returns the record as stored, or false (no change).
// The message: "id\nrecord\nresult" ('' for none), or "id" alone (read it).
const TRANSITION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local rec = cjson.decode(raw)
local s = rec.task.status
if s == 'completed' or s == 'failed' or s == 'cancelled' then return false end
rec.task.status = ARGV[1]
rec.task.lastUpdatedAt = ARGV[3]
if ARGV[2] ~= '' then rec.task.statusMessage = ARGV[2] end
local encoded = cjson.encode(rec)
redis.call('SET', KEYS[1], encoded, 'KEEPTTL')
if ARGV[4] ~= '' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[2], ARGV[4], 'PX', ttl) else redis.call('SET', KEYS[2], ARGV[4]) end
end
if ARGV[1] == 'completed' or ARGV[1] == 'failed' or ARGV[1] == 'cancelled' then
  if ARGV[7] == '1' then redis.call('PUBLISH', ARGV[5], ARGV[6] .. '\\n' .. encoded .. '\\n' .. ARGV[4])
  else redis.call('PUBLISH', ARGV[5], ARGV[6]) end
end
return encoded`;

// KEYS: task, owner's list. ARGV: record JSON, ttl (ms), score, task id. One command where a MULTI was five.
const CREATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

type StoredRecord = Omit<TaskRecord, 'result'>;
/** The scripts, sent by their SHA once Redis has them (ioredis's defineCommand). */
type WithScripts = Redis & {
  toolshedCreate(...args: Array<string | number>): Promise<number>;
  toolshedTransition(...args: string[]): Promise<string | null>;
};

export interface RedisTaskBackend extends TaskBackend {
  /**
   * The connection task records are written on. A job queued on it right after its record cannot be taken
   * before the record exists: Redis runs one connection's commands in order.
   */
  readonly connection: Redis;
}

export async function createRedisTaskBackend(url: string): Promise<RedisTaskBackend> {
  // Commands fail fast while Redis is down (no offline queue): a task call gets a clear error, not a hang.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) as WithScripts;
  redis.defineCommand('toolshedCreate', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('toolshedTransition', { numberOfKeys: 2, lua: TRANSITION });
  const subscriber = redis.duplicate();
  await Promise.all([redis.connect(), subscriber.connect()]);
  // Listeners get the terminal record, or undefined: "it may have settled, read it".
  const settledEvents = new EventEmitter();
  settledEvents.setMaxListeners(0);
  await subscriber.subscribe(SETTLED_CHANNEL);
  subscriber.on('message', (_channel: string, message: string) => {
    const [taskId, record, result] = message.split('\n');
    if (!taskId || !settledEvents.listenerCount(taskId)) return;
    settledEvents.emit(taskId, record ? { ...(JSON.parse(record) as StoredRecord), ...(result ? { result: JSON.parse(result) as Result } : {}) } : undefined);
  });
  // Messages published while the subscriber was reconnecting are lost: every waiter reads again.
  subscriber.on('ready', () => {
    for (const taskId of settledEvents.eventNames()) settledEvents.emit(taskId, undefined);
  });

  const read = async (taskId: string): Promise<TaskRecord | undefined> => {
    const [raw, result] = await redis.mget(taskKey(taskId), resultKey(taskId));
    if (!raw) return undefined;
    const record = JSON.parse(raw) as StoredRecord;
    return { ...record, ...(result ? { result: JSON.parse(result) as Result } : {}) };
  };
  const transition = async (taskId: string, status: Task['status'], statusMessage = '', result?: Result) => {
    const resultJson = result ? JSON.stringify(result) : '';
    const carried = resultJson.length <= SETTLED_MESSAGE_MAX_CHARS ? '1' : '';
    const stored = await redis.toolshedTransition(taskKey(taskId), resultKey(taskId), status, statusMessage, new Date().toISOString(), resultJson, SETTLED_CHANNEL, taskId, carried);
    if (stored === null) return false;
    // This replica's waiters (often the tasks/result for a job run here) need not wait for the message.
    if (TERMINAL.has(status)) settledEvents.emit(taskId, { ...(JSON.parse(stored) as StoredRecord), ...(result ? { result } : {}) });
    return true;
  };
  const watch = (taskId: string, signal?: AbortSignal, options?: WatchOptions): TaskWatch => {
    // Listen first, then read: a task that settles in between is not missed.
    let woken: TaskRecord | 'read' | undefined;
    let notify = () => undefined as void;
    const onSettled = (record?: TaskRecord) => {
      if (typeof woken !== 'object') woken = record ?? 'read';
      notify();
    };
    const onAbort = () => notify();
    settledEvents.on(taskId, onSettled);
    signal?.addEventListener('abort', onAbort, { once: true });
    const current = options?.beforeCreate ? Promise.resolve(undefined) : read(taskId);
    const settled = (async () => {
      try {
        let record = await current;
        let waiting = options?.beforeCreate || (record && !TERMINAL.has(record.task.status));
        while (waiting) {
          if (!woken && !signal?.aborted) await new Promise<void>((resolve) => (notify = resolve));
          if (signal?.aborted) return undefined;
          const wake = woken;
          woken = undefined;
          record = wake === 'read' ? await read(taskId) : wake;
          waiting = record && !TERMINAL.has(record.task.status);
        }
        return signal?.aborted ? undefined : record;
      } finally {
        settledEvents.off(taskId, onSettled);
        signal?.removeEventListener('abort', onAbort);
      }
    })();
    settled.catch(() => undefined); // a failed read rejects `current` too: the caller hears it there
    return { current, settled };
  };

  // Tasks created in the same millisecond keep their order (a sorted set orders ties by member).
  let sequence = 0;
  const score = () => Date.now() + (sequence++ % 1000) / 1000;
  return {
    connection: redis,
    async create({ taskId = randomUUID(), owner, ttl, pollInterval }) {
      const now = new Date().toISOString();
      const keep = effectiveTtl(ttl);
      const task: Task = { taskId, status: 'working', ttl: keep, createdAt: now, lastUpdatedAt: now, pollInterval };
      const record: StoredRecord = { task, owner };
      await redis.toolshedCreate(taskKey(taskId), ownerKey(owner), JSON.stringify(record), keep, score(), taskId);
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
    watch,
    async close() {
      await Promise.allSettled([subscriber.quit(), redis.quit()]);
      // quit is refused while a connection is reconnecting (no offline queue): end it, or it retries forever.
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
