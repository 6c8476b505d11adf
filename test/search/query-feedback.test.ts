// Pseudo-relevance feedback: the query vector moves toward the first pass's best tools, which can
// reorder the tools BM25 knows nothing about.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbeddingProvider } from '../../src/search/embedding-provider.js';
import { feedbackQuery } from '../../src/search/query-feedback.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

const close = (a: Float32Array, b: number[]) => assert.ok(a.length === b.length && b.every((x, d) => Math.abs(a[d]! - x) < 1e-6), `${[...a]} ≈ ${b}`);

test('the query moves by `strength` times the mean of the given tool vectors, and stays unit length', () => {
  const vectors = { dims: 2, matrix: Float32Array.from([0, 1, 0, 1, 1, 0]) };
  close(feedbackQuery(vectors, Float32Array.from([2, 0]), [0, 1], 1), [Math.SQRT1_2, Math.SQRT1_2]);
  close(feedbackQuery(vectors, Float32Array.from([1, 0]), [0, 2], 2), [2 / Math.sqrt(5), 1 / Math.sqrt(5)]);
  close(feedbackQuery(vectors, Float32Array.from([3, 4]), [], 1), [0.6, 0.8]);
  // A query of other dimensions (a misconfigured provider) is left as it is.
  close(feedbackQuery(vectors, Float32Array.from([1, 0, 0]), [0], 1), [1, 0, 0]);
});

/** Each tool's vector by the one topic word in its text; the query vector is given directly. */
const TOPIC_VECTORS: Record<string, number[]> = { alpha: [0.8, 0.6], gamma: [0.6, 0.8], delta: [1, -0.5], omega: [-1, 0] };
const provider: EmbeddingProvider & { embedSync(texts: string[]): Float32Array[] } = {
  id: 'test:feedback',
  dimensions: 2,
  embedSync: (texts) => texts.map((t) => Float32Array.from(Object.entries(TOPIC_VECTORS).find(([w]) => t.includes(w))?.[1] ?? [0, 0])),
  embed: async (texts) => provider.embedSync(texts),
};
const tools = [
  tool({ name: 'alpha_one', summary: 'alpha one' }),
  tool({ name: 'alpha_two', summary: 'alpha two' }),
  tool({ name: 'gamma_tool', summary: 'gamma' }),
  tool({ name: 'delta_tool', summary: 'delta' }),
  // Farthest from everything: the cosine minimum, so the others score above zero.
  tool({ name: 'omega_tool', summary: 'omega' }),
];
const names = (hits: Array<{ entry: { name: string } }>) => hits.map((h) => h.entry.name);

test('feedback ranks the tool nearest the agreed-on hits above the one nearest the bare query', async () => {
  const index = await buildSearchIndex(tools, { embeddings: provider, feedback: { docs: 2 } });
  const queryVector = Float32Array.from([1, 0]);
  // Alone, the query vector is nearer delta (0.89) than gamma (0.6); the two BM25 hits lean toward gamma.
  assert.deepEqual(names(searchTools(index, 'alpha', 4, { queryVector, feedback: false })), ['alpha_one', 'alpha_two', 'delta_tool', 'gamma_tool']);
  assert.deepEqual(names(searchTools(index, 'alpha', 4, { queryVector })), ['alpha_one', 'alpha_two', 'gamma_tool', 'delta_tool']);
});

test('feedback can be turned off per index, and never touches the bm25 and vector modes', async () => {
  const queryVector = Float32Array.from([1, 0]);
  const off = await buildSearchIndex(tools, { embeddings: provider, feedback: false });
  assert.equal(off.feedback, undefined);
  assert.deepEqual(names(searchTools(off, 'alpha', 4, { queryVector })), ['alpha_one', 'alpha_two', 'delta_tool', 'gamma_tool']);
  const on = await buildSearchIndex(tools, { embeddings: provider, feedback: { docs: 2 } });
  assert.deepEqual(names(searchTools(on, 'alpha', 4, { queryVector, mode: 'vector' })), ['delta_tool', 'alpha_one', 'alpha_two', 'gamma_tool']);
  assert.deepEqual(names(searchTools(on, 'alpha', 4, { queryVector, mode: 'bm25' })), ['alpha_one', 'alpha_two']);
});
