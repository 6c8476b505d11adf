// `toolshed check`: the report per document and the exit code, through the real bin.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { BIN } from '../helpers/mcp-client.js';

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'check', ...args], { encoding: 'utf8', timeout: 120_000 });

test('a report per document: served, open schemas, skipped with reasons, namespace, auth, servers, encodings', () => {
  const r = run('test/fixtures/openapi/tolerant/broken-parts.yaml', 'stripe=test/fixtures/openapi/stripe.com.json.br');
  assert.equal(r.status, 0, r.stderr);
  const [shop, stripe] = r.stdout.split('\n\n');
  assert.match(shop!, /namespace: shop_orders \(from the title "Shop Orders API"\)/);
  assert.match(shop!, /operations: 6 served, 3 of them with open schemas, 1 skipped\n    skipped #\/paths\/~1customers: broken \$ref "#\/components\/pathItems\/Customers"/);
  assert.match(shop!, /\[open_schema\] #\/paths\/~1orders\/post\/requestBody\/content\/application~1json\/schema: external \$ref cannot be resolved/);
  assert.match(stripe!, /namespace: stripe \(given\)/);
  assert.match(stripe!, /operations: 452 served, 0 of them with open schemas, 0 skipped/);
  assert.match(stripe!, /auth: basicAuth \(HTTP basic\): not configured; bearerAuth \(HTTP bearer\): not configured/);
  assert.match(stripe!, /request encodings: application\/x-www-form-urlencoded \(451\), body deepObject \(215\), query deepObject \(213\)/);
  assert.match(r.stdout, /2 document\(s\): 2 loaded, 0 failed, 1 with warnings\n$/);
});

test('exit code 1 when a document cannot be loaded, or with --strict on warnings', () => {
  const missing = run('test/fixtures/openapi/tolerant/vendor-extension.yaml', 'test/fixtures/openapi/tolerant/none.yaml');
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /none\.yaml\n  error: not loaded: .*cannot read the file/);
  assert.equal(run('test/fixtures/openapi/tolerant/vendor-extension.yaml', '--strict').status, 0, 'clean documents pass --strict');
  assert.equal(run('test/fixtures/openapi/tolerant/broken-parts.yaml', '--strict').status, 1);
});
