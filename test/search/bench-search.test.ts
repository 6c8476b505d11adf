// The search benchmark harness: its metrics on hand-made rankings, how expected names meet tools, and
// a small end-to-end run (petstore + a static MCP file) through the library and the npm script.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { scoreQuery } from '../../bench/search/metrics.js';
import { readQueries, resolveQueries, scopeOf, type ResolvedQuery } from '../../bench/search/query-set.js';
import { createRandomControl } from '../../bench/search/random-control.js';
import { formatReport, loadTools, runBench } from '../../bench/search/run-bench.js';
import { mcpToolsToEntries } from '../../src/catalog/mcp-tools.js';
import { BUILTIN_MODEL_PATH, createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { tool } from './tool-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'toolshed-bench-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const q = (relevant: number[][], match: 'all' | 'any'): ResolvedQuery => ({ query: '', match, relevant: relevant.map((r) => new Set(r)), unknown: [] });
const round = (m: ReturnType<typeof scoreQuery>) => ({ recall: m.recall.map((x) => Number(x.toFixed(3))), mrr: Number(m.mrr.toFixed(3)), ndcg: Number(m.ndcg.toFixed(3)) });

test('"any": one of the alternatives is a full hit, at its rank', () => {
  assert.deepEqual(round(scoreQuery([7, 8, 3, 9], q([[3], [4]], 'any'))), { recall: [0, 1, 1, 1], mrr: 0.333, ndcg: 0.5 });
  assert.deepEqual(round(scoreQuery([1, 2], q([[3]], 'any'))), { recall: [0, 0, 0, 0], mrr: 0, ndcg: 0 });
});

test('"all": recall is the share of expected tools found; a shared name is satisfied by any of its tools', () => {
  // Two needed: the first at rank 1, the second (either of tools 5 and 6) at rank 4.
  const m = scoreQuery([0, 9, 8, 6, 5], q([[0], [5, 6]], 'all'));
  assert.deepEqual(m.recall, [0.5, 0.5, 1, 1]);
  assert.equal(m.mrr, 1);
  const ideal = 1 + 1 / Math.log2(3);
  assert.ok(Math.abs(m.ndcg - (1 + 1 / Math.log2(5)) / ideal) < 1e-9);
  assert.equal(scoreQuery([0, 5], q([[0], [5, 6]], 'all')).ndcg, 1);
});

test('expected names meet tools by name, id, upstream MCP name or route; the rest are reported', () => {
  const tools = [
    tool({ name: 'issues_create', method: 'POST', path: '/repos/{owner}/{repo}/issues', summary: 'Create an issue', namespace: 'github' }),
    ...mcpToolsToEntries({ namespace: 'trends', tools: [{ name: 'get-weread-rank', description: 'rank' }] }),
  ];
  const [resolved] = resolveQueries(
    [{ query: 'x', expected: ['issues_create', 'github.issues_create', 'post /repos/{owner}/{repo}/issues', 'get-weread-rank', 'trends.get_weread_rank', 'nope'] }],
    tools,
    'any',
  );
  assert.deepEqual(resolved?.relevant.map((s) => [...s]), [[0], [0], [0], [1], [1]]);
  assert.deepEqual(resolved?.unknown, ['nope']);
  assert.equal(resolved?.match, 'any');
});

const MCP_FILE = join(dir, 'weather-tools.json');
const QUERIES = join(dir, 'queries.json');
writeFileSync(
  MCP_FILE,
  JSON.stringify({ tools: [{ name: 'get_forecast', description: 'Weather forecast for a city: temperature and rain for the next days' }, { name: 'get_alerts', description: 'Severe weather alerts for a US state' }] }),
);
writeFileSync(
  QUERIES,
  JSON.stringify([
    { query: 'add a new pet to the store', expected: ['addPet'] },
    { query: 'remove a pet', expected: ['DELETE /pet/{petId}'] },
    { query: 'will it rain in Paris tomorrow', expected: ['get_forecast'] },
    { query: 'sign in then place an order', expected: ['loginUser', 'placeOrder'], match: 'all' },
    { query: 'a name that is not there', expected: ['missing_tool'] },
  ]),
);

test('a small run: every ranking on one index, figures between 0 and 1, one markdown table', async () => {
  const report = await runBench({
    openapi: ['petstore=catalogs/petstore.json'],
    mcp: [MCP_FILE],
    queries: [QUERIES],
    match: 'any',
    embeddings: createBuiltinEmbeddings(),
    control: createRandomControl(BUILTIN_MODEL_PATH),
    vectorWeights: [0.3, 0.6],
  });
  assert.equal(report.tools, 22);
  const [set] = report.sets;
  assert.equal(set?.queries, 4, 'the query naming no known tool is left out');
  assert.deepEqual(set?.unknown, ['missing_tool']);
  const labels = set!.rows.map((r) => r.label);
  for (const expected of [/plain word match/, /field-weighted/, /toolshed BM25/, /random vectors only/, /hybrid with random vectors \(w=0\.3\)/, /^vectors only/, /^hybrid BM25 \+ vectors \(w=0\.6\)/]) {
    assert.ok(labels.some((l) => expected.test(l)), `${expected} in ${labels.join(' | ')}`);
  }
  for (const { metrics } of set!.rows) {
    for (const x of [...metrics.recall, metrics.mrr, metrics.ndcg]) assert.ok(x >= 0 && x <= 1);
    assert.ok(metrics.recall.every((r, i) => i === 0 || r >= metrics.recall[i - 1]!), 'recall grows with k');
  }
  const hybrid = set!.rows.find((r) => r.label.startsWith('hybrid BM25'))!;
  assert.ok(hybrid.metrics.recall[3]! >= 0.75, `hybrid recall@10 ${hybrid.metrics.recall[3]}`);
  const table = formatReport(report);
  assert.match(table, /\| ranking \| R@1 \| R@3 \| R@5 \| R@10 \| MRR \| nDCG@10 \| hit@5 \|/);
  assert.equal(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ranking')).length, set!.rows.length);
});

test('npm run bench:search prints the table', async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/search-quality.ts', '--openapi', 'catalogs/petstore.json', '--mcp', MCP_FILE, '--queries', QUERIES], {
    timeout: 60_000,
  });
  assert.match(stdout, /Index: 22 tools/);
  assert.match(stdout, /\| hybrid BM25 \+ vectors \(w=[\d.]+\) \|( [\d.]+ \|){7}/);
});

