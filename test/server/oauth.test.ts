// OAuth 2.1 resource-server mode end to end: a real authorization server (oidc-provider) issues the
// tokens, the official SDK client obtains them (client credentials, and authorization code + PKCE
// through the provider's login and consent pages) and calls toolshed over Streamable HTTP; raw
// requests check the refusals (401/403 and their WWW-Authenticate headers) case by case.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformation, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { readConfigFile } from '../../src/config.js';
import { createOAuthAuth } from '../../src/server/oauth/oauth-auth.js';
import { resolveOAuthOptions } from '../../src/server/oauth/oauth-options.js';
import { serveHttp, type HttpServing } from '../../src/server/http-server.js';
import { openToolshed, startToolshed, type Toolshed } from '../../src/toolshed.js';
import { serverFactoryFromFlags } from '../../src/cli-code-mode.js';
import { CLIENTS, startAuthServer, type AuthServer } from '../helpers/auth-server.js';
import { INITIALIZE, MCP_HEADERS, messageOf, rawRequest, spawnHttpServe } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { BIN, call, textOf } from '../helpers/mcp-client.js';
import { captureLog, freePort } from '../helpers/upstream-servers.js';
import { serveHeldSpec } from '../helpers/held-spec.js';

let authServer: AuthServer;
let items: ItemsApi;
let toolshed: Promise<Toolshed>;
let serving: HttpServing;
let audience: string;
let origin: string;
const factory = serverFactoryFromFlags({ mode: 'both', 'run-pool-size': '1' }, captureLog().log);
const captured = captureLog();

before(async () => {
  process.env.ITEMS_KEY = ITEMS_KEY;
  process.env.TEST_RS_SECRET = CLIENTS.resourceServer.client_secret;
  [authServer, items] = await Promise.all([startAuthServer(), startItemsApi()]);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  audience = `${origin}/mcp`;
  const options = resolveOAuthOptions(
    {
      issuer: authServer.issuer,
      audience,
      catalogScopes: { items: 'catalog:items' },
      introspection: { clientId: CLIENTS.resourceServer.client_id, clientSecretEnv: 'TEST_RS_SECRET' },
      // Refetch the key set on every unknown kid, so the rotation case needs no waiting (default 30 s).
      jwksCooldownMs: 0,
    },
    {},
    process.env,
  )!;
  toolshed = openToolshed(await readConfigFile(items.configPath), captured.log);
  serving = await serveHttp({ toolshed, log: captured.log, port, auth: createOAuthAuth({ ...options, log: captured.log }), createServer: (t, l, g) => factory.create(t, l, g) });
  await toolshed;
});

after(async () => {
  await serving?.close(1000);
  await factory.close();
  await (await toolshed)?.close();
  await Promise.all([authServer?.close(), items?.close()]);
});

const bearer = (token: string) => ({ ...MCP_HEADERS, authorization: `Bearer ${token}` });
/** Headers of a fresh session opened with this token (raw requests, so each refusal can be seen as sent). */
async function session(token: string): Promise<Record<string, string>> {
  const opened = await rawRequest(serving.url, { headers: bearer(token), body: JSON.stringify(INITIALIZE) });
  assert.equal(opened.status, 200, opened.text);
  const headers = { ...bearer(token), 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
  await rawRequest(serving.url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return headers;
}
const toolCall = (name: string, args: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });
const fullToken = (scope = 'tools:search tools:call catalog:items') => authServer.clientCredentialsToken(CLIENTS.full, { resource: audience, scope });
const now = () => Math.floor(Date.now() / 1000);

async function connectWith(authProvider: OAuthClientProvider): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(serving.url), { authProvider });
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

test('protected-resource metadata (RFC 9728) at the root and the /mcp path-suffixed form', async () => {
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    const res = await rawRequest(`${origin}${path}`, { method: 'GET' });
    assert.equal(res.status, 200, path);
    const doc = JSON.parse(res.text) as Record<string, unknown>;
    assert.equal(doc.resource, audience);
    assert.deepEqual(doc.authorization_servers, [authServer.issuer]);
    assert.deepEqual(doc.scopes_supported, ['tools:search', 'tools:call', 'catalog:items']);
  }
});

