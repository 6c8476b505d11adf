// The host's view of its secrets apart from one request: every configured value, for Code Mode's last
// redaction pass, and the start-up warning for credentials sent in clear text to another machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../src/catalog/load-openapi.js';
import { configuredSecrets, plainHttpCredentialWarnings } from '../../src/exec/credential-exposure.js';
import { httpTool } from './recording-server.js';

const env = { TOKEN: 'tok-1234', USER: 'ann', PASS: 'pw-5678', EMPTY: '' };

test('configured secrets: every named env var that is set, and basic pairs', () => {
  const secrets = configuredSecrets([{ a: { env: 'TOKEN' }, b: { usernameEnv: 'USER', passwordEnv: 'PASS' }, c: { env: 'EMPTY' }, d: { env: 'UNSET' } }, undefined], env);
  assert.deepEqual(secrets.sort(), ['ann', 'ann:pw-5678', 'pw-5678', 'tok-1234'].sort());
});

const catalog = (url: string): Catalog => ({
  namespace: 'shop',
  title: 'Shop',
  source: 'shop.json',
  securitySchemes: {},
  tools: [httpTool('shop.list', { method: 'GET', path: '/items', servers: [{ url }], parameters: [] })],
});

test('credentials over plain http to another host are warned about; https and loopback are not', () => {
  const source = { openapi: 'shop.json', credentials: { token: { env: 'TOKEN' } } };
  const [warning, ...rest] = plainHttpCredentialWarnings(source, catalog('http://api.example.com/v1'), env);
  assert.match(warning ?? '', /catalog "shop": credentials .* http:\/\/api\.example\.com over plain HTTP/);
  assert.deepEqual(rest, []);
  for (const url of ['https://api.example.com', 'http://127.0.0.1:4010', 'http://localhost:8080', 'http://[::1]:9000']) {
    assert.deepEqual(plainHttpCredentialWarnings(source, catalog(url), env), [], url);
  }
  // The override decides where requests go.
  assert.equal(plainHttpCredentialWarnings({ ...source, server: 'http://10.0.0.5' }, catalog('https://api.example.com'), env).length, 1);
  // No credential value set: nothing is sent, nothing to warn about.
  assert.deepEqual(plainHttpCredentialWarnings({ ...source, credentials: { token: { env: 'UNSET' } } }, catalog('http://api.example.com'), env), []);
});
