// The wire-format matrix: real documents (test/fixtures/openapi, with their licences), calls built by the
// real executor, the exact bytes recorded by a proxy, and Prism (validating every request against the same
// document) behind it: a 422 from Prism means toolshed built the request wrongly. AWS's `#Action=` paths are
// recorded without Prism (Prism cannot route a path key with a fragment); GitHub's requests are checked
// against Prism in github-prism.test.ts, and recorded here byte for byte.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import type { SecurityScheme, ToolEntry } from '../../src/catalog/tool-entry.js';
import type { CredentialConfig } from '../../src/config-types.js';
import { createHttpExecutor } from '../../src/exec/http-executor.js';
import { PRISM_START_TIMEOUT_MS, startPrism, type PrismMock } from '../helpers/prism.js';
import { startRecordingProxy, type RecordingProxy, type WireRecord } from '../helpers/recording-proxy.js';

const VENDORED = 'test/fixtures/openapi';
const PETSTORE_2 = 'node_modules/@readme/oas-examples/2.0/json/petstore.json';

interface Api {
  tools: Map<string, ToolEntry>;
  schemes: Record<string, SecurityScheme>;
  proxy: RecordingProxy;
  prism?: PrismMock;
  credentials: Record<string, CredentialConfig>;
}

/** Everything started, so that `after` stops it even when another start failed. */
const started: Array<{ stop(): Promise<void> }> = [];

async function openApi(spec: string, options: { prism: boolean; credentials?: Record<string, CredentialConfig>; onlyPaths?: string[] }): Promise<Api> {
  const catalog = await loadOpenApiCatalog({ source: spec });
  const prism = options.prism ? await startPrism(options.onlyPaths ? onlyPaths(spec, options.onlyPaths) : spec) : undefined;
  if (prism) started.push(prism);
  // Without Prism the proxy's target is a closed port: the record is what matters, the answer is a 502.
  const proxy = await startRecordingProxy(prism?.origin ?? 'http://127.0.0.1:9');
  started.push({ stop: () => proxy.close() });
  return { tools: new Map(catalog.tools.map((t) => [t.name, t])), schemes: catalog.securitySchemes, proxy, ...(prism ? { prism } : {}), credentials: options.credentials ?? {} };
}

/**
 * The same document with only the paths a test calls, their requests untouched (parameters, bodies,
 * encodings: what is under test) and their responses reduced to an open object: Stripe's customer object
 * reaches 485 of its 775 schemas, which Prism dereferences before it listens (minutes on a loaded 2-core
 * machine). Components the kept requests use stay; security schemes stay.
 */
function onlyPaths(spec: string, paths: string[]): string {
  const doc = JSON.parse(brotliDecompressSync(readFileSync(spec)).toString('utf8')) as { paths: Record<string, Record<string, { responses?: unknown }>>; components: { schemas?: Record<string, unknown> } };
  doc.paths = Object.fromEntries(paths.map((p) => [p, doc.paths[p]!]));
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (op && typeof op === 'object' && 'responses' in op) op.responses = { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
    }
  }
  const used = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') && !used.has(v)) {
        used.add(v);
        walk(doc.components.schemas?.[v.split('/').pop()!]);
      } else walk(v);
    }
  };
  walk(doc.paths);
  doc.components.schemas = Object.fromEntries([...used].map((ref) => [ref.split('/').pop()!, doc.components.schemas![ref.split('/').pop()!]]));
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-wire-'));
  const file = join(dir, basename(spec, '.br'));
  writeFileSync(file, JSON.stringify(doc));
  started.push({ stop: async () => rmSync(dir, { recursive: true, force: true }) });
  return file;
}

async function call(api: Api, name: string, args: Record<string, unknown>): Promise<WireRecord> {
  const tool = api.tools.get(name);
  assert.ok(tool, `${name} is in the catalog`);
  const executor = createHttpExecutor({ catalog: () => ({ server: api.proxy.origin, securitySchemes: api.schemes, credentials: api.credentials }), env: { API_TOKEN: 'tok_test_123' } });
  const before = api.proxy.records.length;
  const result = await executor.execute(tool, args);
  assert.equal(api.proxy.records.length, before + 1, `one request went out: ${JSON.stringify(result)}`);
  return api.proxy.records.at(-1)!;
}

function assertAccepted(record: WireRecord): void {
  assert.ok(record.status !== undefined && record.status >= 200 && record.status < 300, `Prism accepted the request: ${record.status} ${record.answer?.slice(0, 400)}`);
}

const bearer: Record<string, CredentialConfig> = { default: { type: 'bearer', env: 'API_TOKEN' } };

