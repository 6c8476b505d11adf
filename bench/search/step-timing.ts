// Search time with and without the multi-step parts, on one index of ~3,000 operations, in one run (so
// that the figures compare on a machine however loaded): node --import tsx bench/search/step-timing.ts
import { loadTools } from './run-bench.js';
import { readQueries } from './query-set.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
const { tools } = await loadTools(['github=catalogs/github.json.br', ...['stripe.com', 'slack.com', 'kubernetes.io'].map((n) => `${n.split('.')[0]}=test/fixtures/openapi/${n}.json.br`), ...['asana', 'discourse', 'traccar'].map((a) => `${a}=test/fixtures/multistep/specs/${a}.json.br`)], []);
const index = await buildSearchIndex(tools, { embeddings: createBuiltinEmbeddings() });
const qs = ['github-dev-queries.json', 'multistep/asana.json', 'multistep/traccar.json', 'multistep/airflow.json'].flatMap((f) => readQueries(`test/fixtures/${f}`).map((q) => q.query));
const p = (t: number[], x: number) => [...t].sort((a, b) => a - b)[Math.floor(x * t.length)]!.toFixed(2);
for (let round = 0; round < 2; round++) for (const [label, opts] of [['shipped', {}], ['without step splitting', { subIntents: false as const }], ['BM25+vectors, no steps, no feedback', { subIntents: false as const, feedback: false as const }]] as const) {
  const t: number[] = [];
  for (const q of qs) { const s = performance.now(); searchTools(index, q, 10, opts); t.push(performance.now() - s); }
  console.log(`${tools.length} tools, ${label}: p50 ${p(t, 0.5)} ms, p95 ${p(t, 0.95)} ms over ${qs.length}`);
}
