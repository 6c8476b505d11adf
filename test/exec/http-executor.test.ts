// The executor end to end against real local servers: status mapping, timeout, cancellation,
// redirects (same origin followed, other hosts refused), server resolution and response cutting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { CHARS_PER_TOKEN } from '../../src/exec/cut-response.js';
import { createHttpExecutor, type HttpCatalogSettings } from '../../src/exec/http-executor.js';
import { httpTool, json, param, startRecordingServer, type RecordingServer } from './recording-server.js';

describe('http executor', () => {
  let api: RecordingServer;
  let elsewhere: RecordingServer;
  before(async () => {
    api = await startRecordingServer();
    elsewhere = await startRecordingServer();
    api.handle('/repos/*', (req, res) =>
      req.url.includes('nope')
        ? json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
        : json(res, 200, { full_name: 'octo/hello' }),
    );
    api.handle('/issues', (_req, res) =>
      json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] }),
    );
    api.handle('/busy', (_req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '30' }));
    api.handle('/html', (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><head><style>p{}</style></head><body><h1>Service Unavailable</h1><p>Back soon.</p></body></html>');
    });
    api.handle('/hang', () => {}); // never answers
    api.handle('/away', (_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/steal` });
      res.end();
    });
    api.handle('/moved', (_req, res) => {
      res.writeHead(307, { location: '/final?x=1' });
      res.end();
    });
    api.handle('/see-other', (_req, res) => {
      res.writeHead(303, { location: '/final' });
      res.end();
    });
    api.handle('/final', (req, res) => json(res, 200, { method: req.method }));
    api.handle('/loop', (_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    api.handle('/empty', (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    api.handle('/text', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('plain words');
    });
    api.handle('/big', (_req, res) =>
      json(res, 200, { total_count: 500, items: Array.from({ length: 500 }, (_, i) => ({ id: i, title: `Issue number ${i}`, body: 'x'.repeat(300) })) }),
    );
  });
  after(async () => {
    await api.close();
    await elsewhere.close();
  });

  const exec = (settings: HttpCatalogSettings = {}, env: NodeJS.ProcessEnv = {}) => createHttpExecutor({ catalog: () => settings, env });
  const get = (path: string, extra: Partial<Parameters<typeof httpTool>[1]> = {}): ToolEntry =>
    httpTool('t.op', { method: 'GET', path, servers: [{ url: api.origin }], parameters: [], ...extra });

  it('returns status and parsed JSON on success', async () => {
    const r = await exec().execute(get('/repos/{owner}/{repo}', { parameters: [param('owner', 'path', { type: 'string' }), param('repo', 'path', { type: 'string' })] }), { owner: 'octo', repo: 'hello' });
    assert.ok(r.ok);
    assert.equal(r.status, 200);
    assert.deepEqual(r.value, { full_name: 'octo/hello' });
    assert.equal(r.text, '{"full_name":"octo/hello"}');
    assert.equal(r.truncated, false);
  });

  it('maps 404 with the API message and a next step naming the identifiers', async () => {
    const tool = get('/repos/{owner}/{repo}', { parameters: [param('owner', 'path', { type: 'string' }), param('repo', 'path', { type: 'string' })] });
    const r = await exec().execute(tool, { owner: 'octo', repo: 'nope' });
    assert.ok(!r.ok);
    assert.equal(r.status, 404);
    assert.equal(r.failure.code, 'http_error');
    assert.equal(r.failure.message, 'HTTP 404 Not Found from GET /repos/octo/nope: Not Found');
    assert.match(r.failure.next ?? '', /Check the identifiers \(owner, repo\)/);
    assert.deepEqual(r.value, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });

  it('maps 422 with the validation errors, 429 with retry-after and an HTML 503 with its words', async () => {
    const tool = httpTool('t.create', { method: 'POST', path: '/issues', servers: [{ url: api.origin }], parameters: [], body: { property: 'body', contentType: 'application/json', required: true } });
    const r422 = await exec().execute(tool, { body: {} });
    assert.ok(!r422.ok);
    assert.match(r422.failure.message, /^HTTP 422 Unprocessable Entity from POST \/issues: Validation Failed — errors: \[\{"resource":"Issue","code":"missing_field","field":"title"\}\]$/);
    assert.match(r422.failure.next ?? '', /describe_tools with "t\.create"/);

    const r429 = await exec().execute(get('/busy'), {});
    assert.ok(!r429.ok);
    assert.match(r429.failure.message, /HTTP 429 .*slow down/);
    assert.match(r429.failure.next ?? '', /retry later \(the API asks to wait 30 s\)/);

    const r503 = await exec().execute(get('/html'), {});
    assert.ok(!r503.ok);
    assert.equal(r503.failure.message, 'HTTP 503 Service Unavailable from GET /html: Service Unavailable Back soon.');
    assert.match(r503.failure.next ?? '', /retry later/i);
  });

  it('times out with a next step, and reports caller cancellation as such', async () => {
    const r = await exec({ limits: { timeoutMs: 300 } }).execute(get('/hang'), {});
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'timeout');
    assert.match(r.failure.message, /within 0\.3 s/);
    assert.ok(r.failure.next);

    const controller = new AbortController();
    const pending = exec().execute(get('/hang'), {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const c = await pending;
    assert.ok(!c.ok);
    assert.equal(c.failure.code, 'cancelled');
  });

  it('refuses a redirect to another host and never contacts it', async () => {
    const r = await exec({ credentials: { t: { type: 'bearer', env: 'TOKEN' } } }, { TOKEN: 'tok-secret-1' }).execute(get('/away'), {});
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'refused_host');
    assert.ok(r.failure.message.includes(elsewhere.origin));
    assert.equal(elsewhere.requests.length, 0);
  });

  it('follows same-origin redirects with credentials; 303 turns a POST into a GET; loops stop', async () => {
    const env = { TOKEN: 'tok-secret-2' };
    const settings: HttpCatalogSettings = { credentials: { t: { type: 'bearer', env: 'TOKEN' } } };
    const moved = await exec(settings, env).execute(get('/moved'), {});
    assert.ok(moved.ok);
    const final = api.requests.at(-1)!;
    assert.equal(final.url, '/final?x=1');
    assert.equal(final.headers.authorization, 'Bearer tok-secret-2');

    const post = httpTool('t.post', { method: 'POST', path: '/see-other', servers: [{ url: api.origin }], parameters: [], body: { property: 'body', contentType: 'application/json', required: false } });
    const seeOther = await exec(settings, env).execute(post, { body: { a: 1 } });
    assert.ok(seeOther.ok);
    assert.deepEqual(seeOther.value, { method: 'GET' });
    assert.equal(api.requests.at(-1)!.body, '');

    const before = api.requests.length;
    const loop = await exec().execute(get('/loop'), {});
    assert.ok(!loop.ok);
    assert.equal(loop.failure.code, 'network_error');
    assert.equal(api.requests.length - before, 6, 'the first request plus 5 redirects');
  });

  it('resolves servers: variables from defaults, override wins, relative URL asks for an override', async () => {
    const relative = await exec().execute(get('/empty', { servers: [{ url: '/api/v1' }] }), {});
    assert.ok(!relative.ok);
    assert.equal(relative.failure.code, 'refused_host');
    assert.match(relative.failure.message, /relative/);
    assert.match(relative.failure.next ?? '', /server override/);

    const overridden = await exec({ server: `${api.origin}/` }).execute(get('/empty', { servers: [{ url: '/api/v1' }] }), {});
    assert.ok(overridden.ok);
    assert.equal(overridden.status, 204);
    assert.equal(overridden.value, null);
    assert.equal(api.requests.at(-1)!.url, '/empty');

    const elsewhereOnly = await exec({ server: elsewhere.origin }).execute(get('/away'), {});
    assert.ok(elsewhereOnly.ok, 'with an override, only the override host is called');
    assert.equal(elsewhere.requests.at(-1)!.url, '/away');

    const text = await exec().execute(get('/text'), {});
    assert.ok(text.ok);
    assert.equal(text.value, 'plain words');
    assert.equal(text.text, 'plain words');
  });

  it('cuts an oversized response to valid JSON with a notice, keeping the full value for code mode', async () => {
    const maxResponseTokens = 1_000;
    const r = await exec({ limits: { maxResponseTokens } }).execute(get('/big'), {});
    assert.ok(r.ok);
    assert.equal(r.truncated, true);
    const [body, notice] = r.text.split('\n');
    assert.ok(body!.length <= maxResponseTokens * CHARS_PER_TOKEN, `${body!.length} chars`);
    const shown = JSON.parse(body!) as { total_count: number; items: unknown[] };
    assert.equal(shown.total_count, 500);
    assert.ok(shown.items.length > 3 && shown.items.length < 500);
    assert.match(notice!, new RegExp(`showing ${shown.items.length} of 500 items at /items`));
    assert.match(notice!, /per_page/);
    assert.equal((r.value as { items: unknown[] }).items.length, 500);
  });

  it('rejects invalid arguments before sending anything', async () => {
    const before = api.requests.length;
    const tool = get('/repos/{owner}', { parameters: [param('owner', 'path', { type: 'string' })] });
    const r = await exec().execute(tool, { owner: 5, extra: true });
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'invalid_arguments');
    assert.match(r.failure.message, /unknown property "extra" \(allowed: owner\)/);
    assert.match(r.failure.message, /\/owner: must be string/);
    assert.equal(api.requests.length, before);
  });
});