describe('wire-format matrix', { timeout: PRISM_START_TIMEOUT_MS * 2 }, () => {
  let stripe: Api;
  let slack: Api;
  let apideck: Api;
  let petstore: Api;
  let aws: Api;
  let github: Api;
  before(async () => {
    // allSettled: every start finishes (and is registered for stopping) before a failure is reported.
    const settled = await Promise.allSettled([
      openApi(`${VENDORED}/stripe.com.json.br`, { prism: true, credentials: { bearerAuth: { env: 'API_TOKEN' } }, onlyPaths: ['/v1/customers'] }),
      openApi(`${VENDORED}/slack.com.json.br`, { prism: true, credentials: { slackAuth: { env: 'API_TOKEN' } } }),
      openApi(`${VENDORED}/apideck.com-crm.json.br`, { prism: true, credentials: { apiKey: { env: 'API_TOKEN' } } }),
      openApi(PETSTORE_2, { prism: true, credentials: { petstore_auth: { env: 'API_TOKEN' } } }),
      openApi(`${VENDORED}/amazonaws.com-sqs.json.br`, { prism: false }),
      openApi('catalogs/github.json.br', { prism: false, credentials: bearer }),
    ]);
    const failure = settled.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    [stripe, slack, apideck, petstore, aws, github] = settled.map((r) => (r as PromiseFulfilledResult<Api>).value) as [Api, Api, Api, Api, Api, Api];
  });
  after(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('Stripe: a form body with deepObject encodings (metadata[order_id]=6735) and indexed arrays', async () => {
    const r = await call(stripe, 'post_customers', {
      body: { email: 'jo@example.com', metadata: { order_id: '6735' }, address: { line1: '1 Main St', city: 'Paris' }, expand: ['default_source'], preferred_locales: ['fr', 'en'] },
    });
    assert.equal(r.method, 'POST');
    assert.equal(r.target, '/v1/customers');
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(r.body.toString(), 'email=jo%40example.com&metadata[order_id]=6735&address[line1]=1+Main+St&address[city]=Paris&expand[0]=default_source&preferred_locales[0]=fr&preferred_locales[1]=en');
    assert.equal(r.headers.authorization, 'Bearer tok_test_123');
    assertAccepted(r);
  });

  it('control: Prism rejects the encoding toolshed used to send (an object as a JSON string), so the cases above can fail', async () => {
    const response = await fetch(`${stripe.prism!.origin}/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer tok_test_123' },
      body: 'metadata=%7B%22order_id%22%3A%226735%22%7D',
    });
    assert.equal(response.status, 422, await response.text());
  });

  it('Stripe: deepObject query parameters (created[gt], expand[0])', async () => {
    const r = await call(stripe, 'get_customers', { created: { gt: 1700000000 }, expand: ['data.default_source'], limit: 3 });
    assert.equal(r.target, '/v1/customers?created[gt]=1700000000&expand[0]=data.default_source&limit=3');
    assert.equal(r.body.length, 0);
    assertAccepted(r);
  });

  it('Slack: a form body and the token header parameter', async () => {
    const r = await call(slack, 'chat_post_message', { token: 'xoxb-header-token', body: { channel: 'C0123', text: 'hello world & more' } });
    assert.equal(r.target, '/chat.postMessage');
    assert.equal(r.headers.token, 'xoxb-header-token');
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(r.body.toString(), 'channel=C0123&text=hello+world+%26+more');
    assertAccepted(r);
  });

  it('Apideck: required headers and a deepObject filter in the query', async () => {
    const r = await call(apideck, 'contacts_all', { 'x-apideck-consumer-id': 'consumer-1', 'x-apideck-app-id': 'app-1', limit: 5, filter: { first_name: 'Elon', email: 'elon@example.com' } });
    assert.equal(r.target, '/crm/contacts?limit=5&filter[first_name]=Elon&filter[email]=elon%40example.com');
    assert.equal(r.headers['x-apideck-consumer-id'], 'consumer-1');
    assert.equal(r.headers['x-apideck-app-id'], 'app-1');
    assertAccepted(r);
  });

  it('Swagger 2.0: a formData file upload goes as a file part with a filename and a type', async () => {
    const r = await call(petstore, 'upload_file', { petId: 7, body: { additionalMetadata: 'front view', file: 'PNG-BYTES' } });
    assert.equal(r.target, '/pet/7/uploadImage', 'the server override replaces the spec\'s host and basePath');
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(String(r.headers['content-type']))?.[1];
    assert.ok(boundary, String(r.headers['content-type']));
    assert.equal(
      r.body.toString(),
      `--${boundary}\r\nContent-Disposition: form-data; name="additionalMetadata"\r\n\r\nfront view\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\nPNG-BYTES\r\n--${boundary}--\r\n`,
    );
    assertAccepted(r);
  });

  it('AWS: a path key with #Action= becomes the query, the fixed Action sent by toolshed', async () => {
    const tool = aws.tools.get('get_list_queues')!;
    assert.ok(!(tool.input.root.required as string[]).includes('Action'), 'Action is fixed by the path key: not asked of the caller');
    const r = await call(aws, 'get_list_queues', { Version: '2012-11-05', QueueNamePrefix: 'prod-', MaxResults: 10 });
    assert.equal(r.method, 'GET');
    assert.equal(r.target, '/?Action=ListQueues&QueueNamePrefix=prod-&MaxResults=10&Version=2012-11-05');
  });

  it('GitHub: a JSON body and a form-style query, byte for byte', async () => {
    let r = await call(github, 'issues_create', { owner: 'octo', repo: 'hello', body: { title: 'Bug', labels: ['a', 'b'] } });
    assert.equal(r.target, '/repos/octo/hello/issues');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body.toString(), '{"title":"Bug","labels":["a","b"]}');
    r = await call(github, 'issues_list_for_repo', { owner: 'octo', repo: 'hello', labels: 'bug,ui', state: 'open', per_page: 5 });
    assert.equal(r.target, '/repos/octo/hello/issues?state=open&labels=bug%2Cui&per_page=5');
  });
});
