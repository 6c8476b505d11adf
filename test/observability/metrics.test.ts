// Prometheus metrics end to end: the real `toolshed serve --http --metrics` with a real API behind it,
// the SDK client making calls, and /metrics scraped before and after to see each family move. Also:
// the same credentials as /mcp, --metrics-port's own listener, and no user input in any label.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { connectHttp, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { BIN, call, connectStdio, textOf } from '../helpers/mcp-client.js';
import { freePort, waitFor } from '../helpers/upstream-servers.js';

const TOKEN = 'metrics-test-token-0123456789';
let items: ItemsApi;
let serve: ServeProcess;

before(async () => {
  items = await startItemsApi();
  serve = await spawnHttpServe(['--config', items.configPath, '--metrics', '--run-pool-size', '1'], { env: { ITEMS_KEY, TOOLSHED_AUTH_TOKEN: TOKEN } });
});

after(async () => {
  await serve?.stop();
  await items?.close();
});

async function scrape(base: string, token?: string): Promise<string> {
  const res = await rawRequest(`${base}/metrics`, { method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
  assert.equal(res.status, 200, res.text);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** The value of one series (labels matched exactly, in any order), or 0 when it does not exist yet. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ? m[2].match(/\w+="(?:[^"\\]|\\.)*"/g)! : []).sort();
    if (have.length === wanted.length && have.every((l, i) => l === wanted[i])) return Number(m[3]);
  }
  return 0;
}

test('/metrics needs the same token as /mcp', async () => {
  const res = await rawRequest(`${serve.base}/metrics`, { method: 'GET' });
  assert.equal(res.status, 401);
});

test('calls move the counters, histograms and gauges; no label carries what the user sent', async () => {
  const base = serve.base;
  const start = await scrape(base, TOKEN);
  assert.equal(value(start, 'toolshed_index_tools', { namespace: 'items' }), 5);
  assert.ok(value(start, 'toolshed_catalog_load_seconds') > 0);
  assert.ok(value(start, 'process_cpu_user_seconds_total') > 0, 'process metrics');
  assert.equal(value(start, 'toolshed_sessions_open'), 0);

  const { client } = await connectHttp(serve.url, { token: TOKEN });
  try {
    const host = new URL(items.base).host;
    assert.match(textOf(await call(client, 'search_tools', { query: 'zebra-marker fetch one item' })), /items\.get_item/);
    assert.equal((await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 424242 } })).isError, undefined);
    assert.equal((await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } })).isError, true);
    assert.equal((await call(client, 'execute_tool', { name: 'no_such_tool_marker', arguments: {} })).isError, true);
    const run = await call(client, 'run_code', { code: 'const a = await items.get_item({ itemId: 1 }); const b = await items.get_item({ itemId: 2 }); return [a, b].length;' });
    assert.equal(run.isError, undefined, textOf(run));

    const now = await scrape(base, TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) => value(now, name, labels) - value(start, name, labels);
    assert.equal(moved('toolshed_meta_tool_calls_total', { tool: 'search_tools' }), 1);
    assert.equal(moved('toolshed_meta_tool_calls_total', { tool: 'execute_tool' }), 3);
    assert.equal(moved('toolshed_meta_tool_errors_total', { tool: 'execute_tool', code: 'http_error' }), 1);
    assert.equal(moved('toolshed_meta_tool_errors_total', { tool: 'execute_tool', code: 'unknown_tool' }), 1);
    assert.equal(moved('toolshed_meta_tool_duration_seconds_count', { tool: 'execute_tool' }), 3);
    assert.ok(moved('toolshed_result_tokens_total', { tool: 'search_tools' }) > 10, 'tokens returned are counted');
    assert.equal(moved('toolshed_tool_calls_total', { namespace: 'items', tool: 'items.get_item' }), 4, 'two execute_tool calls and two inside run_code');
    assert.equal(moved('toolshed_tool_errors_total', { namespace: 'items', tool: 'items.get_item', code: 'http_error' }), 1);
    assert.equal(moved('toolshed_tool_duration_seconds_count', { namespace: 'items', tool: 'items.get_item' }), 4);
    assert.equal(moved('toolshed_outbound_requests_total', { host, status: '200' }), 3);
    assert.equal(moved('toolshed_outbound_requests_total', { host, status: '404' }), 1);
    assert.equal(moved('toolshed_outbound_request_duration_seconds_count', { host }), 4);
    assert.equal(moved('toolshed_code_runs_total', { outcome: 'ok' }), 1);
    assert.equal(value(now, 'toolshed_sessions_open'), 1, 'the open session is counted');
    assert.equal(value(now, 'toolshed_isolates', { state: 'busy' }) + value(now, 'toolshed_isolates', { state: 'idle' }), 1, 'the pool of one isolate is reported');
    assert.equal(value(now, 'toolshed_calls_in_flight'), 0);
    assert.equal(value(now, 'toolshed_calls_queued'), 0);
    for (const userInput of ['zebra', '424242', 'no_such_tool_marker', 'const a']) assert.ok(!now.includes(userInput), `"${userInput}" appears in no label`);
  } finally {
    await client.close();
  }
});

test('--metrics-port serves /metrics on its own loopback listener, without credentials; /mcp keeps its token', async () => {
  const port = await freePort();
  const own = await spawnHttpServe(['--config', items.configPath, '--metrics-port', String(port)], { env: { ITEMS_KEY, TOOLSHED_AUTH_TOKEN: TOKEN } });
  try {
    const text = await scrape(`http://127.0.0.1:${port}`);
    assert.equal(value(text, 'toolshed_index_tools', { namespace: 'items' }), 5);
    assert.equal((await rawRequest(`${own.base}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } })).status, 404, 'not on the MCP port');
  } finally {
    await own.stop();
  }
});

test('metrics are off by default', async () => {
  const plain = await spawnHttpServe(['--config', items.configPath], { env: { ITEMS_KEY } });
  try {
    assert.equal((await rawRequest(`${plain.base}/metrics`, { method: 'GET' })).status, 404);
  } finally {
    await plain.stop();
  }
});

test('over stdio, --metrics-port serves the same metrics; --metrics alone is refused with what to do', async () => {
  const stdio = await connectStdio(['serve', '--config', items.configPath, '--mode', 'dynamic', '--metrics-port', '0'], { ITEMS_KEY });
  try {
    const url = await waitFor(() => /toolshed metrics at (http:\/\/\S+)/.exec(stdio.stderr())?.[1], 'the metrics URL on stderr');
    await call(stdio.client, 'search_tools', { query: 'list items' });
    const text = (await rawRequest(url, { method: 'GET' })).text;
    assert.equal(value(text, 'toolshed_meta_tool_calls_total', { tool: 'search_tools' }), 1);
  } finally {
    await stdio.close();
  }
  const refused = spawnSync(process.execPath, [BIN, 'serve', '--metrics'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /--metrics serves \/metrics on the HTTP port: add --http, or give it a port of its own with --metrics-port N/);
});