test('hit@5: some expected tool in the top 5', () => {
  assert.equal(scoreQuery([9, 8, 7, 6, 0], q([[0], [5]], 'all')).hit5, 1);
  assert.equal(scoreQuery([9, 8, 7, 6, 4, 0], q([[0], [5]], 'all')).hit5, 0);
});

test('a query set named after a catalog resolves routes in that catalog only; the report sums up such sets', async () => {
  const a = join(dir, 'petstore.json');
  const b = join(dir, 'weather.json');
  writeFileSync(a, JSON.stringify([{ query: 'remove a pet', expected: ['DELETE /pet/{petId}'] }, { query: 'find a pet, then delete it', expected: ['GET /pet/findByStatus', 'DELETE /pet/{petId}'] }]));
  writeFileSync(b, JSON.stringify([{ query: 'will it rain in Paris tomorrow', expected: ['get_forecast'] }]));
  const twin = join(dir, 'petstore-twin.json');
  writeFileSync(twin, readFileSync('catalogs/petstore.json'));
  const { tools } = await loadTools([`petstore=catalogs/petstore.json`, `twin=${twin}`], []);
  const [scoped] = resolveQueries(readQueries(a), tools, 'all', scopeOf(a, tools));
  assert.deepEqual(scoped!.relevant.map((set) => [...set].map((i) => tools[i]!.namespace)), [['petstore']]);
  const [unscoped] = resolveQueries(readQueries(a), tools, 'all');
  assert.deepEqual(unscoped!.relevant.map((set) => [...set].map((i) => tools[i]!.namespace)), [['petstore', 'twin']]);
  const report = await runBench({ openapi: ['petstore=catalogs/petstore.json'], mcp: [MCP_FILE], queries: [a, b], match: 'all', embeddings: createBuiltinEmbeddings() });
  assert.deepEqual(report.sets.map((s) => s.scope), ['petstore', undefined]);
  const table = formatReport(report);
  assert.doesNotMatch(table, /Multi-step sets/, 'one scoped set is not a summary');
});
