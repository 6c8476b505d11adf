// OAuth settings from the config file and the flags: merged (flags win), defaults filled, and every
// mistake refused with a message that says what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readConfigFile } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { CLOCK_SKEW_S_DEFAULT, resolveOAuthOptions } from '../../src/server/oauth/oauth-options.js';
import { metadataUrls } from '../../src/server/oauth/issuer-metadata.js';

function configFile(json: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'toolshed-oauth-')), 'toolshed.config.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

test('the config block is read, the flags override it, the defaults fill the rest', async () => {
  const config = await readConfigFile(configFile({ oauth: { issuer: 'https://login.example.com/realms/a', audience: 'https://mcp.example.com/mcp', scopes: { run_code: 'tools:code' }, catalogScopes: { github: 'catalog:github' } } }));
  const options = resolveOAuthOptions(config.oauth, { issuer: 'https://other.example.com' }, {})!;
  assert.equal(options.issuer, 'https://other.example.com');
  assert.equal(options.audience, 'https://mcp.example.com/mcp');
  assert.deepEqual(options.scopes, { search_tools: 'tools:search', describe_tools: 'tools:search', execute_tool: 'tools:call', run_code: 'tools:code' });
  assert.deepEqual(options.catalogScopes, { github: 'catalog:github' });
  assert.equal(options.clockSkewS, CLOCK_SKEW_S_DEFAULT);
  assert.equal(resolveOAuthOptions(undefined, {}, {}), undefined, 'nothing configured: OAuth off');
});

test('mistakes are refused with what to do', async () => {
  const refuses = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
  refuses(() => resolveOAuthOptions(undefined, { issuer: 'https://login.example.com' }, {}), /--oauth-issuer needs --oauth-audience URL/);
  refuses(() => resolveOAuthOptions(undefined, { audience: 'https://mcp.example.com/mcp' }, {}), /--oauth-audience needs --oauth-issuer/);
  refuses(() => resolveOAuthOptions(undefined, { issuer: 'login.example.com', audience: 'https://mcp.example.com/mcp' }, {}), /--oauth-issuer expects an http\(s\) URL/);
  refuses(() => resolveOAuthOptions(undefined, { issuer: 'https://login.example.com', audience: 'https://mcp.example.com/mcp#x' }, {}), /must not have a #fragment/);
  refuses(
    () => resolveOAuthOptions({ issuer: 'https://a.example.com', audience: 'https://b.example.com/mcp', introspection: { clientId: 'rs', clientSecretEnv: 'NOT_SET_ANYWHERE' } }, {}, {}),
    /NOT_SET_ANYWHERE, which is not set/,
  );
  await assert.rejects(readConfigFile(configFile({ oauth: { issuer: 'https://a.example.com', audience: 'https://b.example.com/mcp', clientSecret: 'pasted' } })), /oauth: Unrecognized key/);
  await assert.rejects(readConfigFile(configFile({ oauth: { issuer: 'https://a.example.com', audience: 'https://b.example.com/mcp', scopes: { search_tools: 'has space' } } })), /oauth\.scopes\.search_tools/);
});

test('issuer metadata is looked for where RFC 8414 and OpenID Connect put it, paths included', () => {
  assert.deepEqual(metadataUrls('https://login.example.com'), ['https://login.example.com/.well-known/oauth-authorization-server', 'https://login.example.com/.well-known/openid-configuration']);
  assert.deepEqual(metadataUrls('https://login.example.com/realms/eng/'), [
    'https://login.example.com/.well-known/oauth-authorization-server/realms/eng',
    'https://login.example.com/realms/eng/.well-known/openid-configuration',
    'https://login.example.com/.well-known/openid-configuration/realms/eng',
  ]);
});
