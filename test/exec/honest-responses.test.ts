// Responses decoded by what they are, on a real HTTP server: nothing that is not a result passes as one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpExecutor } from '../../src/exec/http-executor.js';
import { httpTool, json, startRecordingServer, type RecordingServer } from './recording-server.js';

describe('honest responses', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());

  const exec = createHttpExecutor({ catalog: () => ({}) });
  const tool = (path: string, withOutput = true) => {
    const t = httpTool(`t.get${path.replace(/\W/g, '_')}`, { method: 'GET', path, servers: [{ url: server.origin }], parameters: [] });
    return withOutput ? { ...t, output: { root: { type: 'object' }, defs: {} } } : t;
  };
  const page = `<!DOCTYPE html><html><head><title>Sign in &ndash; Example</title><style>body{color:red}</style><script>var x = 1;</script></head>
    <body><div class="nav">Home</div><h1>Please sign in</h1><p>Your session has expired &amp; must be renewed.</p></body></html>`;

  it('an HTML page with status 200 where JSON was expected is an error with the page reduced to words', async () => {
    server.handle('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    const r = await exec.execute(tool('/html'), {});
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'invalid_response');
    assert.match(r.failure.message, /HTTP 200 answered with an HTML page \("Sign in – Example"\) where JSON was expected: Home\nPlease sign in\nYour session has expired & must be renewed\./);
    assert.ok(!r.failure.message.includes('<'), 'no markup');
    assert.ok(!r.failure.message.includes('color:red') && !r.failure.message.includes('var x'), 'no style or script');
  });

  it('an HTML page is text (not an error) when the operation declares no JSON result', async () => {
    server.handle('/html2', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    const r = await exec.execute(tool('/html2', false), {});
    assert.ok(r.ok);
    assert.equal(r.value, 'Home\nPlease sign in\nYour session has expired & must be renewed.');
  });

  it('an unlabelled binary body is a one-line notice with its size, never bytes as text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]);
    server.handle('/blob', (_req, res) => res.writeHead(200, { 'content-type': '' }).end(png));
    const r = await exec.execute(tool('/blob'), {});
    assert.ok(r.ok);
    assert.equal(r.text, '(binary response: 14 bytes of unlabelled data; toolshed does not return binary data)');
    server.handle('/pdf', (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(png));
    const pdf = await exec.execute(tool('/pdf'), {});
    assert.ok(pdf.ok);
    assert.equal(pdf.text, '(binary response: 14 bytes of application/pdf; toolshed does not return binary data)');
  });

  it('a truncated application/json body is an error that says so', async () => {
    server.handle('/cut', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[{"id":1},{"id":2'));
    const r = await exec.execute(tool('/cut'), {});
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'invalid_response');
    assert.match(r.failure.message, /body declared as JSON that does not parse .*may be truncated\. It begins: \{"items":\[\{"id":1\}/);
  });

  it("error results keep the API's problem details: detail, field errors, validation entries, extensions", async () => {
    server.handle('/problem', (_req, res) =>
      json(res, 422, { type: 'https://example.com/probs/invalid', title: 'Your request is not valid', status: 422, detail: 'Two fields failed validation', 'invalid-params': [{ name: 'age', reason: 'must be a positive integer' }], balance: 30 }, { 'content-type': 'application/problem+json' }),
    );
    const r = await exec.execute(tool('/problem'), {});
    assert.ok(!r.ok);
    assert.equal(r.failure.message, 'HTTP 422 Unprocessable Entity from GET /problem: Your request is not valid: Two fields failed validation — invalid-params: [{"name":"age","reason":"must be a positive integer"}] — {"balance":30}');
    server.handle('/validation', (_req, res) => json(res, 400, { message: 'Your request is not valid', validation: [{ field: 'email', message: 'is not an email address' }] }));
    const v = await exec.execute(tool('/validation'), {});
    assert.ok(!v.ok);
    assert.match(v.failure.message, /Your request is not valid — validation: \[\{"field":"email","message":"is not an email address"\}\]$/);
    server.handle('/nested', (_req, res) => json(res, 400, { error: { message: 'Invalid email', param: 'email', type: 'invalid_request_error' } }));
    const n = await exec.execute(tool('/nested'), {});
    assert.ok(!n.ok);
    assert.match(n.failure.message, /Invalid email — param: "email"/);
  });
});
