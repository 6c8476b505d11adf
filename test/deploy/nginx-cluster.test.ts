// scripts/cluster.sh for real: Redis, three stateless replicas sharing MCP Tasks, Debian's nginx in
// front with deploy/nginx/toolshed.conf. While an SDK client keeps calling through nginx, one replica is
// killed with SIGKILL (and restarted by the script), then another is drained with SIGTERM: no call
// fails (nginx resends reads and calls marked read-only). Tasks held open on those two end `failed`
// with a message (past the drain's deadline), the others complete; each is read through nginx from the
// live replicas.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult, type Task } from '@modelcontextprotocol/sdk/types.js';
import { READ_ONLY_META_KEY } from '../../src/server/task-calls.js';
import { clusterUnavailable, startCluster, type Cluster } from '../helpers/cluster.js';
import { startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { textOf } from '../helpers/mcp-client.js';
import { startTask } from '../helpers/tasks.js';
import { waitFor } from '../helpers/upstream-servers.js';

const TOKEN = 'cluster-test-token';
const HELD_TASKS = 4;
/** Held programs keep their isolates: more than HELD_TASKS per replica, so direct run_code calls still get one. */
const POOL_SIZE = 6;
/** How long a held call may wait (API request and program): longer than the test. */
const HELD_MS = 300_000;
/** BullMQ notices a dead worker's job after its lock (10 s) and a stalled check (5 s): bound, not timing. */
const SETTLE_MS = 120_000;
const READ_ONLY = { [READ_ONLY_META_KEY]: true };

/**
 * The items catalog, its API key read from TOOLSHED_REPLICA: the API sees which replica called it.
 * Held calls wait for the test, not for the default 30 s request timeout.
 */
function configNamingReplicas(api: ItemsApi): string {
  const config = JSON.parse(readFileSync(api.configPath, 'utf8'));
  config.catalogs.items.credentials.key.env = 'TOOLSHED_REPLICA';
  config.limits = { ...config.limits, timeoutMs: HELD_MS };
  const path = join(dirname(api.configPath), 'cluster.config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** One of each kind of stateless call a client makes; each may be resent by nginx. */
const CALLS: Array<(c: Client, i: number) => Promise<CallToolResult>> = [
  (c) => c.callTool({ name: 'search_tools', arguments: { query: 'fetch one item' } }) as Promise<CallToolResult>,
  (c) => c.callTool({ name: 'describe_tools', arguments: { names: ['items.get_item'] } }) as Promise<CallToolResult>,
  (c, i) => c.callTool({ name: 'execute_tool', arguments: { name: 'items.get_item', arguments: { itemId: i } }, _meta: READ_ONLY }) as Promise<CallToolResult>,
  (c, i) => c.callTool({ name: 'run_code', arguments: { code: `const item = (await items.get_item({ itemId: ${i} })) as { label: string }; return item.label;` }, _meta: READ_ONLY }) as Promise<CallToolResult>,
];

async function settled(client: Client, taskId: string): Promise<Task> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const task = await client.experimental.tasks.getTask(taskId);
    if (task.status !== 'working' || Date.now() > deadline) return task;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const unavailable = clusterUnavailable();

describe('three replicas behind nginx (scripts/cluster.sh)', { skip: unavailable }, () => {
  let api: ItemsApi;
  let cluster: Cluster;
  let client: Client;
  before(async () => {
    api = await startItemsApi();
    cluster = await startCluster({ serveArgs: ['--config', configNamingReplicas(api), '--shutdown-timeout-ms', '3000', '--run-timeout-ms', String(HELD_MS), '--run-pool-size', String(POOL_SIZE)], env: { TOOLSHED_AUTH_TOKEN: TOKEN } });
    client = new Client({ name: 'cluster-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(cluster.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
    await api?.close();
  });

  test('a replica killed, another drained: no call fails, every task ends, read from the others', async () => {
    // Tasks held open by the API, spread over the replicas' workers.
    const tasks = await Promise.all(Array.from({ length: HELD_TASKS }, () => startTask(client, 'run_code', { code: 'await items.get_slow(); return "finished";' })));
    const held = () => api.requests.filter((r) => r.url === '/slow');
    await waitFor(() => held().length >= HELD_TASKS, `${HELD_TASKS} tasks running (${held().length} so far; logs in ${cluster.dir})`, 180_000);
    assert.equal(held().length, HELD_TASKS);
    const heldBy = (replica: number) => held().filter((r) => Number(r.headers['x-api-key']) === replica).length;
    const victim = Number(held()[0]!.headers['x-api-key']);
    const drained = (victim % 3) + 1;
    // Both stop mid-run (the drain's 3 s pass first): their tasks may have taken effect, so they fail.
    const interrupted = heldBy(victim) + heldBy(drained);

    // Calls through nginx the whole time.
    const failures: string[] = [];
    let made = 0;
    let calling = true;
    const caller = async (lane: number) => {
      for (let i = lane; calling; i += 4) {
        made++;
        try {
          const result = await CALLS[i % CALLS.length]!(client, i);
          if (result.isError) failures.push(`call ${i}: ${textOf(result)}`);
        } catch (e) {
          failures.push(`call ${i}: ${(e as Error).message}`);
        }
      }
    };
    const lanes = Promise.all([0, 1, 2, 3].map(caller));
    const afterCalls = (n: number) => waitFor(() => made >= n, `${n} calls made`, 120_000);
    try {
      await afterCalls(40);
      let mark = cluster.log().length;
      process.kill(cluster.replicaPid(victim), 'SIGKILL');
      await cluster.waitForLog(new RegExp(`replica ${victim} \\(pid \\d+\\) exited with status 137: restarting it`), mark);
      await cluster.waitForLog(/routing to 3 of 3 replicas/, mark);
      await afterCalls(made + 40);

      mark = cluster.log().length;
      process.kill(cluster.replicaPid(drained), 'SIGTERM');
      await cluster.waitForLog(new RegExp(`replica ${drained} \\(pid \\d+\\) exited with status 0: restarting it`), mark);
      await cluster.waitForLog(/routing to 3 of 3 replicas/, mark);
      await afterCalls(made + 40);
    } finally {
      calling = false;
      await lanes;
      api.release(); // the held tasks on the live replicas complete
    }
    assert.deepEqual(failures, [], `${failures.length} of ${made} calls failed`);

    // The tasks the killed and the drained replica held fail with a message; the others complete.
    const final = await Promise.all(tasks.map((t) => settled(client, t.taskId)));
    assert.deepEqual(final.filter((t) => t.status === 'working'), [], 'no task stuck in working');
    const failed = final.filter((t) => t.status === 'failed');
    assert.equal(failed.length, interrupted, `the ${interrupted} task(s) replicas ${victim} and ${drained} ran fail, no other: ${JSON.stringify(final)}`);
    for (const t of failed) assert.match(t.statusMessage ?? '', /stopped mid-run/);
    for (const t of final.filter((t) => t.status === 'completed')) {
      const result = (await client.experimental.tasks.getTaskResult(t.taskId, CallToolResultSchema)) as CallToolResult;
      assert.match(textOf(result), /finished/);
    }
  });

  test('a call that may change data is not resent after its replica failed: a clear error instead', async () => {
    // Only the API's slow route holds the call: the replica running it dies under it.
    const slowCalls = () => api.requests.filter((r) => r.url === '/slow');
    const before = slowCalls().length;
    const arrived = api.slowArrived();
    const call = client.callTool({ name: 'run_code', arguments: { code: 'await items.get_slow(); return "done";' } }).then(
      () => 'answered',
      (e: Error & { code?: number }) => `${e.code}: ${e.message}`,
    );
    await Promise.race([arrived, waitFor(() => false, 'the held call to reach the API', 120_000)]);
    const runner = Number(slowCalls().at(-1)!.headers['x-api-key']);
    process.kill(cluster.replicaPid(runner), 'SIGKILL');
    const outcome = await call;
    assert.match(outcome, /^502: /);
    assert.match(outcome, /not sent again because it may have taken effect/);
    assert.equal(slowCalls().length, before + 1, 'run once, not resent');
  });
});
