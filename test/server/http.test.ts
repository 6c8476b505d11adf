// The SDK's own Client over real Streamable HTTP against the spawned `toolshed serve --http`: the meta-tools
// end to end, sessions kept apart, idle expiry, stateless mode, health endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { call, textOf } from '../helpers/mcp-client.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, messageOf, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { serveHeldSpec } from '../helpers/held-spec.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('toolshed serve --http: the meta-tools over Streamable HTTP', () => {
  let api: ItemsApi;
  let serve: ServeProcess;
  before(async () => {
    api = await startItemsApi();
    serve = await spawnHttpServe(['--config', api.configPath], { env: { ITEMS_KEY } });
  });
  after(async () => {
    await serve?.stop();
    await api?.close();
  });

  test('binds 127.0.0.1 by default and prints the URL', () => {
    assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  test('initialize, list, search, describe, execute', async () => {
    const { client, transport } = await connectHttp(serve.url);
    try {
      assert.equal(client.getServerVersion()?.name, 'toolshed');
      assert.match(transport.sessionId ?? '', UUID, 'an unguessable session id');
      const { tools } = await client.listTools();
      for (const name of ['search_tools', 'describe_tools', 'execute_tool']) assert.ok(tools.some((t) => t.name === name), name);
      const found = await call(client, 'search_tools', { query: 'fetch one item', limit: 1 });
      assert.deepEqual((found.structuredContent as { results: Array<{ name: string }> }).results.map((r) => r.name), ['items.get_item']);
      const described = await call(client, 'describe_tools', { names: ['items.get_item'] });
      assert.ok(!described.isError, textOf(described));
      assert.deepEqual(JSON.parse(textOf(described)).tools[0].input.required, ['itemId']);
      const executed = await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 7 } });
      assert.ok(!executed.isError, textOf(executed));
      assert.match(textOf(executed), /^HTTP 200\n/);
      assert.equal(api.requests.at(-1)?.url, '/items/7');
      assert.equal(api.requests.at(-1)?.headers['x-api-key'], ITEMS_KEY);
    } finally {
      await client.close();
    }
    assert.ok(!serve.stderr().includes(ITEMS_KEY), 'no secret in the logs');
    assert.match(serve.stderr(), /"method":"POST","path":"\/mcp","status":200,"ms":\d+,"session":"[0-9a-f]{8}"/, 'HTTP request logs');
    assert.match(serve.stderr(), /"tool":"execute_tool","ms":\d+,"isError":false/, 'tool call logs');
  });

  test('two concurrent sessions get their own answers, and ending one leaves the other', async () => {
    const a = await connectHttp(serve.url);
    const b = await connectHttp(serve.url);
    try {
      assert.notEqual(a.transport.sessionId, b.transport.sessionId);
      // Both clients number their requests from the same start: shared state would cross the answers.
      const rounds = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          Promise.all([call(a.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 100 + i } }), call(b.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 200 + i } })]),
        ),
      );
      rounds.forEach(([ra, rb], i) => {
        assert.match(textOf(ra), new RegExp(`"id":${100 + i}\\b`));
        assert.match(textOf(rb), new RegExp(`"id":${200 + i}\\b`));
      });
      const endedId = a.transport.sessionId!;
      await a.transport.terminateSession();
      const reused = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, 'mcp-session-id': endedId, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }) });
      assert.equal(reused.status, 404, 'an ended session is gone');
      assert.ok(!(await call(b.client, 'search_tools', { query: 'item' })).isError, 'the other session carries on');
    } finally {
      await a.client.close();
      await b.client.close();
    }
  });

  test('/healthz, /readyz and unknown paths', async () => {
    const health = await rawRequest(`${serve.base}/healthz`, { method: 'GET' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await rawRequest(`${serve.base}/readyz`, { method: 'GET' });
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready', tools: 5 });
    assert.equal((await rawRequest(`${serve.base}/elsewhere`, { method: 'GET' })).status, 404);
  });
});

describe('toolshed serve --http: sessions expire when idle', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--session-idle-ms', '300']);
  });
  after(() => serve?.stop());

  test('an idle session is closed; its id then gets 404 and a new session works', async () => {
    const { client, transport } = await connectHttp(serve.url);
    client.onerror = () => undefined; // the GET stream's reconnect after expiry fails, as it should
    const id = transport.sessionId!;
    assert.ok(!(await call(client, 'search_tools', { query: 'find pet' })).isError);
    await serve.waitForLog(new RegExp(`"session":"${id.slice(0, 8)}","reason":"idle"`));
    await assert.rejects(call(client, 'search_tools', { query: 'find pet' }), (e: unknown) => e instanceof StreamableHTTPError && e.code === 404);
    await client.close();
    const fresh = await connectHttp(serve.url);
    assert.ok(!(await call(fresh.client, 'search_tools', { query: 'find pet' })).isError);
    await fresh.client.close();
  });
});

describe('toolshed serve --http --stateless', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--stateless']);
  });
  after(() => serve?.stop());

  test('a fresh client per request works, with no session id and JSON responses', async () => {
    for (const query of ['find pets by status', 'place an order', 'delete a pet']) {
      const { client, transport } = await connectHttp(serve.url);
      assert.equal(transport.sessionId, undefined);
      const result = await call(client, 'search_tools', { query, limit: 1 });
      assert.ok(!result.isError, textOf(result));
      await client.close();
    }
    const raw = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
    assert.equal(raw.status, 200);
    assert.match(String(raw.headers['content-type']), /^application\/json/);
    assert.equal(raw.headers['mcp-session-id'], undefined);
    assert.equal(messageOf(raw).result?.protocolVersion, '2025-06-18');
    const list = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    assert.ok((messageOf(list).result?.tools as Array<{ name: string }>).some((t) => t.name === 'search_tools'), 'no initialize needed on this request');
  });

  test('GET and DELETE are 405: there is no stream or session to open or end', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await rawRequest(serve.url, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'POST');
    }
  });
});

describe('toolshed serve --http while catalogs load', () => {
  test('/healthz is up at once, /mcp answers at once (answer first), /readyz says 503 until the catalogs are in', async () => {
    const spec = await serveHeldSpec();
    const serve = await spawnHttpServe(['--openapi', `petstore=${spec.url}`], { waitReady: false });
    try {
      assert.equal((await rawRequest(`${serve.base}/healthz`, { method: 'GET' })).status, 200);
      const loading = await rawRequest(`${serve.base}/readyz`, { method: 'GET' });
      assert.equal(loading.status, 503);
      assert.deepEqual(loading.json(), { status: 'loading' });
      const mcp = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(mcp.status, 200, 'initialize is answered while the catalog is held back');
      assert.equal((await rawRequest(`${serve.base}/readyz`, { method: 'GET' })).status, 503, 'still loading');
      spec.release();
      await serve.waitForLog(/"msg":"ready"/);
      assert.equal((await rawRequest(`${serve.base}/readyz`, { method: 'GET' })).status, 200);
    } finally {
      await serve.stop();
      await spec.close();
    }
  });
});
