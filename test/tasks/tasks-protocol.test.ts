// MCP Tasks end to end: the real toolshed bin, the SDK client over real stdio and Streamable HTTP,
// execute_tool and run_code against a real local HTTP API. One suite for both stores: in memory (the
// default), and a real Redis (a BullMQ queue, the run on the replica's own worker).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';
import { spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { waitFor } from '../helpers/upstream-servers.js';
import { startTask } from '../helpers/tasks.js';
import { READ_ONLY_META_KEY } from '../../src/server/task-calls.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer | undefined;
after(() => redis?.stop());
const stores: Array<{ name: string; open: () => Promise<string> }> = [
  { name: 'in-memory store', open: async () => 'memory' },
  { name: 'Redis store', open: async () => (redis ??= await startRedis()).url },
];

for (const store of stores) {
  describe(`tasks over stdio (${store.name})`, () => {
    let api: ItemsApi;
    let session: Awaited<ReturnType<typeof connectStdio>>;
    before(async () => {
      api = await startItemsApi();
      session = await connectStdio(['serve', '--tasks', await store.open(), '--config', api.configPath], { ITEMS_KEY });
    });
    after(async () => {
      await session?.close();
      await api?.close();
    });

    test('the server declares tasks, and execute_tool and run_code accept them', async () => {
      assert.ok(session.client.getServerCapabilities()?.tasks?.requests?.tools?.call);
      const { tools } = await session.client.listTools();
      const support = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport]));
      assert.deepEqual(support, { search_tools: undefined, describe_tools: undefined, execute_tool: 'optional', run_code: 'optional' });
    });

    test('execute_tool as a task: a task id at once, then the result from tasks/result', async () => {
      const task = await startTask(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 7 } });
      assert.ok(task.taskId);
      const result = (await session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
      assert.match(textOf(result), /"label":"item 7"/);
      const got = await session.client.experimental.tasks.getTask(task.taskId);
      assert.equal(got.status, 'completed');
      const { tasks } = await session.client.experimental.tasks.listTasks();
      assert.ok(tasks.some((t) => t.taskId === task.taskId));
    });

    test('a call that fails makes a failed task whose result says why', async () => {
      const task = await startTask(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } });
      const result = (await session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /404/);
      assert.equal((await session.client.experimental.tasks.getTask(task.taskId)).status, 'failed');
    });

    test('run_code as a task, working while its call is held, then completed', async () => {
      const arrived = api.slowArrived();
      const task = await startTask(session.client, 'run_code', { code: 'const r = await items.get_slow(); return r;' });
      await arrived;
      assert.equal((await session.client.experimental.tasks.getTask(task.taskId)).status, 'working');
      api.release();
      const result = (await session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
      assert.ok(!result.isError, textOf(result));
      assert.match(textOf(result), /done/);
    });

    test('tasks/cancel stops the run: cancelled, and its held call is abandoned', async () => {
      const arrived = api.slowArrived();
      const task = await startTask(session.client, 'run_code', { code: 'await items.get_slow(); await items.get_item({ itemId: 99 }); return 1;' });
      await arrived;
      const cancelled = await session.client.experimental.tasks.cancelTask(task.taskId);
      assert.equal(cancelled.status, 'cancelled');
      api.release();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await session.client.experimental.tasks.getTask(task.taskId)).status, 'cancelled');
      assert.ok(!api.requests.some((r) => r.url === '/items/99'), 'the program went on after it was cancelled');
    });

    test('a program marked read-only may not call an operation that changes data', async () => {
      const task = await startTask(session.client, 'run_code', { code: 'await items.create_item({ body: { label: "x" } }); return 1;' }, { [READ_ONLY_META_KEY]: true });
      const result = (await session.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /marked read-only/);
      assert.ok(!api.requests.some((r) => r.method === 'POST'));
    });

    test('the read-only mark holds on direct calls too: a marked call that could change data is refused', async () => {
      const call = async (name: string, args: Record<string, unknown>) => (await session.client.callTool({ name, arguments: args, _meta: { [READ_ONLY_META_KEY]: true } })) as CallToolResult;
      const post = await call('execute_tool', { name: 'items.create_item', arguments: { body: { label: 'x' } } });
      assert.equal(post.isError, true);
      assert.match(textOf(post), /Error \(forbidden\): items\.create_item may change data, and this call was marked read-only/);
      const program = await call('run_code', { code: 'await items.create_item({ body: { label: "x" } }); return 1;' });
      assert.equal(program.isError, true);
      assert.match(textOf(program), /marked read-only/);
      assert.ok(!api.requests.some((r) => r.method === 'POST'));
      // Reads pass.
      assert.match(textOf(await call('execute_tool', { name: 'items.get_item', arguments: { itemId: 8 } })), /"label":"item 8"/);
    });

    test('search_tools cannot run as a task; bad arguments are refused before a task exists', async () => {
      await assert.rejects(startTask(session.client, 'search_tools', { query: 'x' }), /cannot run as a task/);
      await assert.rejects(startTask(session.client, 'execute_tool', { nope: 1 }), /execute_tool: arguments/);
    });

    test('without --tasks, tools/list is unchanged (no taskSupport) and tasks are still accepted', async () => {
      const plain = await connectStdio(['serve', '--config', api.configPath], { ITEMS_KEY });
      try {
        const { tools } = await plain.client.listTools();
        assert.ok(tools.every((t) => t.execution === undefined), JSON.stringify(tools.map((t) => t.execution)));
        const task = await startTask(plain.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 5 } });
        const result = (await plain.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema)) as CallToolResult;
        assert.match(textOf(result), /"label":"item 5"/);
      } finally {
        await plain.close();
      }
    });

    test('a client that does not ask for a task sees no change', async () => {
      const result = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 3 } });
      assert.match(textOf(result), /"label":"item 3"/);
    });
  });

  describe(`tasks over HTTP (${store.name}): only the session that created a task can see it`, () => {
    let api: ItemsApi;
    let serving: ServeProcess;
    before(async () => {
      api = await startItemsApi();
      serving = await spawnHttpServe(['--tasks', await store.open(), '--config', api.configPath], { env: { ITEMS_KEY } });
    });
    after(async () => {
      await serving?.stop();
      await api?.close();
    });

    test('another session gets "not found" for it and does not list it', async () => {
      const a = new SdkClient({ name: 'a', version: '1' });
      const b = new SdkClient({ name: 'b', version: '1' });
      await a.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
      await b.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
      try {
        const task = await startTask(a, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } });
        await waitFor(async () => (await a.experimental.tasks.getTask(task.taskId)).status === 'completed', 'task completed');
        await assert.rejects(b.experimental.tasks.getTask(task.taskId), /not found/i);
        await assert.rejects(b.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema), /not found/i);
        await assert.rejects(b.experimental.tasks.cancelTask(task.taskId), /not found/i);
        assert.ok(!(await b.experimental.tasks.listTasks()).tasks.some((t) => t.taskId === task.taskId));
        assert.ok((await a.experimental.tasks.listTasks()).tasks.some((t) => t.taskId === task.taskId));
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
