// The generic disk cache: what is put comes back; a corrupt, truncated or other-version entry is a
// miss (never a throw); writes are atomic and pruned; `false` turns it off; keys cannot leave the folder.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheKey, createDiskCache, defaultCacheDir, toolshedVersion } from '../../src/cache/disk-cache.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-cache-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const entryFile = (dir: string, kind: string) => {
  const [name] = readdirSync(join(dir, kind)).filter((n) => n.endsWith('.bin'));
  assert.ok(name, `an entry of kind ${kind} was written`);
  return join(dir, kind, name);
};

test('what is put comes back, bytes and strings alike', async () => {
  const cache = createDiskCache({ dir: join(tempDir(), 'nested'), version: '1.0.0' });
  await cache.put('catalog', 'abc', Buffer.from([1, 2, 3, 255]));
  await cache.put('declarations', 'github', 'declare namespace github {}');
  assert.deepEqual([...(await cache.get('catalog', 'abc'))!], [1, 2, 3, 255]);
  assert.equal((await cache.get('declarations', 'github'))!.toString('utf8'), 'declare namespace github {}');
  assert.equal(await cache.get('catalog', 'other'), undefined);
  assert.equal(await cache.get('declarations', 'abc'), undefined, 'kinds are separate');
});

test('an entry written by another version is a miss, and the rebuild replaces it', async () => {
  const dir = tempDir();
  await createDiskCache({ dir, version: '1.0.0' }).put('catalog', 'k', 'old');
  const newer = createDiskCache({ dir, version: '1.1.0' });
  assert.equal(await newer.get('catalog', 'k'), undefined);
  await newer.put('catalog', 'k', 'new');
  assert.equal((await newer.get('catalog', 'k'))!.toString(), 'new');
  assert.equal(readdirSync(join(dir, 'catalog')).length, 1, 'one file per key, whatever the version');
});

test('corrupt and truncated entries are misses, never errors', async () => {
  const dir = tempDir();
  const cache = createDiskCache({ dir, version: '1' });
  await cache.put('catalog', 'k', 'x'.repeat(1000));
  const file = entryFile(dir, 'catalog');
  const good = readFileSync(file);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 10]! ^= 0xff;
  for (const bad of [flipped, good.subarray(0, good.length - 1), Buffer.from('garbage'), Buffer.alloc(0)]) {
    writeFileSync(file, bad);
    assert.equal(await cache.get('catalog', 'k'), undefined);
  }
  await cache.put('catalog', 'k', 'rebuilt');
  assert.equal((await cache.get('catalog', 'k'))!.toString(), 'rebuilt');
});

test('a failed write is a warning, not a failure', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'catalog'), 'a file where the folder should be');
  const warnings: string[] = [];
  const cache = createDiskCache({ dir, version: '1', warn: (m) => warnings.push(m) });
  await cache.put('catalog', 'b', 'two');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /could not write the cache entry .*the next start rebuilds it/);
  assert.equal(await cache.get('catalog', 'b'), undefined);
});

test('old entries beyond the limit are pruned, newest kept', async () => {
  const dir = tempDir();
  const cache = createDiskCache({ dir, version: '1', maxEntriesPerKind: 2 });
  await cache.put('catalog', 'first', '1');
  await cache.put('catalog', 'second', '2');
  utimesSync(join(dir, 'catalog', 'first.bin'), new Date(0), new Date(0));
  await cache.put('catalog', 'third', '3');
  const left = readdirSync(join(dir, 'catalog'));
  assert.equal(left.length, 2);
  assert.deepEqual(left.sort(), ['second.bin', 'third.bin'], 'the oldest entry went');
  assert.equal((await cache.get('catalog', 'third'))!.toString(), '3');
});

test('keys and kinds cannot name a path outside the folder', async () => {
  const root = tempDir();
  const dir = join(root, 'cache');
  const cache = createDiskCache({ dir, version: '1' });
  await cache.put('../escape', '../../evil', 'x');
  assert.deepEqual(readdirSync(root), ['cache']);
  assert.equal((await cache.get('../escape', '../../evil'))!.toString(), 'x');
});

test('dir false turns the cache off: nothing is written, everything misses', async () => {
  const cache = createDiskCache({ dir: false });
  assert.equal(cache.dir, undefined);
  await cache.put('catalog', 'k', 'x');
  assert.equal(await cache.get('catalog', 'k'), undefined);
});

test('the default folder follows XDG_CACHE_HOME, else ~/.cache; keys are stable and distinct', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), join('/x/cache', 'toolshed'));
  assert.match(defaultCacheDir({}), /[/\\]\.cache[/\\]toolshed$/);
  assert.equal(cacheKey('a', Buffer.from('b')), cacheKey('a', 'b'));
  assert.notEqual(cacheKey('ab', 'c'), cacheKey('a', 'bc'));
});

test('the default stamp is the package version plus a fingerprint of the code', () => {
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  assert.match(toolshedVersion(), new RegExp(`^${version.replace(/\./g, '\\.')}\\+[0-9a-f]{12}$`));
  assert.equal(toolshedVersion(), toolshedVersion());
});
