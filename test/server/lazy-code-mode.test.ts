// Nothing heavy on the start-up path: `toolshed search` and `serve --mode dynamic` never load the
// TypeScript compiler or esbuild (over a second of imports), nor what only some options need (Redis
// tasks, metrics, OAuth), checked on the modules the real process loaded; and `serve` in the default mode loads them in the background once the catalogs are in (so the
// first run_code does not wait for them), the compiler in the type-check worker rather than on the main thread.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { BIN, call, connectStdio, textOf } from '../helpers/mcp-client.js';
import { waitFor } from '../helpers/upstream-servers.js';

const RECORDER = fileURLToPath(new URL('../fixtures/startup/record-modules.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'toolshed-modules-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

/** Node options that record the loaded modules into a fresh file, and a reader for it. */
function recorder(): { env: Record<string, string>; nodeArgs: string[]; modules: () => string[] } {
  const file = join(dir, `modules-${++runs}.txt`);
  return { env: { TOOLSHED_MODULE_LOG: file }, nodeArgs: ['--import', RECORDER], modules: () => readFileSync(file, 'utf8').split('\n') };
}

const heavy = (modules: string[]) => modules.filter((url) => /\/node_modules\/(typescript|esbuild|isolated-vm)\//.test(url));
/** What only some serving options need: --tasks redis:// (BullMQ, ioredis), --metrics (prom-client), OAuth (jose). */
const optional = (modules: string[]) => modules.filter((url) => /\/node_modules\/(bullmq|ioredis|prom-client|jose)\//.test(url));

test('toolshed search loads neither typescript nor esbuild nor the isolate addon', async (t) => {
  const rec = recorder();
  const child = spawn(process.execPath, [...rec.nodeArgs, BIN, 'search', 'create an issue', '--limit', '3'], { env: { ...process.env, ...rec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.match(stdout, /github\.issues_create/);
  const modules = rec.modules();
  assert.ok(modules.some((url) => url.includes('/node_modules/@orama/orama/')), 'the recorder saw the search modules');
  assert.deepEqual(heavy(modules), []);
  assert.deepEqual(optional(modules), []);
});

test('serve --mode dynamic answers searches without loading them', async (t) => {
  const rec = recorder();
  const session = await connectStdio(['serve', '--mode', 'dynamic'], rec.env, { nodeArgs: rec.nodeArgs });
  t.after(() => session.close());
  const result = await call(session.client, 'search_tools', { query: 'create an issue', limit: 2 });
  assert.match(textOf(result), /github\.issues_create/);
  await session.close();
  assert.deepEqual(heavy(rec.modules()), []);
  assert.deepEqual(optional(rec.modules()), []);
});

test('serve (both modes) loads the engine in the background once ready, and type-checks off the main thread', async (t) => {
  const rec = recorder();
  const session = await connectStdio(['serve', '--openapi', fileURLToPath(new URL('../../catalogs/petstore.json', import.meta.url))], rec.env, { nodeArgs: rec.nodeArgs });
  t.after(() => session.close());
  // No run_code yet: the warm-up alone loads esbuild, the isolates and the type-check thread.
  await waitFor(() => /"msg":"code mode warmed"/.test(session.stderr()), 'the Code Mode warm-up', 60_000);
  const result = await call(session.client, 'run_code', { code: 'return 1 + 1;' });
  assert.equal(textOf(result).split('\n')[0], '2');
  // The type-checker ran (in its worker thread): a program with a type error is refused as one.
  const mistyped = await call(session.client, 'run_code', { code: 'const n: number = "two"; return n;' });
  assert.equal(mistyped.isError, true);
  assert.match(textOf(mistyped), /type_error/);
  await session.close();
  const loaded = heavy(rec.modules()).join('\n');
  assert.match(loaded, /node_modules\/esbuild\//);
  assert.match(loaded, /node_modules\/isolated-vm\//);
  // The TypeScript compiler lives in the type-check worker only: the main thread never imports it.
  assert.doesNotMatch(loaded, /node_modules\/typescript\//);
});