test('no token: 401 with WWW-Authenticate naming the resource metadata', async () => {
  const res = await rawRequest(serving.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
  assert.equal(res.status, 401);
  assert.match(res.headers['www-authenticate']!, new RegExp(`^Bearer .*resource_metadata="${origin}/\\.well-known/oauth-protected-resource/mcp"`));
  assert.doesNotMatch(res.headers['www-authenticate']!, /error=/, 'no error code when no credentials were sent (RFC 6750 §3.1)');
});

test('the SDK client-credentials provider discovers the issuer, gets a token and calls tools; the token never reaches the API', async () => {
  // A machine client asks for the scopes it is configured with (the SDK sends clientMetadata.scope).
  const provider = new ClientCredentialsProvider({ clientId: CLIENTS.full.client_id, clientSecret: CLIENTS.full.client_secret, scope: 'tools:search tools:call catalog:items', expectedIssuer: authServer.issuer });
  const { client } = await connectWith(provider);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('execute_tool') && names.includes('run_code'));
    assert.match(textOf(await call(client, 'search_tools', { query: 'fetch one item' })), /items\.get_item/);
    const before = items.requests.length;
    const result = await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 7 } });
    assert.equal(result.isError, undefined, textOf(result));
    assert.match(textOf(result), /item 7/);
    const token = provider.tokens()!.access_token;
    const sent = items.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers.authorization, undefined, 'no Authorization header goes to the API');
    assert.ok(!JSON.stringify(sent).includes(token), 'the access token appears nowhere in what the API received');
    assert.equal(sent[0]!.headers['x-api-key'], ITEMS_KEY, "toolshed's own credential is used instead");
    assert.ok(!captured.text().includes(token), 'nor in the logs');
  } finally {
    await client.close();
  }
});

test('authorization code + PKCE: the SDK client is sent to log in, the code is exchanged, the session works', async () => {
  let tokens: OAuthTokens | undefined;
  let verifier = '';
  let authorizationUrl: URL | undefined;
  const provider: OAuthClientProvider = {
    redirectUrl: CLIENTS.app.redirect_uri,
    clientMetadata: { client_name: 'test app', redirect_uris: [CLIENTS.app.redirect_uri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' },
    clientInformation: (): OAuthClientInformation => ({ client_id: CLIENTS.app.client_id }),
    tokens: () => tokens,
    saveTokens: (t) => void (tokens = t),
    redirectToAuthorization: (url) => void (authorizationUrl = url),
    saveCodeVerifier: (v) => void (verifier = v),
    codeVerifier: () => verifier,
  };
  const first = new StreamableHTTPClientTransport(new URL(serving.url), { authProvider: provider });
  await assert.rejects(new Client({ name: 'pkce', version: '1' }).connect(first), UnauthorizedError);
  assert.ok(authorizationUrl, 'the client was sent to the authorization endpoint');
  assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorizationUrl.searchParams.get('resource'), audience, 'the resource indicator names toolshed');
  await first.finishAuth(await authServer.authorize(authorizationUrl));
  await first.close();
  assert.ok(tokens?.access_token);
  const { client } = await connectWith(provider);
  try {
    assert.match(textOf(await call(client, 'search_tools', { query: 'create an item' })), /items\.create_item/);
  } finally {
    await client.close();
  }
});

/** A raw initialize with this token: the status and the WWW-Authenticate header. */
async function tryToken(token: string): Promise<{ status: number; challenge: string | undefined }> {
  const res = await rawRequest(serving.url, { headers: bearer(token), body: JSON.stringify(INITIALIZE) });
  return { status: res.status, challenge: res.headers['www-authenticate'] };
}

test('an expired token is refused with invalid_token', async () => {
  const token = await authServer.sign({ iss: authServer.issuer, aud: audience, client_id: 'svc-full', scope: 'tools:search', iat: now() - 600, exp: now() - 300 });
  const { status, challenge } = await tryToken(token);
  assert.equal(status, 401);
  assert.match(challenge!, /error="invalid_token", error_description="the token has expired"/);
});

test('a token for another resource (audience) is refused', async () => {
  const token = await authServer.clientCredentialsToken(CLIENTS.full, { resource: 'http://127.0.0.1:9/other-api', scope: 'tools:search' });
  const { status, challenge } = await tryToken(token);
  assert.equal(status, 401);
  assert.match(challenge!, /invalid_token.*audience/);
});

test('a token from another issuer is refused', async () => {
  const token = await authServer.sign({ iss: 'http://127.0.0.1:9/other-issuer', aud: audience, client_id: 'svc-full', scope: 'tools:search', exp: now() + 300 });
  const { status, challenge } = await tryToken(token);
  assert.equal(status, 401);
  assert.match(challenge!, /invalid_token.*another authorization server/);
});

test('a token signed with a key the issuer does not publish is refused', async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  assert.ok(await exportJWK(privateKey));
  const token = await new SignJWT({ iss: authServer.issuer, aud: audience, client_id: 'svc-full', scope: 'tools:search', exp: now() + 300 }).setProtectedHeader({ alg: 'RS256', kid: 'rogue-key' }).sign(privateKey);
  const { status, challenge } = await tryToken(token);
  assert.equal(status, 401);
  assert.match(challenge!, /invalid_token.*key the issuer does not publish/);
});

