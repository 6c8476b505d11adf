// Golden search test on the real GitHub catalog: queries phrased the way users talk, each with the
// operation(s) it should find in the top 3. Prints the hit rates; fails on any miss.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { buildSearchIndex, searchTools, type SearchIndex } from '../../src/search/search-index.js';

interface GoldenQuery {
  query: string;
  expected: string[];
}

const QUERIES = JSON.parse(readFileSync(new URL('../fixtures/github-queries.json', import.meta.url), 'utf8')) as GoldenQuery[];
const TOP_N = 3;

let tools: ToolEntry[];
let index: SearchIndex;

before(async () => {
  tools = (await loadOpenApiCatalog({ source: 'catalogs/github.json.br', namespace: 'github' })).tools;
  index = await buildSearchIndex(tools);
});

// The ranking's own picks: a producer brought in as a plan step for a result (`neededBy`) is part of
// that result, not a rank of its own (test/search/plans.test.ts covers plans).
const top = (query: string, n: number) =>
  searchTools(index, query, n + 3)
    .filter((hit) => !hit.neededBy)
    .slice(0, n)
    .map((hit) => hit.entry.name);

test('the golden file has at least 30 queries, each naming operations that exist', () => {
  assert.ok(QUERIES.length >= 30, `${QUERIES.length} queries`);
  const names = new Set(tools.map((t) => t.name));
  const unknown = QUERIES.flatMap((q) => q.expected).filter((name) => !names.has(name));
  assert.deepEqual(unknown, []);
});

test(`every golden query finds an expected operation in the top ${TOP_N}`, (t) => {
  let top1 = 0;
  let topN = 0;
  const misses: string[] = [];
  for (const { query, expected } of QUERIES) {
    const hits = top(query, TOP_N);
    const rank = hits.findIndex((name) => expected.includes(name));
    if (rank === 0) top1++;
    if (rank >= 0) topN++;
    else misses.push(`"${query}": expected ${expected.join(' or ')}, got ${hits.join(', ')}`);
  }
  const rate = (n: number) => `${n}/${QUERIES.length} (${((100 * n) / QUERIES.length).toFixed(0)}%)`;
  t.diagnostic(`top-1 ${rate(top1)}, top-${TOP_N} ${rate(topN)}`);
  assert.deepEqual(misses, []);
});

test('"create an issue" ranks issues_create first', () => {
  assert.equal(top('create an issue', 1)[0], 'issues_create');
});

test('a tool named in the query ranks first, in any spelling', () => {
  for (const query of ['issues_create', 'github.issues_create', 'issues/create', 'how do I call issues-create?', 'POST /repos/{owner}/{repo}/issues']) {
    assert.equal(top(query, 1)[0], 'issues_create', query);
  }
  // Words that favour other tools do not outrank a named one.
  assert.equal(top('list pull requests with pulls_merge', 1)[0], 'pulls_merge');
});
