// Tasks across replicas on a real Redis: two stateless `toolshed serve --http --tasks redis://...`
// processes, one killed with SIGKILL mid-run. Any replica answers for any task; an interrupted task ends
// `failed` with a message, or runs again when it is marked read-only. Never stuck in `working`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { READ_ONLY_META_KEY } from '../../src/server/task-calls.js';
import { spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { textOf } from '../helpers/mcp-client.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/upstream-servers.js';
import { startTask } from '../helpers/tasks.js';

const TOKEN = 'replicas-share-this-token';
/** BullMQ notices a dead worker's job after its lock (10 s) and a stalled check (5 s): bound, not timing. */
const FAILOVER_WAIT_MS = 90_000;

/** Polls tasks/get until the task leaves `working`. */
function settledTask(client: Client, taskId: string, what: string) {
  return waitFor(async () => {
    const t = await client.experimental.tasks.getTask(taskId);
    return t.status !== 'working' && t;
  }, what, FAILOVER_WAIT_MS);
}

async function connect(replica: ServeProcess): Promise<Client> {
  const client = new Client({ name: 'failover-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(replica.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

describe('tasks on Redis across two replicas', () => {
  let redis: RedisServer;
  let api: ItemsApi;
  const replicas: ServeProcess[] = [];
  const clients: Client[] = [];
  const replica = async (...flags: string[]) => {
    const r = await spawnHttpServe(['--stateless', '--tasks', redis.url, '--config', api.configPath, ...flags], { env: { ITEMS_KEY, TOOLSHED_AUTH_TOKEN: TOKEN } });
    replicas.push(r);
    return r;
  };
  const client = async (r: ServeProcess) => {
    const c = await connect(r);
    clients.push(c);
    return c;
  };
  before(async () => {
    redis = await startRedis();
    api = await startItemsApi();
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(replicas.map((r) => r.stop('SIGKILL')));
    await api?.close();
    await redis?.stop();
  });

  test('a task created on one replica is answered by another', async () => {
    const a = await replica();
    const b = await replica();
    const task = await startTask(await client(a), 'execute_tool', { name: 'items.get_item', arguments: { itemId: 42 } });
    const fromB = await client(b);
    const result = (await fromB.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
    assert.match(textOf(result), /"label":"item 42"/);
    assert.equal((await fromB.experimental.tasks.getTask(task.taskId)).status, 'completed');
    await a.stop();
    await b.stop();
  });

  test('the replica running a task dies: the task fails with a message, on the other replica', async () => {
    const a = await replica();
    const arrived = api.slowArrived();
    const task = await startTask(await client(a), 'run_code', { code: 'await items.get_slow(); return "finished";' });
    await arrived; // running on a, the only worker
    const b = await replica();
    await a.stop('SIGKILL');
    const fromB = await client(b);
    const final = await settledTask(fromB, task.taskId, 'the interrupted task to settle');
    assert.equal(final.status, 'failed');
    assert.match(final.statusMessage ?? '', /stopped mid-run/);
    const result = (await fromB.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
    assert.equal(result.isError, true);
    api.release();
    await b.stop();
  });

  test('a read-only program interrupted the same way runs again and completes', async () => {
    const b = await replica();
    const arrived = api.slowArrived();
    const task = await startTask(await client(b), 'run_code', { code: 'const r = await items.get_slow(); return r;' }, { [READ_ONLY_META_KEY]: true });
    await arrived;
    const c = await replica();
    const again = api.slowArrived();
    await b.stop('SIGKILL');
    // The job is taken over by c and its call made again.
    await Promise.race([again, waitFor(() => false, `the call made again (c's log: ${c.stderr().slice(-2000)})`, FAILOVER_WAIT_MS)]);
    api.release();
    const fromC = await client(c);
    const final = await settledTask(fromC, task.taskId, 'the retried task to settle');
    assert.equal(final.status, 'completed');
    const result = (await fromC.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
    assert.match(textOf(result), /done/);
    await c.stop(); // the next tests choose which replica's worker runs their tasks
  });

  test('a task refused at the replica\'s limits (busy) waits in the queue and runs later, not failed', async () => {
    // One call slot and no waiting place: the worker takes two programs (one per sandbox), the gate runs one
    // and refuses the other.
    const f = await replica('--max-concurrent-calls', '1', '--max-queue', '0');
    const fromF = await client(f);
    const arrived = api.slowArrived();
    const tasks = await Promise.all([1, 2, 3].map(() => startTask(fromF, 'run_code', { code: 'await items.get_slow(); return "finished";' })));
    await arrived;
    const statuses = async () => Promise.all(tasks.map(async (t) => (await fromF.experimental.tasks.getTask(t.taskId)).status));
    assert.deepEqual(await statuses(), ['working', 'working', 'working']);
    // Each held call answered in turn; the refused one runs once there is room.
    await waitFor(async () => (api.release(), (await statuses()).every((s) => s !== 'working')), 'the three tasks to settle', FAILOVER_WAIT_MS);
    assert.deepEqual(await statuses(), ['completed', 'completed', 'completed']);
    await f.stop();
  });

  test('run_code tasks beyond a replica\'s sandboxes wait in Redis, where another replica takes them', async () => {
    const g = await replica('--run-pool-size', '1');
    const fromG = await client(g);
    const slow = () => api.requests.filter((r) => r.url === '/slow').length;
    const before = slow();
    const tasks = await Promise.all([1, 2].map(() => startTask(fromG, 'run_code', { code: 'await items.get_slow(); return "finished";' })));
    await waitFor(() => slow() === before + 1, 'one program running on g, its only sandbox held');
    // g's sandbox stays held: the second program can only reach the API from h.
    const h = await replica();
    await waitFor(() => slow() === before + 2, 'the second program run by h');
    api.release();
    for (const t of tasks) assert.equal((await settledTask(fromG, t.taskId, 'both to complete')).status, 'completed');
    await Promise.all([g.stop(), h.stop()]);
  });

  test('a task cancelled while its job waits in the queue never runs', async () => {
    const g = await replica('--run-pool-size', '1');
    const fromG = await client(g);
    const arrived = api.slowArrived();
    const first = await startTask(fromG, 'run_code', { code: 'await items.get_slow(); return "first";' });
    await arrived; // g's only sandbox is held: the next job waits in Redis
    const second = await startTask(fromG, 'run_code', { code: 'await items.get_item({ itemId: 77 }); return "second";' });
    assert.equal((await fromG.experimental.tasks.cancelTask(second.taskId)).status, 'cancelled');
    api.release();
    assert.equal((await settledTask(fromG, first.taskId, 'the first to complete')).status, 'completed');
    // The queue is taken in order: once a later task has run, the cancelled job has been taken and dropped.
    const third = await startTask(fromG, 'run_code', { code: 'return "third";' });
    assert.match(textOf((await fromG.experimental.tasks.getTaskResult(third.taskId, CallToolResultSchema)) as CallToolResult), /third/);
    assert.equal((await fromG.experimental.tasks.getTask(second.taskId)).status, 'cancelled');
    assert.ok(!api.requests.some((r) => r.url === '/items/77'), 'the cancelled program ran');
    await g.stop();
  });

  test('a replica told to stop (SIGTERM) drains: past the deadline a task fails at once, a read-only one runs again elsewhere', async () => {
    const d = await replica('--shutdown-timeout-ms', '1000');
    const slow = () => api.requests.filter((r) => r.url === '/slow').length;
    const before = slow();
    const fromD = await client(d);
    const plain = await startTask(fromD, 'run_code', { code: 'await items.get_slow(); return "finished";' });
    const readOnly = await startTask(fromD, 'run_code', { code: 'const r = await items.get_slow(); return r;' }, { [READ_ONLY_META_KEY]: true });
    await waitFor(() => slow() === before + 2, 'both running on d, the only worker');
    const e = await replica();
    assert.equal(await d.stop('SIGTERM'), 0);
    const fromE = await client(e);
    // Failed by d itself when its drain ran out: no lock has to expire first.
    const failed = await fromE.experimental.tasks.getTask(plain.taskId);
    assert.equal(failed.status, 'failed');
    assert.match(failed.statusMessage ?? '', /stopped mid-run/);
    // Handed back to the queue: e makes the call again.
    await waitFor(() => slow() === before + 3, `the read-only call made again on e (${e.stderr().slice(-2000)})`);
    api.release();
    const final = await settledTask(fromE, readOnly.taskId, 'the handed-back task to settle');
    assert.equal(final.status, 'completed');
    assert.match(textOf((await fromE.experimental.tasks.getTaskResult(readOnly.taskId, CallToolResultSchema)) as CallToolResult), /done/);
  });
});
