// SIGTERM on `toolshed serve --http` (issue 19): the listener stays open while draining, so /readyz
// answers 503 "draining" and new sessions are refused; a request that outlives --shutdown-timeout-ms gets
// a JSON-RPC error (-32000) instead of a dropped connection; upstreams are closed (killed if they must)
// within the same deadline; the process exits by the deadline plus 500 ms.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, rawRequest, spawnHttpServe } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { call, textOf } from '../helpers/mcp-client.js';
import { PAGED_SERVER } from '../helpers/upstream-servers.js';

/** The longest a test waits for anything: a bound for a loaded machine, not a timing assertion. */
const BOUND_MS = 30_000;

describe('toolshed serve --http: SIGTERM', () => {
  let api: ItemsApi;
  before(async () => {
    api = await startItemsApi();
  });
  after(() => api?.close());

  test('while draining, /readyz is 503 "draining", /healthz 200, new sessions 503; the in-flight call finishes; exit 0', async () => {
    const serve = await spawnHttpServe(['--config', api.configPath], { env: { ITEMS_KEY } });
    const { client } = await connectHttp(serve.url);
    client.onerror = () => undefined; // the GET stream ends with the server
    try {
      const arrived = api.slowArrived();
      const slow = call(client, 'execute_tool', { name: 'items.get_slow', arguments: {} });
      await arrived;
      serve.child.kill('SIGTERM');
      await serve.waitForLog(/"msg":"draining"/);
      const ready = await rawRequest(`${serve.base}/readyz`, { method: 'GET' });
      assert.equal(ready.status, 503);
      assert.deepEqual(JSON.parse(ready.text), { status: 'draining' });
      assert.equal((await rawRequest(`${serve.base}/healthz`, { method: 'GET' })).status, 200, 'still alive');
      const fresh = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(fresh.status, 503, 'no new sessions while draining');
      assert.equal(fresh.headers['retry-after'], '1');
      api.release();
      const result = await slow;
      assert.ok(!result.isError, textOf(result));
      assert.match(textOf(result), /"report":"done"/);
      assert.equal(await serve.exited, 0);
      assert.match(serve.stderr(), /"drained":true/);
    } finally {
      await client.close().catch(() => undefined);
      await serve.stop();
    }
  });

  test('a call that outlives the deadline gets -32000 shutting down; a wedged upstream is killed; exit by deadline + 500 ms', async () => {
    const DEADLINE_MS = 1000;
    // The items API plus an upstream MCP server that ignores its stdin closing and SIGTERM.
    const config = JSON.parse(readFileSync(api.configPath, 'utf8'));
    config.mcpServers = { wedged: { command: process.execPath, args: [PAGED_SERVER], env: { PAGED_SERVER_STUBBORN: '1' } } };
    const configPath = api.configPath.replace(/\.json$/, '-wedged.json');
    writeFileSync(configPath, JSON.stringify(config));
    const serve = await spawnHttpServe(['--config', configPath, '--shutdown-timeout-ms', String(DEADLINE_MS)], { env: { ITEMS_KEY } });
    const { client } = await connectHttp(serve.url);
    client.onerror = () => undefined;
    try {
      await serve.waitForLog(/"upstream":"wedged"[^\n]*"msg":"upstream connected"/);
      const wedgedPid = Number(textOf(await call(client, 'execute_tool', { name: 'wedged.whoami', arguments: {} })));
      assert.ok(wedgedPid > 0, 'the wedged upstream says its pid');
      const arrived = api.slowArrived();
      // Never released: it can only end by the shutdown. The client's own timeout is far beyond the test's bound.
      const slow = call(client, 'execute_tool', { name: 'items.get_slow', arguments: {} }).then(
        (r) => ({ ok: true as const, text: textOf(r) }),
        (e: unknown) => ({ ok: false as const, error: e }),
      );
      await arrived;
      const sent = performance.now();
      serve.child.kill('SIGTERM');
      const outcome = await slow;
      assert.equal(outcome.ok, false, 'the cut call ends with an error');
      const error = (outcome as { error: unknown }).error;
      assert.ok(error instanceof McpError, String(error));
      assert.equal(error.code, -32000);
      assert.match(error.message, /shutting down/i);
      assert.equal(await serve.exited, 0);
      const observed = performance.now() - sent;
      // Ended in order (every step logged) or, when a loaded machine slows the last steps (killing the
      // wedged upstream), by the watchdog that exits at the deadline plus the grace: both are on time.
      const stopped = /"ms":(\d+)[^\n]*"msg":"stopped"/.exec(serve.stderr());
      const overran = /"msg":"shutdown overran its deadline: exiting now"/.test(serve.stderr());
      assert.ok(stopped || overran, serve.stderr().slice(-2000));
      if (stopped) assert.ok(Number(stopped[1]) <= DEADLINE_MS + 500, `stopped ${stopped[1]} ms after SIGTERM (its own clock)`);
      assert.ok(observed < DEADLINE_MS + BOUND_MS / 3, `exit seen ${Math.round(observed)} ms after SIGTERM`);
      assert.match(serve.stderr(), /"drained":false,"cut":1/);
      // Whichever way it ended, the wedged upstream did not outlive it (an orphan would run on).
      const gone = async () => {
        for (let i = 0; i < 40; i++) {
          try {
            process.kill(wedgedPid, 0);
          } catch {
            return true;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        return false;
      };
      assert.ok(await gone(), `the wedged upstream (pid ${wedgedPid}) is still running`);
    } finally {
      await client.close().catch(() => undefined);
      await serve.stop();
      api.release();
    }
  });
});
