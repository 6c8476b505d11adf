// run_code end to end: the SDK client over real stdio, a real isolate, real HTTP (a recording node:http
// server, and Prism serving the GitHub description).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';
import { GITHUB_SPEC, PRISM_START_TIMEOUT_MS, startGithubPrism, type PrismMock } from '../helpers/prism.js';

const SECRET = 'sk-live-code-mode-secret-42';

describe('modes decide which meta-tools are listed', () => {
  for (const [mode, expected, budget] of [
    ['dynamic', ['describe_tools', 'execute_tool', 'search_tools'], 1000],
    ['code', ['describe_tools', 'run_code', 'search_tools'], 1200],
    // The goal for the default mode: at most 900 (issue 14).
    ['both', ['describe_tools', 'execute_tool', 'run_code', 'search_tools'], 901],
  ] as const) {
    test(`--mode ${mode}`, async () => {
      const session = await connectStdio(['serve', '--mode', mode]);
      try {
        const { tools } = await session.client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), expected);
        const tokens = encode(JSON.stringify({ tools })).length;
        console.log(`tools/list in ${mode} mode: ${tokens} tokens (o200k)`);
        assert.ok(tokens < budget, `${tokens} tokens`);
      } finally {
        await session.close();
      }
    });
  }
});

describe('run_code against a recording HTTP API', () => {
  let api: http.Server;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  const requests: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];

  before(async () => {
    api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        const send = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname === '/notes' && req.method === 'GET') return send(200, [{ id: 1, title: 'first' }, { id: 2, title: 'second' }, { id: 3, title: 'third' }]);
        const note = /^\/notes\/(\d+)$/.exec(url.pathname);
        if (note && req.method === 'GET' && Number(note[1]) < 50) return send(200, { id: Number(note[1]), title: `note ${note[1]}`, words: 10 * Number(note[1]) });
        if (url.pathname === '/notes' && req.method === 'POST') return send(201, { id: 4, ...JSON.parse(body) });
        if (url.pathname === '/slow') return; // never answers: the run's wall-clock limit must end it
        return send(404, { message: 'no such note' });
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const spec = {
      openapi: '3.0.3',
      info: { title: 'Notes', version: '1' },
      servers: [{ url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: {
          NoteRef: { type: 'object', required: ['id', 'title'], properties: { id: { type: 'integer' }, title: { type: 'string' } } },
          Note: { type: 'object', required: ['id', 'title', 'words'], properties: { id: { type: 'integer' }, title: { type: 'string' }, words: { type: 'integer' } } },
        },
      },
      security: [{ bearer: [] }],
      paths: {
        '/notes': {
          get: { operationId: 'listNotes', summary: 'List notes', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/NoteRef' } } } } } } },
          post: { operationId: 'createNote', summary: 'Create a note', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } } } }, responses: { 201: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } },
        },
        '/notes/{id}': { get: { operationId: 'getNote', summary: 'Get a note', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } } },
        '/slow': { get: { operationId: 'slow', summary: 'Never answers', responses: { 200: { description: 'ok' } } } },
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'toolshed-code-'));
    writeFileSync(join(dir, 'notes.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'toolshed.config.json'), JSON.stringify({ catalogs: { notes: { openapi: 'notes.json', credentials: { bearer: { env: 'NOTES_TOKEN' } } } } }));
    session = await connectStdio(['serve', '--config', join(dir, 'toolshed.config.json'), '--run-timeout-ms', '3000'], { NOTES_TOKEN: SECRET });
    // Answer first: a search waits for the catalog, so each test (run alone too) starts with it loaded.
    await call(session.client, 'search_tools', { query: 'notes' });
  });
  after(async () => {
    await session.close();
    api.close();
  });

  test('a program chains calls; credentials are added on the host; only the return value comes back', async () => {
    requests.length = 0;
    const code = `
      const list = await notes.list_notes();
      const details = [];
      for (const n of list.slice(0, 2)) details.push(await notes.get_note({ id: n.id }));
      const created = await notes.create_note({ body: { title: 'sum' } });
      console.log('fetched', details.length);
      return { words: details.reduce((s, d) => s + d.words, 0), created: created.id };`;
    const result = await call(session.client, 'run_code', { code });
    assert.ok(!result.isError, textOf(result));
    const structured = result.structuredContent as { result: unknown; logs: string[]; calls: Array<{ tool: string; ok: boolean }> };
    assert.deepEqual(structured.result, { words: 30, created: 4 });
    assert.deepEqual(structured.logs, ['fetched 2']);
    assert.deepEqual(structured.calls.map((c) => [c.tool, c.ok]), [['notes.list_notes', true], ['notes.get_note', true], ['notes.get_note', true], ['notes.create_note', true]]);
    assert.deepEqual(requests.map((r) => `${r.method} ${r.url}`), ['GET /notes', 'GET /notes/1', 'GET /notes/2', 'POST /notes']);
    assert.ok(requests.every((r) => r.auth === `Bearer ${SECRET}`), 'every request carries the credential, added on the host');
    assert.deepEqual(JSON.parse(requests[3]!.body), { title: 'sum' });
  });

  test('the program cannot see credentials, env, process or host objects', async () => {
    const code = `
      const seen: string[] = [];
      const g = globalThis as any;
      for (const name of ['process', 'require', 'fetch', 'Buffer', 'module']) seen.push(name + ':' + typeof g[name]);
      try { seen.push('fn:' + typeof (Function('return this')() as any).process); } catch (e) { seen.push('fn threw'); }
      try { seen.push('ctor:' + typeof ((() => {}).constructor.constructor('return process')())); } catch (e) { seen.push('ctor threw'); }
      seen.push(JSON.stringify(Object.getOwnPropertyNames(g)));
      seen.push(String(notes.list_notes));
      return seen;`;
    const result = await call(session.client, 'run_code', { code });
    const text = JSON.stringify(result);
    assert.ok(!text.includes(SECRET), 'the secret never reaches the program or its output');
    assert.ok(!result.isError, textOf(result));
    const seen = (result.structuredContent as { result: string[] }).result;
    assert.deepEqual(seen.slice(0, 5), ['process:undefined', 'require:undefined', 'fetch:undefined', 'Buffer:undefined', 'module:undefined']);
    assert.equal(seen[5], 'fn:undefined');
    assert.ok(seen[6] === 'ctor:undefined' || seen[6] === 'ctor threw', seen[6]);
  });

  test('type errors come back with line:column before any call is made', async () => {
    requests.length = 0;
    const cases: Array<[string, RegExp]> = [
      ['const n = await notes.get_note({ id: "one" });\nreturn n;', /line 1, column \d+: .*string.*number/],
      ['await notes.list_notes();\nreturn await notes.get_notes({ id: 1 });', /line 2, column \d+: Property 'get_notes' does not exist/],
      ['const n = notes.get_note({ id: 1 });\n\nreturn n.title;', /line 3, column 10: Property 'title' does not exist on type 'Promise<Note>'/],
    ];
    for (const [code, message] of cases) {
      const result = await call(session.client, 'run_code', { code });
      assert.equal(result.isError, true, code);
      assert.match(textOf(result), /type_error/);
      assert.match(textOf(result), message);
    }
    assert.equal(requests.length, 0, 'nothing was called');
  });

  test('a thrown error names its line and the calls made so far', async () => {
    const result = await call(session.client, 'run_code', { code: 'await notes.list_notes();\nconst n = await notes.get_note({ id: 99 });\nreturn n;' });
    assert.equal(result.isError, true);
    const text = textOf(result);
    assert.match(text, /404/);
    assert.match(text, /line 2/);
    assert.match(text, /notes\.list_notes ok/);
    assert.match(text, /notes\.get_note failed/);
  });

  test('each API call is reported as progress when the client asks for it, before the result', async () => {
    // Read off the wire, in arrival order: the SDK client hands a notification to its progress callback a
    // microtask after it reads it, so one that shares a read with the result would be dropped there on a
    // loaded machine although the server sent it first. What the server owes is the order on the wire.
    const wire: string[] = [];
    const deliver = session.transport.onmessage!;
    session.transport.onmessage = (message) => {
      const m = message as { method?: string; params?: { progress?: number }; result?: unknown };
      if (m.method === 'notifications/progress') wire.push(`progress ${m.params?.progress}`);
      else if (m.result !== undefined) wire.push('result');
      deliver(message);
    };
    try {
      const result = await session.client.callTool(
        { name: 'run_code', arguments: { code: 'for (const id of [1, 2, 3]) await notes.get_note({ id });\nreturn "done";' } },
        undefined,
        { onprogress: () => undefined },
      );
      assert.ok(!result.isError);
      assert.deepEqual(wire, ['progress 1', 'progress 2', 'progress 3', 'result']);
    } finally {
      session.transport.onmessage = deliver;
    }
  });

  test('a program awaiting a call that never answers ends at the wall-clock limit; the server keeps serving', async () => {
    const result = await call(session.client, 'run_code', { code: 'await notes.slow();\nreturn 1;', timeout_ms: 1000 });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /timeout/);
    const next = await call(session.client, 'run_code', { code: 'return 6 * 7;' });
    assert.deepEqual(next.structuredContent, { result: 42, logs: [], calls: [] });
  });

  test('cancellation from the client stops the run', async () => {
    const controller = new AbortController();
    const pending = session.client.callTool({ name: 'run_code', arguments: { code: 'await notes.slow();\nreturn 1;' } }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(pending, /abort/i);
    const next = await call(session.client, 'run_code', { code: 'return "still serving";' });
    assert.equal((next.structuredContent as { result: string }).result, 'still serving');
  });

  test('describe_tools format typescript returns the declarations the tools need', async () => {
    const result = await call(session.client, 'describe_tools', { names: ['notes.get_note'], format: 'typescript' });
    const text = textOf(result);
    assert.match(text, /declare namespace notes/);
    assert.match(text, /function get_note\(input: \{ id: number \}\): Promise<Note>;/);
    assert.match(text, /interface Note \{/);
    assert.doesNotMatch(text, /NoteRef/, 'only the types the named tools reference');
  });
});

