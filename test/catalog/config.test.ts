import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseOpenApiFlag, readConfigFile } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'toolshed-config-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

test('a config file resolves paths against its folder and merges limits over the defaults', async () => {
  const config = await readConfigFile(write('ok.json', {
    catalogs: { github: { openapi: 'specs/github.json', server: 'http://127.0.0.1:4010', credentials: { default: { type: 'bearer', env: 'GITHUB_TOKEN' } }, limits: { timeoutMs: 500 } } },
    limits: { maxResponseTokens: 4000 },
  }));
  assert.deepEqual(config.openapi, [{ namespace: 'github', openapi: join(dir, 'specs/github.json'), server: 'http://127.0.0.1:4010', credentials: { default: { type: 'bearer', env: 'GITHUB_TOKEN' } }, limits: { timeoutMs: 500 } }]);
  assert.deepEqual(config.limits, { timeoutMs: 30000, maxResponseTokens: 4000 });
});

test('config mistakes are reported with their path', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{"catalogs": ', /not valid JSON/],
    [{ catalogs: { github: { openapi: 'x.json', credentials: { default: { value: 'ghp_secret' } } } } }, /catalogs\.github\.credentials\.default: "value" is not a credentials field: a secret never goes in the config file\. Put it in an environment variable and name the variable: \{ "env": "MY_TOKEN" \}/],
    [{ catalogs: { 'git-hub': { openapi: 'x.json' } } }, /a namespace is an identifier/],
    [{ catalogs: { github: { openapi: 'x.json', server: 'not a url' } } }, /catalogs\.github\.server: Invalid url/],
    [{ catalogs: { github: {} } }, /catalogs\.github\.openapi: Required/],
    [{ limits: { timeoutMs: -1 } }, /limits\.timeoutMs/],
  ];
  for (const [i, [content, message]] of cases.entries()) {
    await assert.rejects(readConfigFile(write(`bad-${i}.json`, content)), (e: unknown) => e instanceof ConfigError && message.test(e.message));
  }
  await assert.rejects(readConfigFile(join(dir, 'missing.json')), /cannot read config file/);
});

test('--openapi takes an optional NAME= prefix, and URLs stay whole', () => {
  assert.deepEqual(parseOpenApiFlag('github=catalogs/github.json.br'), { namespace: 'github', openapi: 'catalogs/github.json.br' });
  assert.deepEqual(parseOpenApiFlag('https://example.com/openapi.json?a=b'), { openapi: 'https://example.com/openapi.json?a=b' });
  assert.deepEqual(parseOpenApiFlag('spec.yaml'), { openapi: 'spec.yaml' });
});
