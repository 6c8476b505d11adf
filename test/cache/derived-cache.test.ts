// Values derived from a tool set (Code Mode's codegen plan) through the disk cache: built once, read back
// by the next start on the same documents (the build is not called), rebuilt when a document changes,
// and never cached with --no-cache; a corrupt entry is rebuilt, never fatal.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { planCodegen } from '../../src/codegen/codegen-plan.js';
import { DEFAULT_EXEC_LIMITS } from '../../src/config-types.js';
import { createLogger } from '../../src/log.js';
import { openToolshed, type Toolshed } from '../../src/toolshed.js';

const log = createLogger('error');
const open = (source: string, cacheDir: string | false) => openToolshed({ openapi: [{ openapi: source, namespace: 'pets' }], embeddings: { provider: 'none' }, limits: DEFAULT_EXEC_LIMITS, cacheDir }, log);
const neverBuilt = (): never => assert.fail('built again: the cached value was not used');
const planOf = (t: Toolshed) => planCodegen([...t.registry.byId.values()]);

test('a derived value is read back by the next start, rebuilt when the document changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-derived-'));
  const source = join(dir, 'petstore.json');
  copyFileSync('catalogs/petstore.json', source);
  const cacheDir = join(dir, 'cache');

  const first = await open(source, cacheDir);
  const built = await first.derived('codegen-plan', () => planOf(first));
  await first.close();
  assert.equal(readdirSync(join(cacheDir, 'codegen-plan')).length, 1);

  const second = await open(source, cacheDir);
  const read = await second.derived('codegen-plan', neverBuilt);
  assert.deepEqual(read, built, 'the plan read back is the plan built (Maps, Sets and all)');
  assert.deepEqual(read, planOf(second));
  await second.close();

  const document = JSON.parse(readFileSync(source, 'utf8'));
  document.info.description = 'edited';
  writeFileSync(source, JSON.stringify(document));
  const edited = await open(source, cacheDir);
  let rebuilt = 0;
  await edited.derived('codegen-plan', () => (rebuilt++, planOf(edited)));
  assert.equal(rebuilt, 1, 'an edited document is a miss');
  await edited.close();
});

test('with --no-cache nothing is stored; a corrupt entry is rebuilt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-derived-'));
  const uncached = await open('catalogs/petstore.json', false);
  let builds = 0;
  await uncached.derived('codegen-plan', () => ++builds);
  await uncached.derived('codegen-plan', () => ++builds);
  assert.equal(builds, 2);
  await uncached.close();

  const cacheDir = join(dir, 'cache');
  const first = await open('catalogs/petstore.json', cacheDir);
  await first.derived('codegen-plan', () => ({ value: 1 }));
  await first.close();
  for (const file of readdirSync(join(cacheDir, 'codegen-plan'))) writeFileSync(join(cacheDir, 'codegen-plan', file), 'garbage');
  const second = await open('catalogs/petstore.json', cacheDir);
  assert.deepEqual(await second.derived('codegen-plan', () => ({ value: 2 })), { value: 2 });
  await second.close();
});
