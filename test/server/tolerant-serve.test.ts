// The real `toolshed serve` with one good and one unloadable source: the good one is served, the failure is
// reported on stderr, in /readyz and in describe_tools' notes; --strict refuses to start instead.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { BIN } from '../helpers/mcp-client.js';
import { connectHttp, rawRequest, spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';

const GOOD = 'test/fixtures/openapi/tolerant/broken-parts.yaml';
const MISSING = 'test/fixtures/openapi/tolerant/no-such-document.yaml';

let serve: ServeProcess;
before(async () => {
  serve = await spawnHttpServe(['--openapi', GOOD, '--openapi', MISSING, '--embeddings', 'none']);
});
after(() => serve?.stop());

test('the loadable source is served; the failure is on stderr and in /readyz', async () => {
  assert.match(serve.stderr(), /catalog not loaded: .*no-such-document\.yaml: cannot read the file/);
  const ready = await rawRequest(`${serve.base}/readyz`, { method: 'GET' });
  assert.equal(ready.status, 200);
  const body = ready.json() as { status: string; tools: number; notes: Array<{ state: string; source: string; message: string }> };
  assert.equal(body.status, 'ready');
  assert.equal(body.tools, 6);
  assert.deepEqual(body.notes.map((n) => n.state), ['partial', 'failed'], 'in the order the sources were given');
  assert.match(body.notes[1]!.source, /no-such-document\.yaml$/);
  assert.match(body.notes[0]!.message, /toolshed check/);
});

test("describe_tools carries the catalog notes beside the tools", async () => {
  const { client } = await connectHttp(serve.url);
  try {
    const result = await client.callTool({ name: 'describe_tools', arguments: { names: ['shop_orders.create_order'] } });
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    const parsed = JSON.parse(text) as { tools: Array<{ name: string }>; notes: string[] };
    assert.equal(parsed.tools[0]!.name, 'shop_orders.create_order');
    assert.equal(parsed.notes.length, 2);
    assert.match(parsed.notes[0]!, /shop_orders: 6 operations \(3 with open schemas, 1 skipped/);
    assert.match(parsed.notes[1]!, /no-such-document\.yaml/);
  } finally {
    await client.close();
  }
});

/** Runs `toolshed serve ARGS` that is expected to exit by itself (killed after a bound if it does not). */
async function serveToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--embeddings', 'none'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  return { code, stderr };
}

test('--strict refuses to start on the same problems, with exit code 1 and the reasons', async () => {
  const { code, stderr } = await serveToExit(['--strict', '--openapi', GOOD, '--openapi', MISSING]);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /--strict: 2 catalog problem\(s\)/);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
});

test('serve exits (code 1) only when no source loads at all', async () => {
  const { code, stderr } = await serveToExit(['--openapi', MISSING]);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /no catalog could be loaded/);
});