test('after key rotation, tokens signed with the new key are accepted (the key set is refetched on the unknown kid)', async () => {
  const before = await fullToken('tools:search');
  assert.equal((await tryToken(before)).status, 200);
  await authServer.rotateKey();
  const rotated = await fullToken('tools:search');
  const kid = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
  assert.notEqual(kid(rotated), kid(before), 'the new token is signed with the new key');
  assert.equal((await tryToken(rotated)).status, 200);
  assert.equal((await tryToken(before)).status, 200, 'the old key is still published, so its tokens still pass');
});

test('a token without the tool scope gets 403 insufficient_scope naming the scopes it lacks', async () => {
  const searchOnly = await authServer.clientCredentialsToken(CLIENTS.searchOnly, { resource: audience, scope: 'tools:search' });
  const headers = await session(searchOnly);
  const search = await rawRequest(serving.url, { headers, body: toolCall('search_tools', { query: 'item' }) });
  assert.equal(search.status, 200);
  assert.match(JSON.stringify(messageOf(search).result), /items\.get_item/);
  const res = await rawRequest(serving.url, { headers, body: toolCall('execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } }) });
  assert.equal(res.status, 403);
  assert.match(res.headers['www-authenticate']!, /error="insufficient_scope"/);
  assert.match(res.headers['www-authenticate']!, /error_description="this call needs the scopes tools:call catalog:items"/);
  assert.match(res.headers['www-authenticate']!, /scope="tools:search tools:call catalog:items"/, 'what it has plus what it lacks, so a client can ask for both');
  assert.match(res.json().error!.message, /needs the scopes tools:call catalog:items/);
});

test('a catalog scope: execute_tool gets 403, and run_code gets a forbidden result for that catalog only', async () => {
  const headers = await session(await fullToken('tools:search tools:call'));
  const direct = await rawRequest(serving.url, { headers, body: toolCall('execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } }) });
  assert.equal(direct.status, 403);
  assert.match(direct.headers['www-authenticate']!, /catalog:items/);
  const run = await rawRequest(serving.url, { headers, body: toolCall('run_code', { code: 'return await items.get_item({ itemId: 1 });' }) });
  assert.equal(run.status, 200);
  const text = JSON.stringify(messageOf(run).result);
  assert.match(text, /forbidden/);
  assert.match(text, /catalog:items/);
  const ok = await rawRequest(serving.url, { headers: await session(await fullToken()), body: toolCall('run_code', { code: 'return await items.get_item({ itemId: 3 });' }) });
  assert.match(JSON.stringify(messageOf(ok).result), /item 3/);
});

test('a catalog scope holds while the catalogs load: an execute_tool sent before they are in waits, then gets 403', async () => {
  const config = await readConfigFile(items.configPath);
  const spec = await serveHeldSpec(config.openapi[0]!.openapi);
  const port = await freePort();
  const loadingAudience = `http://127.0.0.1:${port}/mcp`;
  const options = resolveOAuthOptions({ issuer: authServer.issuer, audience: loadingAudience, catalogScopes: { items: 'catalog:items' }, jwksCooldownMs: 0 }, {}, process.env)!;
  const auth = createOAuthAuth({ ...options, log: captured.log });
  let authenticated!: () => void;
  const callAuthenticated = new Promise<void>((r) => (authenticated = r));
  let requests = 0;
  // The session's third request (after initialize and initialized) is the tool call.
  const counted: typeof auth = {
    ...auth,
    authenticate: (req) => {
      if (++requests === 3) authenticated();
      return auth.authenticate(req);
    },
  };
  const loading = startToolshed({ ...config, openapi: [{ ...config.openapi[0]!, openapi: spec.url }], cacheDir: false }, captured.log);
  const server = await serveHttp({ toolshed: loading, log: captured.log, port, auth: counted, createServer: (t, l, g) => factory.create(t, l, g) });
  try {
    const token = await authServer.clientCredentialsToken(CLIENTS.full, { resource: loadingAudience, scope: 'tools:search tools:call' });
    const opened = await rawRequest(server.url, { headers: bearer(token), body: JSON.stringify(INITIALIZE) });
    assert.equal(opened.status, 200, 'initialize is answered while the catalog is held back');
    const headers = { ...bearer(token), 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
    await rawRequest(server.url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const before = items.requests.length;
    const pending = rawRequest(server.url, { headers, body: toolCall('execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } }) });
    await callAuthenticated;
    assert.equal(loading.loadState().state, 'loading', 'the call arrived before the catalog');
    // A few turns of the event loop for its (small) body to be read while the catalog is still held back.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    spec.release();
    const res = await pending;
    assert.equal(res.status, 403, res.text);
    assert.match(res.headers['www-authenticate']!, /catalog:items/);
    assert.equal(items.requests.length, before, 'nothing reached the API');
  } finally {
    await server.close(1000);
    await loading.close();
    await spec.close();
  }
});

test('an opaque token is checked by introspection (RFC 7662); an unknown one is refused', async () => {
  const opaque = await authServer.clientCredentialsToken(CLIENTS.opaque, { resource: audience, scope: 'tools:search' });
  assert.equal(opaque.split('.').length, 1, 'the provider issued an opaque token');
  assert.equal((await tryToken(opaque)).status, 200);
  const { status, challenge } = await tryToken('not-a-real-token-0123456789');
  assert.equal(status, 401);
  assert.match(challenge!, /invalid_token.*not active/);
});

test('the CLI: --oauth-issuer/--oauth-audience serve the metadata and refuse without a token; with --auth-token too, it refuses to start', async () => {
  const cli = await spawnHttpServe(['--config', items.configPath, '--oauth-issuer', authServer.issuer, '--oauth-audience', 'https://mcp.example.com/mcp'], { env: { ITEMS_KEY } });
  try {
    const doc = JSON.parse((await rawRequest(`${cli.base}/.well-known/oauth-protected-resource/mcp`, { method: 'GET' })).text) as Record<string, unknown>;
    assert.equal(doc.resource, 'https://mcp.example.com/mcp');
    const res = await rawRequest(cli.url, { headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
    assert.equal(res.status, 401);
    assert.match(res.headers['www-authenticate']!, /resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"/);
    const token = await fullToken();
    assert.equal((await rawRequest(cli.url, { headers: bearer(token), body: JSON.stringify(INITIALIZE) })).status, 401, 'a token for another audience (the test server) is refused');
  } finally {
    await cli.stop();
  }
  const both = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0', '--auth-token', 'static-secret', '--oauth-issuer', authServer.issuer, '--oauth-audience', audience], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  both.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(both, 'exit')) as [number];
  assert.equal(code, 1);
  assert.match(stderr, /--auth-token .* and OAuth .* are exclusive/);
});

test("a session is bound to who opened it: another client's valid token cannot use its id", async () => {
  const owner = await session(await fullToken('tools:search'));
  const other = await authServer.clientCredentialsToken(CLIENTS.searchOnly, { resource: audience, scope: 'tools:search' });
  const hijack = await rawRequest(serving.url, { headers: { ...owner, authorization: `Bearer ${other}` }, body: toolCall('search_tools', { query: 'item' }) });
  assert.equal(hijack.status, 404);
  const again = await rawRequest(serving.url, { headers: { ...owner, authorization: `Bearer ${await fullToken('tools:search')}` }, body: toolCall('search_tools', { query: 'item' }) });
  assert.equal(again.status, 200, 'the same client with a fresh token keeps its session');
});
