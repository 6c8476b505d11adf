// Build time of the search index over the GitHub catalog and query latency over the golden queries.
// Run: node --import tsx bench/search-index.ts [catalog.json.br]
import { readFileSync } from 'node:fs';
import { loadOpenApiCatalog } from '../src/catalog/load-openapi.js';
import { buildSearchIndex, searchTools } from '../src/search/search-index.js';

const SOURCE = process.argv[2] ?? 'catalogs/github.json.br';
const BUILD_RUNS = 5;
const QUERY_RUNS = 20;
const LIMIT = 10;

const queries = (JSON.parse(readFileSync(new URL('../test/fixtures/github-queries.json', import.meta.url), 'utf8')) as Array<{ query: string }>).map((q) => q.query);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(2)} ms`;

let started = performance.now();
const { tools } = await loadOpenApiCatalog({ source: SOURCE, namespace: 'github' });
console.log(`catalog load        ${ms(performance.now() - started)} (${tools.length} tools)`);

const builds: number[] = [];
let index = await buildSearchIndex(tools);
for (let i = 0; i < BUILD_RUNS; i++) {
  started = performance.now();
  index = await buildSearchIndex(tools);
  builds.push(performance.now() - started);
}
builds.sort((a, b) => a - b);
console.log(`index build         p50 ${ms(percentile(builds, 0.5))}, min ${ms(builds[0] ?? NaN)} over ${BUILD_RUNS} runs`);

const times: number[] = [];
for (let run = 0; run < QUERY_RUNS; run++) {
  for (const query of queries) {
    started = performance.now();
    searchTools(index, query, LIMIT);
    times.push(performance.now() - started);
  }
}
times.sort((a, b) => a - b);
console.log(
  `query (limit ${LIMIT})    p50 ${ms(percentile(times, 0.5))}, p95 ${ms(percentile(times, 0.95))}, max ${ms(times.at(-1) ?? NaN)} over ${times.length} (${queries.length} golden queries × ${QUERY_RUNS})`,
);
