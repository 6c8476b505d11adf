// Catalogs from the disk cache: a second load of an unchanged document is a hit equal to a fresh parse;
// an edited document, another toolshed version or a corrupt entry is a miss that rebuilds; documents
// that reference other files are never cached; and the CLI's --cache-dir / --no-cache do what they say.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { createDiskCache } from '../../src/cache/disk-cache.js';
import { hasExternalRef, loadCatalogCached } from '../../src/catalog/cached-catalog.js';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { BIN } from '../helpers/mcp-client.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-catalog-cache-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of petstore in a fresh folder, so a test may edit it. */
function petstoreCopy(): string {
  const file = join(tempDir(), 'petstore.json');
  copyFileSync('catalogs/petstore.json', file);
  return file;
}

async function loadTwice(source: string, cache = createDiskCache({ dir: tempDir(), version: 'test' })) {
  let hits = 0;
  const first = await loadCatalogCached({ source, namespace: 'pets' }, cache, () => hits++);
  const second = await loadCatalogCached({ source, namespace: 'pets' }, cache, () => hits++);
  return { first, second, hits, cache };
}

test('an unchanged document is read back from the cache, equal to a fresh parse', async () => {
  const source = petstoreCopy();
  const { second, hits } = await loadTwice(source);
  assert.equal(hits, 1, 'the second load was a hit');
  assert.deepEqual(second, await loadOpenApiCatalog({ source, namespace: 'pets' }));
});

test('the bundled GitHub catalog round-trips exactly, shared schemas still shared', async () => {
  const source = 'catalogs/github.json.br';
  const { first, second, hits } = await loadTwice(source);
  assert.equal(hits, 1);
  assert.deepEqual(second, first);
  const sharing = (tools: typeof first.tools) => new Set(tools.flatMap((t) => Object.values(t.input.defs))).size;
  assert.equal(sharing(second.tools), sharing(first.tools), 'a def shared by several tools is one object after the round trip');
});

test('an edited document, another namespace or another version misses', async () => {
  const source = petstoreCopy();
  const { cache } = await loadTwice(source);
  let hits = 0;
  await loadCatalogCached({ source, namespace: 'other' }, cache, () => hits++);
  const doc = JSON.parse(readFileSync(source, 'utf8'));
  doc.info.title = 'Edited';
  writeFileSync(source, JSON.stringify(doc));
  const edited = await loadCatalogCached({ source, namespace: 'pets' }, cache, () => hits++);
  assert.equal(edited.title, 'Edited');
  await loadCatalogCached({ source, namespace: 'pets' }, createDiskCache({ dir: cache.dir!, version: 'newer' }), () => hits++);
  assert.equal(hits, 0);
});

test('a corrupt entry is rebuilt, not fatal', async () => {
  const source = petstoreCopy();
  const { cache } = await loadTwice(source);
  const folder = join(cache.dir!, 'catalog');
  const [file] = readdirSync(folder);
  const bytes = readFileSync(join(folder, file!));
  writeFileSync(join(folder, file!), bytes.subarray(0, bytes.length >> 1));
  let hits = 0;
  const rebuilt = await loadCatalogCached({ source, namespace: 'pets' }, cache, () => hits++);
  assert.equal(hits, 0);
  assert.equal(rebuilt.tools.length, 20);
  await loadCatalogCached({ source, namespace: 'pets' }, cache, () => hits++);
  assert.equal(hits, 1, 'the rebuilt entry was written back');
});

test('a document that references another file is not cached (its bytes do not say what changed)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'pet.json'), JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } }));
  const doc = {
    openapi: '3.0.3',
    info: { title: 'Refs', version: '1' },
    paths: { '/pets': { get: { operationId: 'listPets', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: './pet.json' } } } } } } } },
  };
  writeFileSync(join(dir, 'api.json'), JSON.stringify(doc));
  const { hits, cache } = await loadTwice(join(dir, 'api.json'));
  assert.equal(hits, 0);
  assert.equal(existsSync(join(cache.dir!, 'catalog')), false);
});

test('a path that ends in $ref (OData, as in Microsoft Graph) is no external reference: the document is cached', async () => {
  const dir = tempDir();
  const doc = {
    openapi: '3.0.3',
    info: { title: 'OData', version: '1' },
    paths: { '/users/{id}/manager/$ref': { get: { operationId: 'getManagerRef', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } } },
  };
  writeFileSync(join(dir, 'api.json'), JSON.stringify(doc));
  const { hits } = await loadTwice(join(dir, 'api.json'));
  assert.equal(hits, 1);
});

test('external references are told from internal ones and from keys that only contain $ref', () => {
  // (Prose such as `see $ref: x` in a description still counts as one: a miss costs only a re-parse.)
  const external = ['{"schema":{"$ref":"./pet.json"}}', '{"schema": {"$ref" : "https://example.com/pet.json#/Pet"}}', 'schema:\n  $ref: ./pet.yaml\n', "schema:\n  - '$ref': 'other.yaml#/Pet'\n"];
  const internal = ['{"schema":{"$ref":"#/components/schemas/Pet"}}', 'schema:\n  $ref: "#/components/schemas/Pet"\n', '{"/users/{id}/manager/$ref":{"get":{}}}'];
  for (const text of external) assert.equal(hasExternalRef(Buffer.from(text)), true, text);
  for (const text of internal) assert.equal(hasExternalRef(Buffer.from(text)), false, text);
});

test('toolshed search: --cache-dir is used (a second run reads catalog and index), a corrupt index is rebuilt, --no-cache writes nothing', async () => {
  const run = promisify(execFile);
  const xdg = tempDir();
  const cacheDir = join(tempDir(), 'cache');
  const args = [BIN, 'search', 'find pets by status', '--openapi', `pets=${petstoreCopy()}`, '--log-level', 'info'];
  const env = { ...process.env, XDG_CACHE_HOME: xdg };
  const cold = await run(process.execPath, [...args, '--cache-dir', cacheDir], { env });
  const warm = await run(process.execPath, [...args, '--cache-dir', cacheDir], { env });
  assert.doesNotMatch(cold.stderr, /"msg":"catalog read from the cache"/);
  assert.match(warm.stderr, /"msg":"catalog read from the cache"/);
  assert.match(cold.stderr, /"cached":false,"ms":\d+,"msg":"search index built"/);
  assert.match(warm.stderr, /"cached":true,"ms":\d+,"msg":"search index built"/);
  assert.equal(warm.stdout, cold.stdout);
  assert.ok(readdirSync(join(cacheDir, 'catalog')).length > 0);
  // A corrupt index entry is rebuilt (and the answer is the same).
  const [indexFile] = readdirSync(join(cacheDir, 'index'));
  writeFileSync(join(cacheDir, 'index', indexFile!), 'garbage');
  const rebuilt = await run(process.execPath, [...args, '--cache-dir', cacheDir], { env });
  assert.match(rebuilt.stderr, /"cached":false,"ms":\d+,"msg":"search index built"/);
  assert.equal(rebuilt.stdout, cold.stdout);
  const none = await run(process.execPath, [...args, '--no-cache'], { env });
  assert.doesNotMatch(none.stderr, /"msg":"catalog read from the cache"/);
  assert.equal(none.stdout, cold.stdout);
  assert.deepEqual(readdirSync(xdg), [], 'nothing was written to the default folder ($XDG_CACHE_HOME/toolshed)');
  await run(process.execPath, args, { env });
  assert.ok(readdirSync(join(xdg, 'toolshed', 'catalog')).length > 0, 'without a flag the default folder is used');
});
