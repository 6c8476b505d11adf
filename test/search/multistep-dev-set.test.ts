// The multi-step dev set (test/fixtures/multistep): every step a request needs, in one index of its five
// APIs, the held-out one and GitHub, searched as users get it. A regression floor under the figures
// `npm run bench:search` reports; the goal is recall@10 ≥ 0.85 and hit@5 ≥ 0.95.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { meanMetrics, scoreQuery, type Metrics } from '../../bench/search/metrics.js';
import { readQueries, resolveQueries, scopeOf } from '../../bench/search/query-set.js';
import { loadTools } from '../../bench/search/run-bench.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { buildSearchIndex, searchTools, type SearchIndex } from '../../src/search/search-index.js';

const DEV = ['asana', 'discourse', 'dnd5e', 'airflow', 'traccar'];
const HELD_OUT = 'launchdarkly';
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/multistep/${path}`, import.meta.url));

let tools: ToolEntry[];
let index: SearchIndex;
before(async () => {
  ({ tools } = await loadTools(['github=catalogs/github.json.br', ...[...DEV, HELD_OUT].map((api) => `${api}=${fixture(`specs/${api}.json.br`)}`)], []));
  index = await buildSearchIndex(tools, { embeddings: createBuiltinEmbeddings() });
});

function perQuery(api: string): Metrics[] {
  const file = fixture(`${api}.json`);
  const queries = resolveQueries(readQueries(file), tools, 'all', scopeOf(file, tools));
  assert.deepEqual(queries.flatMap((q) => q.unknown), [], `${api}: every gold step is an operation of the API`);
  const position = new Map(tools.map((t, i) => [t, i]));
  return queries.map((q) => scoreQuery(searchTools(index, q.query, 10).map((h) => position.get(h.entry)!), q));
}

test('the dev set: at least 200 requests over five APIs, every gold step found in its own API', () => {
  const counts = DEV.map((api) => readQueries(fixture(`${api}.json`)).length);
  assert.ok(counts.reduce((a, b) => a + b, 0) >= 200, `${counts}`);
  for (const api of [...DEV, HELD_OUT]) perQuery(api);
});

test('multi-step dev set, combined index with GitHub: recall@10 and hit@5 floors', (t) => {
  const all: Metrics[] = [];
  for (const api of DEV) {
    const m = perQuery(api);
    all.push(...m);
    t.diagnostic(`${api}: recall@10 ${meanMetrics(m).recall[3]!.toFixed(3)}, hit@5 ${meanMetrics(m).hit5.toFixed(3)}`);
  }
  const combined = meanMetrics(all);
  t.diagnostic(`combined: recall@10 ${combined.recall[3]!.toFixed(3)}, hit@5 ${combined.hit5.toFixed(3)}`);
  assert.ok(combined.recall[3]! >= FLOOR.recall10, `recall@10 ${combined.recall[3]}`);
  assert.ok(combined.hit5 >= FLOOR.hit5, `hit@5 ${combined.hit5}`);
});

/** Just under the figures measured on the landed commit (bench:search), so a regression fails. */
const FLOOR = { recall10: 0.755, hit5: 0.78 };
