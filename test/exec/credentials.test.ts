// Credentials are added on the host from a (fake) env, chosen per security alternative, and never
// show up in anything returned to the model.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SecurityScheme } from '../../src/catalog/tool-entry.js';
import type { CredentialConfig } from '../../src/config-types.js';
import { createHttpExecutor } from '../../src/exec/http-executor.js';
import { httpTool, json, param, startRecordingServer, type RecordingServer } from './recording-server.js';

const SCHEMES: Record<string, SecurityScheme> = {
  bearerAuth: { type: 'http', scheme: 'bearer' },
  basicAuth: { type: 'http', scheme: 'basic' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
  oauth: { type: 'oauth2' },
};

const ENV = {
  BEARER: 'bearer-secret-1234',
  KEY: 'key-secret-5678',
  USER: 'alice',
  PASS: 'pass-secret-9012',
  OAUTH: 'oauth-secret-3456',
};

describe('credentials', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer();
    server.handle('/echo', (req, res) => json(res, 200, { youSent: req.headers, url: req.url }));
    server.handle('/private', (_req, res) => json(res, 401, { message: 'Requires authentication' }));
    server.handle('/encoded', (req, res) => {
      const token = String(req.headers.authorization).slice('Bearer '.length);
      const bytes = Buffer.from(token);
      const body = {
        url: encodeURIComponent(token),
        form: encodeURIComponent(token).replace(/%20/g, '+'),
        base64: bytes.toString('base64'),
        base64url: bytes.toString('base64url'),
        base64Inside: Buffer.concat([Buffer.from('x:'), bytes, Buffer.from(':y')]).toString('base64'),
        hex: bytes.toString('hex'),
        HEX: bytes.toString('hex').toUpperCase(),
      };
      // JSON escapes written by hand: \u-escaped letters decode to the secret only when parsed.
      const escaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body).slice(0, -1) + `,"escaped":"${escaped}","slashed":"${token.replace(/\//g, '\\/')}"}`);
    });
    server.handle('/forbidden', (req, res) => json(res, 403, { message: `token ${String(req.headers.authorization)} lacks scope` }));
  });
  after(() => server.close());

  const last = () => server.requests.at(-1)!;
  const tool = (security: Array<Array<{ scheme: string; scopes?: string[] }>>, path = '/echo') =>
    httpTool('api.op', {
      method: 'GET',
      path,
      servers: [{ url: server.origin }],
      parameters: [param('q', 'query', { type: 'string' })],
      security: security.map((alt) => alt.map(({ scheme, scopes }) => ({ scheme, scopes: scopes ?? [] }))),
    });
  const exec = (credentials: Record<string, CredentialConfig> | undefined, schemes = SCHEMES, env: Record<string, string> = ENV) =>
    createHttpExecutor({ catalog: () => ({ securitySchemes: schemes, ...(credentials ? { credentials } : {}) }), env });

  it('sends http bearer, apiKey (header, query, cookie), basic and oauth2', async () => {
    const creds = {
      bearerAuth: { env: 'BEARER' },
      headerKey: { env: 'KEY' },
      queryKey: { env: 'KEY' },
      cookieKey: { env: 'KEY' },
      basicAuth: { usernameEnv: 'USER', passwordEnv: 'PASS' },
      oauth: { env: 'OAUTH' },
    };
    await exec(creds).execute(tool([[{ scheme: 'bearerAuth' }]]), { q: 'x' });
    assert.equal(last().headers.authorization, `Bearer ${ENV.BEARER}`);

    await exec(creds).execute(tool([[{ scheme: 'headerKey' }, { scheme: 'queryKey' }, { scheme: 'cookieKey' }]]), { q: 'x' });
    assert.equal(last().headers['x-api-key'], ENV.KEY);
    assert.equal(last().url, `/echo?q=x&api_key=${ENV.KEY}`);
    assert.equal(last().headers.cookie, `sid=${ENV.KEY}`);

    await exec(creds).execute(tool([[{ scheme: 'basicAuth' }]]), {});
    assert.equal(last().headers.authorization, `Basic ${Buffer.from(`${ENV.USER}:${ENV.PASS}`).toString('base64')}`);

    await exec(creds).execute(tool([[{ scheme: 'oauth', scopes: ['repo'] }]]), {});
    assert.equal(last().headers.authorization, `Bearer ${ENV.OAUTH}`);
  });

  it('picks the first alternative whose credentials are all available', async () => {
    const creds = { bearerAuth: { env: 'MISSING_VAR' }, headerKey: { env: 'KEY' }, queryKey: { env: 'KEY' } };
    await exec(creds).execute(tool([[{ scheme: 'bearerAuth' }], [{ scheme: 'headerKey' }, { scheme: 'oauth' }], [{ scheme: 'queryKey' }]]), {});
    assert.equal(last().headers.authorization, undefined);
    assert.equal(last().headers['x-api-key'], undefined, 'the second alternative is incomplete (no oauth config), so none of it is sent');
    assert.equal(last().url, `/echo?api_key=${ENV.KEY}`);
  });

  it('applies a `type` entry to every request of a catalog without schemes', async () => {
    await exec({ token: { type: 'bearer', env: 'BEARER' } }, {}).execute(tool([]), {});
    assert.equal(last().headers.authorization, `Bearer ${ENV.BEARER}`);
    await exec({ key: { type: 'apiKey', in: 'query', name: 'k', env: 'KEY' } }, {}).execute(tool([]), {});
    assert.equal(last().url, `/echo?k=${ENV.KEY}`);
  });

  it('sends without credentials when none are configured, and a 401 says which variable to set', async () => {
    const open = await exec(undefined).execute(tool([[{ scheme: 'bearerAuth' }]]), {});
    assert.equal(open.ok, true);
    assert.equal(last().headers.authorization, undefined);

    // `[]` is an optional-auth alternative: still a hint when the API wants credentials after all.
    const unset = await exec({ bearerAuth: { env: 'MY_API_TOKEN' } }).execute(tool([[], [{ scheme: 'bearerAuth' }]], '/private'), {});
    assert.equal(unset.ok, false);
    assert.ok(!unset.ok);
    assert.equal(unset.status, 401);
    assert.equal(unset.failure.code, 'http_error');
    assert.match(unset.failure.message, /HTTP 401.*Requires authentication/);
    assert.match(unset.failure.next ?? '', /MY_API_TOKEN/);

    const none = await exec(undefined).execute(tool([[{ scheme: 'headerKey' }]], '/private'), {});
    assert.ok(!none.ok);
    assert.match(none.failure.next ?? '', /"credentials": \{ "headerKey": \{ "env"/);

    const github = await exec(undefined, {}).execute(httpTool('github.get_user', { method: 'GET', path: '/private', servers: [{ url: server.origin }], parameters: [] }), {});
    assert.ok(!github.ok);
    assert.match(github.failure.next ?? '', /"type": "bearer", "env": "GITHUB_TOKEN"/);
  });

  it('never returns a secret, even when the API echoes it', async () => {
    const creds = { bearerAuth: { env: 'BEARER' }, queryKey: { env: 'KEY' } };
    const ok = await exec(creds).execute(tool([[{ scheme: 'bearerAuth' }, { scheme: 'queryKey' }]]), {});
    assert.ok(ok.ok);
    assert.equal(last().headers.authorization, `Bearer ${ENV.BEARER}`, 'the secret was really sent');
    for (const secret of [ENV.BEARER, ENV.KEY]) {
      assert.ok(!ok.text.includes(secret));
      assert.ok(!JSON.stringify(ok.value).includes(secret));
    }
    assert.match(ok.text, /Bearer \[redacted\]/);

    // Echoed in every encoding an API might use: URL, form, base64 (whole, url-safe, inside a larger
    // blob), hex either case, JSON \u escapes and escaped slashes.
    const awkward = 'a/b+c d?x=y&token-9Z';
    const encoded = await exec({ bearerAuth: { env: 'AWKWARD' } }, SCHEMES, { ...ENV, AWKWARD: awkward }).execute(tool([[{ scheme: 'bearerAuth' }]], '/encoded'), {});
    assert.ok(encoded.ok);
    const value = encoded.value as Record<string, string>;
    const bytes = Buffer.from(awkward);
    const forms = [awkward, encodeURIComponent(awkward), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
    for (const [key, shown] of Object.entries(value)) {
      for (const form of forms) assert.ok(!shown.includes(form), `${key} still holds ${form}: ${shown}`);
      if (key !== 'base64Inside') assert.equal(shown, '[redacted]', key);
    }
    assert.ok(!Buffer.from(value.base64Inside!.replace(/\[redacted\]/g, ''), 'base64').toString('latin1').includes('token-9Z'), 'no readable part of the secret is left in the blob');

    const denied = await exec(creds).execute(tool([[{ scheme: 'bearerAuth', scopes: ['admin'] }]], '/forbidden'), {});
    assert.ok(!denied.ok);
    const shown = JSON.stringify(denied);
    assert.ok(!shown.includes(ENV.BEARER), shown);
    assert.match(denied.failure.next ?? '', /BEARER.*scopes: admin/);
  });
});