describe('run_code against Prism serving the GitHub description', { timeout: PRISM_START_TIMEOUT_MS + 60_000 }, () => {
  let prism: PrismMock;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    prism = await startGithubPrism();
    session = await connectStdio(['serve', '--openapi', `github=${GITHUB_SPEC}`, '--server', `github=${prism.origin}`]);
  });
  after(async () => {
    await session?.close();
    await prism?.stop();
  });

  test("list a repo's issues, take the first, fetch its comments, return a count", async () => {
    const code = `
      const issues = await github.issues_list_for_repo({ owner: 'octocat', repo: 'hello-world', state: 'open' });
      const first = issues[0];
      const issue = await github.issues_get({ owner: 'octocat', repo: 'hello-world', issue_number: first.number });
      const comments = await github.issues_list_comments({ owner: 'octocat', repo: 'hello-world', issue_number: first.number });
      return { issue: first.number, state: issue.state, comments: comments.length };`;
    const result = await call(session.client, 'run_code', { code });
    assert.ok(!result.isError, textOf(result));
    const { result: value, calls } = result.structuredContent as { result: { issue: number; state: string; comments: number }; calls: Array<{ tool: string; ok: boolean }> };
    assert.equal(typeof value.issue, 'number');
    assert.ok(value.comments >= 1, JSON.stringify(value));
    assert.deepEqual(calls.map((c) => c.tool), ['github.issues_list_for_repo', 'github.issues_get', 'github.issues_list_comments']);
    assert.ok(calls.every((c) => c.ok));
  });
});
