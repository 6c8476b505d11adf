// Auth as a new user meets it, over real stdio: the default GitHub catalog takes GH_TOKEN/GITHUB_TOKEN
// with no config, `--server` redirects a default catalog, `--auth` names a catalog's env var, and
// describe_tools and the start-up lines say configured / missing / not needed from the environment.
// Every result and every stderr line is checked for the secret: a test here fails if it leaks.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { json, startRecordingServer, type RecordingServer } from '../exec/recording-server.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

const TOKEN = 'ghp_T3stT0k3nN0tR3alAbcdefghijklmnop1234';
const SHOP_KEY = 'shop-key-V3ryS3cr3t-9876';

let api: RecordingServer;
before(async () => {
  api = await startRecordingServer();
  // An API that echoes what it was sent, in the body and in its error messages.
  api.handle('/repos/octocat/hello', (req, res) => json(res, 200, { full_name: 'octocat/hello', echo: req.headers.authorization ?? null }));
  api.handle('/user', (req, res) => json(res, 401, { message: `Bad credentials: ${req.headers.authorization ?? 'none'}` }));
  api.handle('/orders', (req, res) => json(res, 200, { key: req.headers['x-api-key'] ?? null }));
});
after(() => api.close());

function assertNoSecret(text: string): void {
  for (const secret of [TOKEN, SHOP_KEY]) assert.ok(!text.includes(secret), `secret leaked: ${text.slice(0, 400)}`);
}

const authOf = async (session: Awaited<ReturnType<typeof connectStdio>>, names: string[]) => {
  const result = await call(session.client, 'describe_tools', { names });
  assert.ok(!result.isError, textOf(result));
  assertNoSecret(textOf(result));
  return (JSON.parse(textOf(result)) as { tools: Array<{ auth: string }> }).tools.map((t) => t.auth);
};

describe('the default catalogs with GH_TOKEN set and --server github=…', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    session = await connectStdio(['serve', '--server', `github=${api.origin}`], { GITHUB_TOKEN: '', GH_TOKEN: TOKEN });
  });
  after(() => session.close());

  test('the token is sent as a bearer token to the overriding server; the echoed token is redacted', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'github.repos_get', arguments: { owner: 'octocat', repo: 'hello' } });
    assert.ok(!result.isError, textOf(result));
    assert.equal(api.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    assert.match(textOf(result), /"echo":"Bearer \[redacted\]"/);
    assertNoSecret(textOf(result));
    assertNoSecret(JSON.stringify(result.structuredContent ?? {}));
  });

  test('a 401 that quotes the token does not pass it on', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'github.users_get_authenticated', arguments: {} });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /HTTP 401/);
    assert.match(textOf(result), /rejected the credentials from GH_TOKEN/);
    assertNoSecret(textOf(result));
  });

  test('describe_tools and the start-up line say configured, naming the variable, never its value', async () => {
    assert.deepEqual(await authOf(session, ['github.repos_get']), ['configured (GH_TOKEN)']);
    assert.match(session.stderr(), /github: auth configured \(GH_TOKEN\)/);
    assertNoSecret(session.stderr());
  });
});

describe('the default catalogs with no token', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    session = await connectStdio(['serve', '--server', `github=${api.origin}`], { GITHUB_TOKEN: '', GH_TOKEN: '' });
  });
  after(() => session.close());

  test('describe_tools says missing (set GITHUB_TOKEN); petstore names what to set for its schemes', async () => {
    const [github, pet] = await authOf(session, ['github.repos_get', 'petstore.get_pet_by_id']);
    assert.equal(github, 'missing (set GITHUB_TOKEN)');
    assert.match(pet!, /^missing \(put an API key \(header "api_key"\) in an environment variable and name it: --auth petstore=ENV_VAR/);
  });

  test('a start-up line per catalog says so', () => {
    assert.match(session.stderr(), /github: auth missing \(set GITHUB_TOKEN\)/);
    assert.match(session.stderr(), /petstore: auth missing \(put an (OAuth access token|API key)/);
  });

  test('nothing is sent, and a 401 asks the user to set the variable', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'github.users_get_authenticated', arguments: {} });
    assert.equal(api.requests.at(-1)!.headers.authorization, undefined);
    assert.match(textOf(result), /ask the user to set GITHUB_TOKEN, then retry/);
  });
});

describe('--auth NAME=ENV_VAR on a catalog that declares schemes', () => {
  let specPath: string;
  before(() => {
    specPath = join(mkdtempSync(join(tmpdir(), 'toolshed-auth-')), 'shop.json');
    writeFileSync(
      specPath,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Shop', version: '1' },
        servers: [{ url: api.origin }],
        components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
        security: [{ key: [] }],
        paths: {
          '/orders': { get: { operationId: 'listOrders', summary: 'List orders', responses: { 200: { description: 'ok' } } } },
          '/health': { get: { operationId: 'health', summary: 'Health', security: [], responses: { 200: { description: 'ok' } } } },
        },
      }),
    );
  });

  test('configured when the variable is set: the key goes out in its header; not needed for the public operation', async () => {
    const session = await connectStdio(['serve', '--openapi', `shop=${specPath}`, '--auth', 'shop=SHOP_KEY'], { SHOP_KEY });
    try {
      assert.deepEqual(await authOf(session, ['shop.list_orders', 'shop.health']), ['configured (SHOP_KEY)', 'not needed']);
      const result = await call(session.client, 'execute_tool', { name: 'shop.list_orders', arguments: {} });
      assert.equal(api.requests.at(-1)!.headers['x-api-key'], SHOP_KEY);
      assertNoSecret(textOf(result));
      assert.match(session.stderr(), /shop: auth configured \(SHOP_KEY\)/);
      assertNoSecret(session.stderr());
    } finally {
      await session.close();
    }
  });

  test('missing (set SHOP_KEY) when it is not', async () => {
    const session = await connectStdio(['serve', '--openapi', `shop=${specPath}`, '--auth', 'shop=SHOP_KEY'], { SHOP_KEY: '' });
    try {
      assert.deepEqual(await authOf(session, ['shop.list_orders']), ['missing (set SHOP_KEY)']);
      assert.match(session.stderr(), /shop: auth missing \(set SHOP_KEY\)/);
    } finally {
      await session.close();
    }
  });
});
