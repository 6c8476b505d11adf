// Tool vectors cached on disk: a second index over the same tools and provider embeds nothing, a
// changed catalog or provider misses, and a broken cache costs a recomputation, never a failure.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EmbeddingProvider } from '../../src/search/embedding-provider.js';
import { buildSearchIndex } from '../../src/search/search-index.js';
import { vectorKey } from '../../src/search/tool-vectors.js';
import { createDiskVectorStore, defaultVectorCacheDir } from '../../src/search/vector-cache.js';
import { tool } from './tool-fixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-vectors-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Counts the texts it is asked to embed. */
function countingProvider(id = 'test:counting'): EmbeddingProvider & { calls: number[] } {
  const calls: number[] = [];
  return {
    id,
    dimensions: 4,
    calls,
    embed: async (texts) => {
      calls.push(texts.length);
      return texts.map((t) => Float32Array.from([t.length, 1, t.charCodeAt(0) || 0, 2]));
    },
  };
}

const tools = [tool({ name: 'issues_create', summary: 'Create an issue' }), tool({ name: 'pulls_merge', summary: 'Merge a pull request' })];

test('a second build reads the vectors back instead of embedding again', async () => {
  const vectorStore = createDiskVectorStore({ dir: join(tempDir(), 'nested', 'cache') });
  const provider = countingProvider();
  const first = await buildSearchIndex(tools, { embeddings: provider, vectorStore });
  const second = await buildSearchIndex(tools, { embeddings: provider, vectorStore });
  assert.deepEqual(provider.calls, [2], 'embedded once, for both tools');
  assert.deepEqual(second.vectors, first.vectors);
});

test('another catalog or another provider does not reuse the vectors', async () => {
  const vectorStore = createDiskVectorStore({ dir: tempDir() });
  const provider = countingProvider();
  await buildSearchIndex(tools, { embeddings: provider, vectorStore });
  await buildSearchIndex([...tools, tool({ name: 'gists_star', summary: 'Star a gist' })], { embeddings: provider, vectorStore });
  const other = countingProvider('test:other-model');
  await buildSearchIndex(tools, { embeddings: other, vectorStore });
  assert.deepEqual(provider.calls, [2, 3]);
  assert.deepEqual(other.calls, [2]);
  assert.notEqual(vectorKey('a', ['x']), vectorKey('b', ['x']));
  assert.notEqual(vectorKey('a', ['x', 'y']), vectorKey('a', ['xy']), 'texts are delimited in the key');
});

test('a corrupt cache file is recomputed; an unwritable cache only warns', async () => {
  const dir = tempDir();
  const provider = countingProvider();
  await buildSearchIndex(tools, { embeddings: provider, vectorStore: createDiskVectorStore({ dir }) });
  const [file] = readdirSync(dir);
  writeFileSync(join(dir, file!), 'garbage');
  await buildSearchIndex(tools, { embeddings: provider, vectorStore: createDiskVectorStore({ dir }) });
  assert.deepEqual(provider.calls, [2, 2]);

  const blocker = join(tempDir(), 'a-file');
  writeFileSync(blocker, '');
  const warnings: string[] = [];
  const index = await buildSearchIndex(tools, { embeddings: provider, vectorStore: createDiskVectorStore({ dir: join(blocker, 'sub'), warn: (m) => warnings.push(m) }) });
  assert.ok(index.vectors, 'the vectors are used anyway');
  assert.equal(warnings.length, 1);
});

test('only the newest cache files are kept', async () => {
  const dir = tempDir();
  const store = createDiskVectorStore({ dir, maxFiles: 2 });
  for (const [i, key] of ['a', 'b', 'c'].entries()) {
    await store.save(key, [Float32Array.from([i])]);
    // mtime resolution can be coarse: date the files apart explicitly.
    utimesSync(join(dir, `${key}.vec`), 1_000 + i, 1_000 + i);
  }
  await store.save('d', [Float32Array.from([3])]);
  assert.deepEqual(readdirSync(dir).sort(), ['c.vec', 'd.vec']);
  assert.deepEqual(await store.load('d'), [Float32Array.from([3])]);
  assert.equal(await store.load('a'), undefined);
});

test('the default cache lives under XDG_CACHE_HOME or ~/.cache', () => {
  assert.equal(defaultVectorCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/toolshed/vectors');
  assert.match(defaultVectorCacheDir({}), /\.cache\/toolshed\/vectors$/);
});
