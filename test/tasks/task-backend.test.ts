// One contract suite for both task backends: in memory, and in a real Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryTaskBackend } from '../../src/tasks/memory-task-backend.js';
import { createRedisTaskBackend, SETTLED_MESSAGE_MAX_CHARS } from '../../src/tasks/redis-task-backend.js';
import { TASK_TTL_MAX_MS, TASKS_PAGE_SIZE, type TaskBackend } from '../../src/tasks/task-backend.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const result = (text: string) => ({ content: [{ type: 'text', text }] });

function contract(name: string, open: () => Promise<TaskBackend>) {
  describe(`task backend: ${name}`, () => {
    let backend: TaskBackend;
    before(async () => (backend = await open()));
    after(() => backend?.close());

    test('a task is created working, with its ttl capped, and found by id', async () => {
      const task = await backend.create({ owner: 'alice', ttl: 10 * TASK_TTL_MAX_MS, pollInterval: 500 });
      assert.equal(task.status, 'working');
      assert.equal(task.ttl, TASK_TTL_MAX_MS);
      const record = await backend.get(task.taskId);
      assert.equal(record?.owner, 'alice');
      assert.equal(record?.task.taskId, task.taskId);
      assert.equal(await backend.get('no-such-task'), undefined);
    });

    test('finish stores the result once; a terminal task never changes again', async () => {
      const task = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      assert.equal(await backend.finish(task.taskId, 'completed', result('first')), true);
      assert.equal(await backend.finish(task.taskId, 'failed', result('second')), false);
      assert.equal(await backend.update(task.taskId, 'cancelled'), false);
      const record = await backend.get(task.taskId);
      assert.equal(record?.task.status, 'completed');
      assert.deepEqual(record?.result, result('first'));
    });

    test('a cancelled task keeps no late result', async () => {
      const task = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      assert.equal(await backend.update(task.taskId, 'cancelled', 'Client cancelled'), true);
      assert.equal(await backend.finish(task.taskId, 'completed', result('late')), false);
      const record = await backend.get(task.taskId);
      assert.equal(record?.task.status, 'cancelled');
      assert.equal(record?.task.statusMessage, 'Client cancelled');
      assert.equal(record?.result, undefined);
    });

    test('a watch reads the task, then waits for its terminal state; a signal ends the wait', async () => {
      const task = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      const watch = backend.watch(task.taskId);
      assert.equal((await watch.current)?.task.status, 'working');
      await backend.update(task.taskId, 'input_required');
      await backend.finish(task.taskId, 'completed', result('done'));
      const settled = await watch.settled;
      assert.equal(settled?.task.status, 'completed');
      assert.deepEqual(settled?.result, result('done'));
      // Already terminal: at once, with its result.
      assert.deepEqual((await backend.watch(task.taskId).settled)?.result, result('done'));
      const other = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      const controller = new AbortController();
      const abandoned = backend.watch(other.taskId, controller.signal);
      controller.abort();
      assert.equal(await abandoned.settled, undefined);
      const missing = backend.watch('no-such-task');
      assert.equal(await missing.current, undefined);
      assert.equal(await missing.settled, undefined);
    });

    test('a watch started before its task is created reads nothing and hears its end', async () => {
      const watch = backend.watch('chosen-id-2', undefined, { beforeCreate: true });
      assert.equal(await watch.current, undefined);
      await backend.create({ taskId: 'chosen-id-2', owner: 'erin', ttl: 60_000, pollInterval: 500 });
      await backend.finish('chosen-id-2', 'failed', result('no'), 'no');
      const settled = await watch.settled;
      assert.equal(settled?.task.status, 'failed');
      assert.deepEqual(settled?.result, result('no'));
    });

    test('a task created with a given id keeps it', async () => {
      const task = await backend.create({ taskId: 'chosen-id-1', owner: 'erin', ttl: 60_000, pollInterval: 500 });
      assert.equal(task.taskId, 'chosen-id-1');
      assert.equal((await backend.get('chosen-id-1'))?.owner, 'erin');
    });

    test('list shows only the owner\'s tasks, newest first, in pages', async () => {
      const mine = [];
      for (let i = 0; i < TASKS_PAGE_SIZE + 3; i++) mine.push((await backend.create({ owner: 'bob', ttl: 60_000, pollInterval: 500 })).taskId);
      await backend.create({ owner: 'carol', ttl: 60_000, pollInterval: 500 });
      const first = await backend.list('bob');
      assert.equal(first.tasks.length, TASKS_PAGE_SIZE);
      assert.equal(first.tasks[0]!.taskId, mine.at(-1));
      assert.ok(first.nextCursor);
      const second = await backend.list('bob', first.nextCursor);
      const seen = [...first.tasks, ...second.tasks].map((t) => t.taskId);
      assert.deepEqual(new Set(seen), new Set(mine));
    });

    test('a task expires with its ttl', async () => {
      const task = await backend.create({ owner: 'dave', ttl: 150, pollInterval: 500 });
      const deadline = Date.now() + 10_000;
      while ((await backend.get(task.taskId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await backend.get(task.taskId), undefined);
    });
  });
}

contract('memory', async () => createMemoryTaskBackend());

let redis: RedisServer | undefined;
after(() => redis?.stop());
contract('redis', async () => {
  redis = await startRedis();
  return createRedisTaskBackend(redis.url);
});

// Two backends on one Redis are two replicas: a waiter on one hears of a task the other settles.
describe('task backend: redis, across replicas', () => {
  let server: RedisServer;
  let a: TaskBackend;
  let b: TaskBackend;
  before(async () => {
    server = await startRedis();
    [a, b] = await Promise.all([createRedisTaskBackend(server.url), createRedisTaskBackend(server.url)]);
  });
  after(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await server?.stop();
  });

  test('a waiter on one replica gets the record and result another stores, small or large', async () => {
    for (const text of ['small', 'x'.repeat(SETTLED_MESSAGE_MAX_CHARS + 1)]) {
      const task = await a.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      const watch = a.watch(task.taskId);
      assert.equal((await watch.current)?.task.status, 'working');
      assert.equal(await b.finish(task.taskId, 'completed', result(text), undefined), true);
      const settled = await watch.settled;
      assert.equal(settled?.task.status, 'completed');
      assert.equal(settled?.owner, 'alice');
      assert.deepEqual(settled?.result, result(text));
    }
  });

  test('a cancellation on one replica ends a wait on another, without a result', async () => {
    const task = await a.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
    const watch = b.watch(task.taskId);
    await watch.current;
    assert.equal(await a.update(task.taskId, 'cancelled', 'Client cancelled'), true);
    const settled = await watch.settled;
    assert.equal(settled?.task.status, 'cancelled');
    assert.equal(settled?.task.statusMessage, 'Client cancelled');
    assert.equal(settled?.result, undefined);
  });

  test('a task settled while the replica\'s subscriber was reconnecting: its waiter reads it once back', async () => {
    const task = await a.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
    const watch = a.watch(task.taskId);
    await watch.current;
    const admin = new Redis(server.url);
    try {
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      // Nobody hears this one (ioredis waits before it reconnects and subscribes again).
      const [, listeners] = (await admin.pubsub('NUMSUB', 'toolshed:task-settled')) as [string, number];
      assert.equal(listeners, 0, 'the subscribers were back before the task settled: nothing was lost');
      await b.finish(task.taskId, 'completed', result('while away'));
    } finally {
      admin.disconnect();
    }
    assert.deepEqual((await watch.settled)?.result, result('while away'));
  });
});
