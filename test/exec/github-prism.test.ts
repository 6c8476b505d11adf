// The executor against Prism mocking the real GitHub REST description: Prism validates every request
// against the spec (a wrongly built query or path gets a 422/404), and answers with the spec's examples.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createHttpExecutor } from '../../src/exec/http-executor.js';

const SPEC = new URL('../../catalogs/github.json.br', import.meta.url);
const PRISM = new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url);
/** Prism needs ~20 s to read the 13 MB description on a busy 2-core machine; allow generous slack. */
const PRISM_START_TIMEOUT_MS = 150_000;
const TOKEN = 'ghp_test_secret_0123456789';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves once Prism logs that it listens; rejects on exit or after the timeout (with its last output). */
function waitForPrism(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start within ${PRISM_START_TIMEOUT_MS} ms:\n${log.slice(-2000)}`)), PRISM_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000);
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

async function stopPrism(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

describe('http executor against Prism serving the GitHub description', { timeout: PRISM_START_TIMEOUT_MS + 60_000 }, () => {
  let dir: string;
  let prism: ChildProcess | undefined;
  let origin: string;
  let tools: Map<string, ToolEntry>;
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  let prefer: string | undefined;
  const killOnExit = () => prism?.kill('SIGKILL');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'toolshed-prism-'));
    const file = join(dir, 'github.json');
    writeFileSync(file, brotliDecompressSync(readFileSync(SPEC)));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    prism = spawn(process.execPath, [PRISM.pathname, 'mock', file, '-p', String(port), '-h', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    process.once('exit', killOnExit); // belt and braces: never leave Prism behind
    const [catalog] = await Promise.all([loadOpenApiCatalog({ source: SPEC.pathname, namespace: 'github' }), waitForPrism(prism)]);
    tools = new Map(catalog.tools.map((t) => [t.name, t]));
  });

  after(async () => {
    await stopPrism(prism);
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  });

  const executor = (maxResponseTokens?: number) =>
    createHttpExecutor({
      catalog: () => ({
        server: origin,
        credentials: { token: { type: 'bearer', env: 'GITHUB_TOKEN' } },
        ...(maxResponseTokens ? { limits: { maxResponseTokens } } : {}),
      }),
      env: { GITHUB_TOKEN: TOKEN },
      // Records what went out; `prefer` asks Prism for a given status (a test-only header).
      fetch: (input, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        seen.push({ url: String(input), headers });
        return fetch(input, prefer ? { ...init, headers: { ...headers, prefer } } : init);
      },
    });
  const tool = (name: string) => {
    const t = tools.get(name);
    assert.ok(t, `${name} is in the catalog`);
    return t;
  };

  it('lists issues with query parameters Prism accepts, credentials added on the host', async () => {
    const r = await executor().execute(tool('issues_list_for_repo'), { owner: 'octocat', repo: 'hello-world', state: 'open', labels: 'bug,ui', sort: 'updated', per_page: 5, page: 2 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.value));
    const sent = new URL(seen.at(-1)!.url);
    assert.equal(sent.origin, origin);
    assert.equal(sent.pathname, '/repos/octocat/hello-world/issues');
    assert.deepEqual(Object.fromEntries(sent.searchParams), { state: 'open', labels: 'bug,ui', sort: 'updated', per_page: '5', page: '2' });
    assert.equal(seen.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    assert.ok(!r.text.includes(TOKEN));
  });

  it('creates an issue with a JSON body', async () => {
    const r = await executor().execute(tool('issues_create'), { owner: 'octocat', repo: 'hello-world', body: { title: 'Found a bug', body: 'It breaks.', labels: ['bug'] } });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.status, 201);
    const issue = r.value as { number: unknown; title: unknown };
    assert.equal(typeof issue.number, 'number');
    assert.equal(typeof issue.title, 'string');
    assert.equal(seen.at(-1)!.headers['content-type'], 'application/json');
  });

  it('refuses arguments that break the real schema before sending', async () => {
    const count = seen.length;
    const r = await executor().execute(tool('issues_create'), { owner: 'octocat', repo: 'hello-world', body: { body: 'no title' }, repository: 'x' });
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'invalid_arguments');
    assert.match(r.failure.message, /\/body: missing required property "title"/);
    assert.match(r.failure.message, /unknown property "repository" \(allowed: owner, repo, body\)/);
    assert.equal(seen.length, count);
  });

  it('maps an API 404 to http_error with a next step', async () => {
    prefer = 'code=404';
    try {
      const r = await executor().execute(tool('issues_get'), { owner: 'octocat', repo: 'hello-world', issue_number: 1 });
      assert.ok(!r.ok);
      assert.equal(r.status, 404);
      assert.equal(r.failure.code, 'http_error');
      assert.match(r.failure.message, /^HTTP 404 Not Found from GET \/repos\/octocat\/hello-world\/issues\/1/);
      assert.match(r.failure.next ?? '', /identifiers \(owner, repo, issue_number\)/);
    } finally {
      prefer = undefined;
    }
  });

  it('cuts a large list to valid JSON with a notice', async () => {
    const r = await executor(200).execute(tool('issues_list_for_repo'), { owner: 'octocat', repo: 'hello-world' });
    assert.ok(r.ok);
    assert.equal(r.truncated, true);
    const [body, notice] = r.text.split('\n\n[Cut');
    assert.doesNotThrow(() => JSON.parse(body!));
    assert.match(notice!, /To get less/);
  });
});
