// One contract suite for both task backends: in memory, and in a real Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMemoryTaskBackend } from '../../src/tasks/memory-task-backend.js';
import { createRedisTaskBackend } from '../../src/tasks/redis-task-backend.js';
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

    test('settled waits for the terminal state, and a signal ends the wait', async () => {
      const task = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      const waiting = backend.settled(task.taskId);
      await backend.update(task.taskId, 'input_required');
      await backend.finish(task.taskId, 'completed', result('done'));
      assert.equal((await waiting)?.task.status, 'completed');
      const other = await backend.create({ owner: 'alice', ttl: 60_000, pollInterval: 500 });
      const controller = new AbortController();
      const abandoned = backend.settled(other.taskId, controller.signal);
      controller.abort();
      assert.equal(await abandoned, undefined);
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
