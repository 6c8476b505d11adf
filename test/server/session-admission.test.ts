// --max-sessions holds however requests interleave: a slot is reserved when a request that may open a
// session arrives (before its body is read) and given back if none opens (issue 19: with a cap of 5, 200
// slowly sent initialize requests opened 200 sessions).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { INITIALIZE, MCP_HEADERS, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';

const CAP = 5;

interface Pending {
  /** Resolves once the server has taken the headers (its `100 Continue`) or answered outright. */
  heard: Promise<void>;
  /** Sends the rest of the body; resolves with the status. */
  finish(): Promise<number>;
  destroy(): void;
}

/**
 * An initialize whose body is held back: `Expect: 100-continue` makes the server run its request handler
 * (and answer 100) before the body exists, so every pending request is known to the server before any
 * body arrives: the slowest interleaving, without timing.
 */
function pendingInitialize(url: string, body = JSON.stringify(INITIALIZE)): Pending {
  const req = http.request(url, { method: 'POST', headers: { ...MCP_HEADERS, expect: '100-continue', 'content-length': String(Buffer.byteLength(body)) } });
  // 0 when the connection failed (or was destroyed on purpose) before an answer.
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', () => resolve(0));
  });
  const heard = new Promise<void>((resolve) => {
    req.on('continue', () => resolve());
    req.on('response', () => resolve());
    req.once('error', () => resolve());
  });
  req.flushHeaders();
  return {
    heard,
    finish() {
      if (!req.writableEnded) req.end(body);
      return status;
    },
    destroy: () => req.destroy(),
  };
}

describe('session admission is atomic', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--max-sessions', String(CAP)]);
  });
  after(() => serve?.stop());

  /** The most sessions the server ever reported open (each "session opened" log line carries the count). */
  const mostOpen = () => Math.max(0, ...[...serve.stderr().matchAll(/"sessions":(\d+),"msg":"session opened"/g)].map((m) => Number(m[1])));

  test(`40 initialize requests whose bodies arrive after all their headers open at most ${CAP} sessions`, async () => {
    const pending = Array.from({ length: 40 }, () => pendingInitialize(serve.url));
    await Promise.all(pending.map((p) => p.heard));
    const statuses = await Promise.all(pending.map((p) => p.finish()));
    const opened = statuses.filter((s) => s === 200).length;
    assert.equal(opened, CAP, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 503).length, 40 - CAP);
    await serve.waitForLog(new RegExp(`"sessions":${CAP},"msg":"session opened"`));
    assert.equal(mostOpen(), CAP);
  });

  test('a slot comes back when the session ends, when the request is not an initialize, and when the client goes away', async () => {
    const fresh = await spawnHttpServe(['--openapi', 'catalogs/petstore.json', '--max-sessions', '1']);
    try {
      // Not an initialize: the SDK answers 400 and the slot is free again.
      const notInit = await rawRequest(fresh.url, { headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      assert.equal(notInit.status, 400);
      // A client that sends headers and then disconnects gives its slot back.
      const gone = pendingInitialize(fresh.url);
      await gone.heard;
      const meanwhile = await rawRequest(fresh.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(meanwhile.status, 503, 'the one slot is held by the pending request');
      assert.equal(meanwhile.headers['retry-after'], '1');
      gone.destroy();
      await fresh.waitForLog(/"aborted":true/);
      const init = await rawRequest(fresh.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(init.status, 200, init.text);
      const id = String(init.headers['mcp-session-id']);
      assert.equal((await rawRequest(fresh.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) })).status, 503, 'full while the session is open');
      const ended = await rawRequest(fresh.url, { method: 'DELETE', headers: { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' } });
      assert.equal(ended.status, 200);
      assert.equal((await rawRequest(fresh.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) })).status, 200, 'the slot came back');
    } finally {
      await fresh.stop();
    }
  });
});
