// Hybrid ranking: BM25 and cosine on one scale, mixed by weight; named tools still first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbeddingProvider } from '../../src/search/embedding-provider.js';
import { mixScores, topPositions } from '../../src/search/hybrid-rank.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-6, `${a} ≈ ${b}`);

test('BM25 is divided by its maximum, cosines spread from their minimum to their maximum, then mixed', () => {
  const mixed = mixScores(3, new Map([[0, 4], [1, 2]]), Float32Array.from([0.2, 0.6, 1.0]), 'hybrid', 0.25);
  close(mixed[0], 0.75 * 1 + 0.25 * 0);
  close(mixed[1], 0.75 * 0.5 + 0.25 * 0.5);
  close(mixed[2], 0.25 * 1);
});

test('one signal alone in bm25 and vector modes; a flat cosine adds nothing', () => {
  const bm25 = new Map([[0, 4], [1, 2]]);
  const cosines = Float32Array.from([0.2, 0.6, 1.0]);
  const rounded = (a: Float64Array) => [...a].map((x) => Number(x.toFixed(6)));
  assert.deepEqual(rounded(mixScores(3, bm25, cosines, 'bm25', 0.5)), [1, 0.5, 0]);
  assert.deepEqual(rounded(mixScores(3, bm25, cosines, 'vector', 0.5)), [0, 0.5, 1]);
  assert.deepEqual(rounded(mixScores(3, bm25, Float32Array.from([0.3, 0.3, 0.3]), 'hybrid', 0.5)), [0.5, 0.25, 0]);
  assert.deepEqual(rounded(mixScores(2, new Map(), undefined, 'hybrid', 0.5)), [0, 0]);
});

test('the top positions come best first, ties to the earlier position, zeros never', () => {
  const scores = Float64Array.from([0.5, 0, 0.9, 0.5, 0.1, 0.9]);
  assert.deepEqual(topPositions(scores, 3), [2, 5, 0]);
  assert.deepEqual(topPositions(scores, 10), [2, 5, 0, 3, 4]);
  assert.deepEqual(topPositions(scores, 0), []);
});

/** Vectors by topic: payments, weather, code; a word of no topic embeds to zeros. */
const TOPICS = [['pay', 'money', 'refund', 'charge'], ['weather', 'rain', 'forecast'], ['issue', 'bug', 'pull']];
const topicProvider: EmbeddingProvider & { embedSync(texts: string[]): Float32Array[] } = {
  id: 'test:topics',
  dimensions: 3,
  embedSync: (texts) => texts.map((t) => Float32Array.from(TOPICS.map((words) => words.filter((w) => t.toLowerCase().includes(w)).length))),
  embed: async (texts) => topicProvider.embedSync(texts),
};

const tools = [
  tool({ name: 'refunds_create', summary: 'Return a charge to the customer' }),
  tool({ name: 'forecast_get', summary: 'Weather for a city' }),
  tool({ name: 'issues_create', summary: 'Create an issue' }),
  tool({ name: 'issues_list', summary: 'List issues' }),
];
const names = (hits: Array<{ entry: { name: string } }>) => hits.map((h) => h.entry.name);

test('vectors find what shares no word with the query; BM25 alone does not', async () => {
  const index = await buildSearchIndex(tools, { embeddings: topicProvider });
  assert.deepEqual(names(searchTools(index, 'will it rain tomorrow', 4, { mode: 'bm25' })), []);
  assert.equal(names(searchTools(index, 'will it rain tomorrow', 4))[0], 'forecast_get');
  assert.equal(names(searchTools(index, 'give the money back', 4))[0], 'refunds_create');
});

test('in the mix, the words decide between tools of the same topic', async () => {
  const index = await buildSearchIndex(tools, { embeddings: topicProvider });
  assert.deepEqual(names(searchTools(index, 'list issues', 2)), ['issues_list', 'issues_create']);
  assert.deepEqual(names(searchTools(index, 'create an issue', 2)), ['issues_create', 'issues_list']);
});

test('a named tool ranks first in hybrid mode too, whatever the vectors say', async () => {
  const index = await buildSearchIndex(tools, { embeddings: topicProvider });
  assert.equal(names(searchTools(index, 'weather forecast via issues_list', 1))[0], 'issues_list');
  assert.equal(names(searchTools(index, 'refunds_create for the rain', 1, { mode: 'vector' }))[0], 'refunds_create');
});

test('the vector weight moves the ranking between the two signals', async () => {
  const index = await buildSearchIndex(tools, { embeddings: topicProvider });
  // BM25 favours issues_list (the word "list"); the topic favours the refund.
  const query = 'list refund money charge pay';
  assert.equal(names(searchTools(index, query, 1, { vectorWeight: 0 }))[0], searchTools(index, query, 1, { mode: 'bm25' })[0]?.entry.name);
  assert.equal(names(searchTools(index, query, 1, { vectorWeight: 1 }))[0], 'refunds_create');
});

test('an index without a provider is BM25 only, synchronously', async () => {
  const index = await buildSearchIndex(tools);
  assert.equal(index.vectors, undefined);
  assert.deepEqual(names(searchTools(index, 'will it rain tomorrow', 4)), []);
});
