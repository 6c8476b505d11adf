// Answer first, load after, over real stdio with the SDK client: initialize and tools/list are answered
// while a catalog is still loading (its document is held back by a test server); a search sent then
// waits and gets its answer, with progress when it asked for it, or a `loading` result past the bound.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { serveHeldSpec, type HeldSpec } from '../helpers/held-spec.js';
import { BIN, call, connectStdio, textOf } from '../helpers/mcp-client.js';

describe('a search that arrives while the catalog loads', () => {
  let spec: HeldSpec;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    spec = await serveHeldSpec();
    // connectStdio resolves after initialize: the server answered it with the document still held back.
    session = await connectStdio(['serve', '--mode', 'dynamic', '--no-cache', '--openapi', `pets=${spec.url}`]);
  });
  after(async () => {
    await session.close();
    await spec.close();
  });

  test('tools/list is answered before the catalog is in', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['describe_tools', 'execute_tool', 'search_tools']);
    assert.doesNotMatch(session.stderr(), /"msg":"ready"/, 'the catalog was still held back');
  });

  test('waits for the catalog, reporting progress, then answers', async () => {
    const progress: Progress[] = [];
    let firstProgress!: () => void;
    const sawProgress = new Promise<void>((r) => (firstProgress = r));
    const pending = session.client.callTool({ name: 'search_tools', arguments: { query: 'find pets by status' } }, CallToolResultSchema, {
      onprogress: (p) => {
        progress.push(p);
        firstProgress();
      },
    });
    await sawProgress;
    assert.deepEqual(progress[0], { progress: 0, total: 2, message: 'loading catalogs: starting' });
    spec.release();
    const result = (await pending) as CallToolResult;
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /^1\. pets\.find_pets_by_status/);
    const values = progress.map((p) => p.progress);
    assert.deepEqual(values, [...values].sort((a, b) => a - b), 'progress only grows');
    assert.ok(progress.some((p) => /loaded pets: 20 operations/.test(p.message ?? '')), JSON.stringify(progress));
  });
});

describe('a call that waits too long', () => {
  let spec: HeldSpec;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    spec = await serveHeldSpec();
    session = await connectStdio(['serve', '--mode', 'dynamic', '--no-cache', '--ready-wait-ms', '200', '--openapi', `pets=${spec.url}`]);
  });
  after(async () => {
    await session.close();
    await spec.close();
  });

  test('gets a clear loading result, and the same call works once the catalog is in', async () => {
    const early = await call(session.client, 'describe_tools', { names: ['pets.get_pet_by_id'] });
    assert.equal(early.isError, true);
    assert.match(textOf(early), /^Error \(loading\): the catalogs are still loading \(0 of 2 steps done, last: starting; waited 0\.2 s\)\nNext: Nothing was run\. Call again in a few seconds\.$/);
    spec.release();
    // Retried as the result advises, until the catalog is in (bounded by the test timeout).
    let later = early;
    while (later.isError) later = await call(session.client, 'describe_tools', { names: ['pets.get_pet_by_id'] });
    assert.match(textOf(later), /"name":"pets\.get_pet_by_id"/);
  });

  test('arguments are still checked at once, loading or not', async () => {
    const result = await call(session.client, 'search_tools', { query: 'x', limit: 99 });
    assert.match(textOf(result), /Error \(invalid_arguments\)/);
  });
});

describe('a run_code that arrives while the catalog loads', () => {
  let spec: HeldSpec;
  let api: Server;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    spec = await serveHeldSpec();
    api = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1,"name":"rex","photoUrls":[]}'));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    session = await connectStdio(['serve', '--mode', 'code', '--no-typecheck', '--no-cache', '--openapi', `pets=${spec.url}`, '--server', `pets=${apiUrl}`]);
  });
  after(async () => {
    await session.close();
    await spec.close();
    api.close();
  });

  test('its progress keeps increasing: the loading steps, then each API call above them', async () => {
    const progress: Progress[] = [];
    let firstProgress!: () => void;
    const sawProgress = new Promise<void>((r) => (firstProgress = r));
    const code = 'for (const petId of [1, 2, 3]) await pets.get_pet_by_id({ petId });\nreturn "done";';
    const pending = session.client.callTool({ name: 'run_code', arguments: { code } }, CallToolResultSchema, {
      onprogress: (p) => {
        progress.push(p);
        firstProgress();
      },
    });
    await sawProgress;
    spec.release();
    const result = (await pending) as CallToolResult;
    assert.ok(!result.isError, textOf(result));
    const values = progress.map((p) => p.progress);
    assert.ok(values.every((v, i) => i === 0 || v > values[i - 1]!), `progress must increase: ${JSON.stringify(progress)}`);
    assert.match(progress[0]!.message ?? '', /^loading catalogs/);
    // The client may drop the last one (it reads progress a tick after a result in the same chunk).
    assert.ok(progress.some((p) => /pets\.get_pet_by_id ok/.test(p.message ?? '')), JSON.stringify(progress));
  });
});

test('a catalog that cannot load ends the session with the reason on stderr and exit code 1', async (t) => {
  const child = spawn(process.execPath, [BIN, 'serve', '--no-cache', '--openapi', 'missing=/no/such/openapi.json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /toolshed: no catalog could be loaded:\n\s+\/no\/such\/openapi\.json: /);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
});
