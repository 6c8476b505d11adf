// JSON-RPC and HTTP edges of /mcp answered as the negotiated protocol revision says (issue 19): batches
// refused from 2025-06-18 on (that revision removed them), `[]` an error in every revision, other HTTP
// methods 405 with Allow, and the README's idle rule (an open GET stream is not activity) the one applied.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { INITIALIZE, MCP_HEADERS, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';

const LIST = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

/** Opens a session at `revision` (initialize, then notifications/initialized); its headers for later requests. */
async function openSession(url: string, revision: string): Promise<Record<string, string>> {
  const init = await rawRequest(url, { headers: MCP_HEADERS, body: JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: revision } }) });
  assert.equal(init.status, 200, init.text);
  const headers = { ...MCP_HEADERS, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': revision };
  assert.equal((await rawRequest(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).status, 202);
  return headers;
}

/** The JSON-RPC messages of a response, JSON or SSE. */
function messagesOf(text: string): Array<{ id?: number; result?: unknown; error?: { code: number; message: string } }> {
  const events = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!));
  return events.length ? events : [JSON.parse(text)].flat();
}

describe('protocol edges (stateful)', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--session-idle-ms', '1500']);
  });
  after(() => serve?.stop());

  test('after negotiating 2025-06-18 a batch is refused with -32600; nothing in it runs', async () => {
    const headers = await openSession(serve.url, '2025-06-18');
    const batch = await rawRequest(serve.url, { headers, body: JSON.stringify([LIST(2), LIST(3)]) });
    assert.equal(batch.status, 400, batch.text);
    const [error] = messagesOf(batch.text);
    assert.equal(error!.error!.code, -32600);
    assert.match(error!.error!.message, /2025-06-18.*batch|batch.*2025-06-18/);
    const single = await rawRequest(serve.url, { headers, body: JSON.stringify(LIST(4)) });
    assert.equal(messagesOf(single.text)[0]!.id, 4, 'one message per POST still works');
  });

  test('the latest revision refuses batches too, even without the protocol header', async () => {
    const { 'mcp-protocol-version': _, ...headers } = await openSession(serve.url, '2025-11-25');
    const batch = await rawRequest(serve.url, { headers, body: JSON.stringify([LIST(2), LIST(3)]) });
    assert.equal(batch.status, 400, batch.text);
    assert.equal(messagesOf(batch.text)[0]!.error!.code, -32600);
  });

  test('a session that negotiated 2025-03-26 may still batch', async () => {
    const headers = await openSession(serve.url, '2025-03-26');
    const batch = await rawRequest(serve.url, { headers, body: JSON.stringify([LIST(2), LIST(3)]) });
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(messagesOf(batch.text).map((m) => m.id).sort(), [2, 3]);
  });

  test('a batched initialize asking for 2025-06-18 is refused', async () => {
    const res = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify([INITIALIZE]) });
    assert.equal(res.status, 400, res.text);
    assert.equal(messagesOf(res.text)[0]!.error!.code, -32600);
  });

  test('[] is an Invalid Request error in a session and without one, in any revision', async () => {
    for (const headers of [MCP_HEADERS, await openSession(serve.url, '2025-06-18'), await openSession(serve.url, '2025-03-26')]) {
      const res = await rawRequest(serve.url, { headers, body: '[]' });
      assert.equal(res.status, 400, res.text);
      assert.equal(messagesOf(res.text)[0]!.error!.code, -32600);
    }
  });

  test('methods other than GET, POST and DELETE are 405 with Allow, with or without a session', async () => {
    const headers = await openSession(serve.url, '2025-06-18');
    for (const [method, h] of [['PUT', MCP_HEADERS], ['PATCH', MCP_HEADERS], ['PUT', headers], ['HEAD', headers]] as const) {
      const res = await rawRequest(serve.url, { method, headers: h, ...(method === 'HEAD' ? {} : { body: JSON.stringify(LIST(9)) }) });
      assert.equal(res.status, 405, `${method}: ${res.text}`);
      assert.equal(res.headers.allow, 'GET, POST, DELETE');
    }
  });

  test('the README idle rule: a session whose only activity is an open GET stream is closed as idle', async () => {
    const headers = await openSession(serve.url, '2025-06-18');
    const id = headers['mcp-session-id']!;
    // The GET stream stays open until the server ends it; its end is what the client sees.
    const streamEnded = new Promise<number>((resolve, reject) => {
      const req = http.request(serve.url, { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } }, (res) => {
        assert.equal(res.statusCode, 200);
        res.resume();
        res.on('close', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end();
    });
    await serve.waitForLog(new RegExp(`"session":"${id.slice(0, 8)}","reason":"idle"`));
    assert.equal(await streamEnded, 200);
    const after = await rawRequest(serve.url, { headers, body: JSON.stringify(LIST(5)) });
    assert.equal(after.status, 404, 'the idle session is gone');
  });
});

describe('protocol edges (stateless)', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--stateless']);
  });
  after(() => serve?.stop());

  test('the Mcp-Protocol-Version header decides: 2025-06-18 refuses batches, no header (2025-03-26) allows them', async () => {
    const refused = await rawRequest(serve.url, { headers: { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify([LIST(1), LIST(2)]) });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.json().error!.code, -32600);
    const allowed = await rawRequest(serve.url, { headers: MCP_HEADERS, body: JSON.stringify([LIST(1), LIST(2)]) });
    assert.equal(allowed.status, 200, allowed.text);
    assert.deepEqual(messagesOf(allowed.text).map((m) => m.id).sort(), [1, 2]);
    const empty = await rawRequest(serve.url, { headers: MCP_HEADERS, body: '[]' });
    assert.equal(empty.status, 400);
    assert.equal(empty.json().error!.code, -32600);
  });

  test('PUT is 405 with Allow: POST', async () => {
    const res = await rawRequest(serve.url, { method: 'PUT', headers: MCP_HEADERS, body: JSON.stringify(LIST(1)) });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST');
  });
});
