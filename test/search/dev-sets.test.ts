// Search quality on both dev sets with the shipped model, as users get it (hybrid, default weight):
// a regression floor under the figures `npm run bench:search` reports (.scratch/README-search.md).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { meanMetrics, scoreQuery } from '../../bench/search/metrics.js';
import { readQueries, resolveQueries } from '../../bench/search/query-set.js';
import { loadTools } from '../../bench/search/run-bench.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import type { RankMode } from '../../src/search/hybrid-rank.js';
import { buildSearchIndex, searchTools, type SearchIndex } from '../../src/search/search-index.js';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const directory = (name: string) => fixture(`openapi/${name}.json.br`);
const embeddings = createBuiltinEmbeddings();

async function measure(tools: ToolEntry[], index: SearchIndex, file: string, match: 'any' | 'all', mode: RankMode) {
  const queries = resolveQueries(readQueries(file), tools, match).filter((q) => q.relevant.length > 0);
  const position = new Map(tools.map((t, i) => [t, i]));
  return meanMetrics(queries.map((q) => scoreQuery(searchTools(index, q.query, 10, { mode }).map((h) => position.get(h.entry)!), q)));
}

let github: { tools: ToolEntry[]; index: SearchIndex };
let livemcp: { tools: ToolEntry[]; index: SearchIndex };
before(async () => {
  const gh = await loadTools(['github=catalogs/github.json.br', `stripe=${directory('stripe.com')}`, `slack=${directory('slack.com')}`, `kubernetes=${directory('kubernetes.io')}`], []);
  github = { tools: gh.tools, index: await buildSearchIndex(gh.tools, { embeddings }) };
  const lm = await loadTools([], [fixture('livemcpbench/tools.json')]);
  livemcp = { tools: lm.tools, index: await buildSearchIndex(lm.tools, { embeddings }) };
});

test('GitHub dev queries on one index of GitHub + Stripe + Slack + Kubernetes: hybrid recall@5 ≥ 0.9 (the goal)', async (t) => {
  assert.ok(github.tools.length > 2_500);
  const hybrid = await measure(github.tools, github.index, fixture('github-dev-queries.json'), 'any', 'hybrid');
  const bm25 = await measure(github.tools, github.index, fixture('github-dev-queries.json'), 'any', 'bm25');
  t.diagnostic(`recall@5 hybrid ${hybrid.recall[2]!.toFixed(3)}, BM25 ${bm25.recall[2]!.toFixed(3)}; MRR hybrid ${hybrid.mrr.toFixed(3)}, BM25 ${bm25.mrr.toFixed(3)}`);
  assert.ok(hybrid.recall[2]! >= 0.9, `hybrid recall@5 ${hybrid.recall[2]}`);
  assert.ok(hybrid.recall[2]! >= bm25.recall[2]!, 'hybrid at least as good as BM25 alone');
});

test('LiveMCPBench tasks: hybrid recall@10 at least 10 points above BM25 alone (the goal), vectors alone above random', async (t) => {
  const file = fixture('livemcpbench/queries.json');
  const [hybrid, bm25, vector] = await Promise.all((['hybrid', 'bm25', 'vector'] as const).map((mode) => measure(livemcp.tools, livemcp.index, file, 'all', mode)));
  t.diagnostic(`recall@10 hybrid ${hybrid!.recall[3]!.toFixed(3)}, BM25 ${bm25!.recall[3]!.toFixed(3)}, vectors ${vector!.recall[3]!.toFixed(3)}`);
  assert.ok(hybrid!.recall[3]! >= bm25!.recall[3]! + 0.1, `hybrid ${hybrid!.recall[3]} vs BM25 ${bm25!.recall[3]}`);
  assert.ok(vector!.recall[3]! >= 0.25, `vectors alone ${vector!.recall[3]}`);
});
