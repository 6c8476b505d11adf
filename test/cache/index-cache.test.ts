// The search index's parts through the disk cache: they round-trip exactly (same postings, same
// producer graph, same vectors, same ranking); an entry that does not fit the tools, or is not an index at all, is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { decodeIndexParts, encodeIndexParts, indexCacheKey } from '../../src/search/index-cache.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';

test('postings, producers and vectors round-trip, and the rebuilt index ranks exactly as the original', async () => {
  const { tools } = await loadOpenApiCatalog({ source: 'catalogs/petstore.json', namespace: 'pets' });
  const embeddings = createBuiltinEmbeddings();
  const built = await buildSearchIndex(tools, { embeddings });
  const parts = decodeIndexParts(encodeIndexParts(built), tools.length);
  assert.ok(parts?.vectors);
  assert.deepEqual(new Map([...parts.postings].map(([t, p]) => [t, [[...p.docs], [...p.scores]]])), new Map([...built.postings].map(([t, p]) => [t, [[...p.docs], [...p.scores]]])));
  assert.deepEqual([...parts.vectors.matrix], [...built.vectors!.matrix]);
  assert.ok(Object.keys(built.producers.needs).length > 0, 'petstore has tools that need a looked-up id');
  assert.deepEqual(parts.producers, built.producers);
  const restored = await buildSearchIndex(tools, { embeddings, prebuilt: parts });
  for (const query of ['find pets by status', 'place an order', 'delete a user', 'upload an image']) {
    assert.deepEqual(
      searchTools(restored, query, 5).map((h) => [h.entry.id, h.score]),
      searchTools(built, query, 5).map((h) => [h.entry.id, h.score]),
      query,
    );
  }
});

test('an entry for other tools or of another shape is refused', async () => {
  const { tools } = await loadOpenApiCatalog({ source: 'catalogs/petstore.json', namespace: 'pets' });
  const bytes = encodeIndexParts(await buildSearchIndex(tools, { embeddings: createBuiltinEmbeddings() }));
  assert.equal(decodeIndexParts(bytes, tools.length - 1), undefined, 'fewer tools than the postings name');
  assert.equal(decodeIndexParts(bytes, tools.length + 1), undefined, 'the vectors do not cover every tool');
  assert.equal(decodeIndexParts(serialize({ terms: 'nope' }), tools.length), undefined);
  const { producers: _dropped, ...withoutProducers } = deserialize(bytes) as Record<string, unknown>;
  assert.equal(decodeIndexParts(serialize(withoutProducers), tools.length), undefined, 'an entry without the producer graph (an older format)');
  assert.equal(decodeIndexParts(Buffer.from('not v8 at all'), tools.length), undefined);
  assert.ok(decodeIndexParts(encodeIndexParts(await buildSearchIndex(tools)), tools.length), 'a BM25-only index has no vectors and is fine');
});

test('the key changes with any catalog digest, their order, or the provider', () => {
  const base = indexCacheKey(['a:1', 'b:2'], 'builtin:x');
  assert.notEqual(indexCacheKey(['a:1', 'b:3'], 'builtin:x'), base);
  assert.notEqual(indexCacheKey(['b:2', 'a:1'], 'builtin:x'), base);
  assert.notEqual(indexCacheKey(['a:1', 'b:2'], 'bm25'), base);
  assert.equal(indexCacheKey(['a:1', 'b:2'], 'builtin:x'), base);
});
