// Bad and excess requests against the spawned `toolshed serve --http`: each is refused with the right
// status and the server keeps serving; the concurrency cap answers "busy" (SIGTERM: shutdown.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, textOf } from '../helpers/mcp-client.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, messageOf, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';

const TOKEN = 'test-token-7f3a9c';
const MAX_BODY = 2000;

describe('toolshed serve --http refuses bad requests and keeps serving', () => {
  let serve: ServeProcess;
  let client: Awaited<ReturnType<typeof connectHttp>>;
  const auth = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--max-body-bytes', String(MAX_BODY)], { env: { TOOLSHED_AUTH_TOKEN: TOKEN } });
    client = await connectHttp(serve.url, { token: TOKEN });
  });
  after(async () => {
    await client?.client.close();
    await serve?.stop();
  });

  /** After every refusal, the established session and a new one both still work. */
  async function stillServing(): Promise<void> {
    assert.ok(!(await call(client.client, 'search_tools', { query: 'find pet by id' })).isError);
    const init = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth }, body: JSON.stringify(INITIALIZE) });
    assert.equal(init.status, 200, init.text);
  }

  test('a foreign Origin is 403 (DNS rebinding), a loopback one is fine', async () => {
    const evil = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth, origin: 'http://evil.example.com' }, body: JSON.stringify(INITIALIZE) });
    assert.equal(evil.status, 403);
    assert.match(evil.json().error!.message, /Origin/);
    const rebound = await rawRequest(serve.url.replace('127.0.0.1', 'localhost'), { headers: { ...MCP_HEADERS, ...auth, host: 'evil.example.com' }, body: JSON.stringify(INITIALIZE) });
    assert.equal(rebound.status, 403, 'a foreign Host on a loopback-bound server');
    const local = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth, origin: 'http://localhost:6274' }, body: JSON.stringify(INITIALIZE) });
    assert.equal(local.status, 200);
    assert.equal(local.headers['access-control-allow-origin'], 'http://localhost:6274');
    await stillServing();
  });

  test('a missing or wrong token is 401', async () => {
    const missing = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
      const wrong = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, authorization }, body: JSON.stringify(INITIALIZE) });
      assert.equal(wrong.status, 401, authorization);
    }
    await assert.rejects(connectHttp(serve.url), /401|Unauthorized/);
    assert.equal((await rawRequest(`${serve.base}/healthz`, { method: 'GET' })).status, 200, 'probes need no token');
    await stillServing();
  });

  test('an oversized body is 413, declared or streamed', async () => {
    const big = JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(MAX_BODY) } });
    const declared = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth }, body: big });
    assert.equal(declared.status, 413);
    const streamed = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth }, body: big, chunked: true });
    assert.equal(streamed.status, 413);
    await stillServing();
  });

  test('malformed JSON is a JSON-RPC parse error (-32700), with or without a session', async () => {
    const fresh = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth }, body: '{"jsonrpc": "2.0", "id": 1, "method": "initialize"' });
    assert.equal(fresh.status, 400);
    assert.equal(fresh.json().error!.code, -32700);
    const inSession = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth, 'mcp-session-id': client.transport.sessionId!, 'mcp-protocol-version': '2025-06-18' }, body: '{not json' });
    assert.equal(inSession.status, 400);
    assert.equal(inSession.json().error!.code, -32700);
    await stillServing();
  });

  test('an unknown session is 404; a request with no session that is not initialize is 400', async () => {
    const unknown = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth, 'mcp-session-id': crypto.randomUUID() }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error!.code, -32001);
    const sessionless = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, ...auth }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    assert.equal(sessionless.status, 400);
    await stillServing();
  });
});

describe('toolshed serve --http: backpressure', () => {
  let api: ItemsApi;
  before(async () => {
    api = await startItemsApi();
  });
  after(() => api?.close());

  test('beyond the concurrency cap and its queue, execute_tool answers busy; then it recovers', async () => {
    const serve = await spawnHttpServe(['--config', api.configPath, '--max-concurrent-calls', '1', '--max-queue', '0'], { env: { ITEMS_KEY } });
    const { client } = await connectHttp(serve.url);
    try {
      const arrived = api.slowArrived();
      const slow = call(client, 'execute_tool', { name: 'items.get_slow', arguments: {} });
      await arrived;
      const turnedAway = await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } });
      assert.equal(turnedAway.isError, true);
      assert.match(textOf(turnedAway), /^Error \(busy\): .*1 running, 0 waiting/);
      assert.match(textOf(turnedAway), /Next: Retry after \d+ ms/);
      assert.ok(!(await call(client, 'search_tools', { query: 'item' })).isError, 'search is not gated');
      api.release();
      assert.match(textOf(await slow), /^HTTP 200/);
      assert.ok(!(await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } })).isError);
    } finally {
      await client.close();
      await serve.stop();
    }
  });
});

describe('toolshed serve --http with an explicit origin allow-list', () => {
  test('only the listed origins pass, loopback ones included', async () => {
    const serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--allowed-origins', 'https://app.example.com, https://other.example.com']);
    try {
      const post = (origin: string) => rawRequest(serve.url, { headers: { ...MCP_HEADERS, origin }, body: JSON.stringify(INITIALIZE) });
      assert.equal((await post('https://app.example.com')).status, 200);
      assert.equal((await post('https://other.example.com')).status, 200);
      assert.equal((await post('http://localhost:6274')).status, 403, 'the list replaces the loopback default');
      assert.equal((await post('https://app.example.com.evil.com')).status, 403);
      const init = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(messageOf(init).result?.protocolVersion, '2025-06-18', 'no Origin (a non-browser client) passes');
    } finally {
      await serve.stop();
    }
  });
});
