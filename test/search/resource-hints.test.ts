// Words learned from a catalog's own text: a word few of its operations use, mostly about one resource,
// stands for that resource in the query.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { loadTools } from '../../bench/search/run-bench.js';
import { createAnalyzer } from '../../src/search/analyze.js';
import { buildPostings } from '../../src/search/bm25-postings.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { addResourceHints, buildResourceHints, MAX_HINT_OPERATIONS, RESOURCE_HINT_WEIGHT } from '../../src/search/resource-hints.js';
import { analyzedDocuments, buildSearchIndex, DEFAULT_FIELD_BOOSTS, searchTools, type SearchIndex } from '../../src/search/search-index.js';
import { expandQuery } from '../../src/search/synonyms.js';
import { FIELDS } from '../../src/search/text-scores.js';
import { tool } from './tool-fixtures.js';

const analyzer = createAnalyzer();

function hintsFor(tools: ReturnType<typeof tool>[], query: string): string[][] {
  const { docs } = analyzedDocuments(tools, analyzer);
  const postings = buildPostings(docs, FIELDS, DEFAULT_FIELD_BOOSTS);
  const concepts = expandQuery(query, {}, 0.6);
  addResourceHints(concepts, buildResourceHints(tools), postings, analyzer);
  return concepts.map((c) => c.filter((w) => w.weight === RESOURCE_HINT_WEIGHT).map((w) => w.word));
}

test('a word few operations use, about one resource, brings that resource; the word itself stays', () => {
  const tools = [
    tool({ name: 'create_story', method: 'POST', path: '/tasks/{task_gid}/stories', summary: 'Create a story on a task', description: 'Only comment stories can be created.' }),
    tool({ name: 'get_stories', path: '/tasks/{task_gid}/stories', summary: 'Get stories from a task', description: 'Comments and changes, newest last.' }),
    tool({ name: 'get_task', path: '/tasks/{task_gid}', summary: 'Get a task' }),
  ];
  assert.deepEqual(hintsFor(tools, 'comments')[0], ['stories']);
  // A resource's own name is not added to itself.
  assert.deepEqual(hintsFor(tools, 'stories')[0], []);
  // A word only one operation uses ("newest") is that description's wording, not the catalog's.
  assert.deepEqual(hintsFor(tools, 'newest')[0], []);
});

test('a word spread over several resources, or used by many operations of the catalog, points nowhere', () => {
  const spread = [
    tool({ name: 'a', path: '/alerts', summary: 'List alerts', description: 'urgent' }),
    tool({ name: 'b', path: '/tickets', summary: 'List tickets', description: 'urgent' }),
    tool({ name: 'c', path: '/pages', summary: 'List pages', description: 'urgent' }),
  ];
  assert.deepEqual(hintsFor(spread, 'urgent'), [[]]);
  const many = Array.from({ length: MAX_HINT_OPERATIONS + 1 }, (_, i) => tool({ name: `op${i}`, path: `/widgets/${i}/items`, summary: 'Item', description: `A shiny item number ${i}.` }));
  assert.deepEqual(hintsFor(many, 'shiny'), [[]]);
  // Per catalog: in another namespace the same word is rare and about one resource.
  const other = [
    tool({ namespace: 'b', name: 'x', path: '/gadgets', summary: 'List gadgets', description: 'shiny' }),
    tool({ namespace: 'b', name: 'y', method: 'POST', path: '/gadgets', summary: 'Create a gadget', description: 'Makes it shiny.' }),
  ];
  assert.deepEqual(hintsFor([...many, ...other], 'shiny'), [['gadgets']]);
});

let index: SearchIndex;
let without: SearchIndex;
before(async () => {
  const spec = (name: string) => `${name}=${fileURLToPath(new URL(`../fixtures/multistep/specs/${name}.json.br`, import.meta.url))}`;
  const { tools } = await loadTools([spec('asana')], []);
  const embeddings = createBuiltinEmbeddings();
  index = await buildSearchIndex(tools, { embeddings });
  without = await buildSearchIndex(tools, { embeddings, resourceHints: false });
});

test('Asana: comments on a task reach its stories, which never say "comment"', () => {
  const at = (i: SearchIndex) => searchTools(i, 'list the comments on a task', 10).findIndex((h) => h.entry.binding.kind === 'http' && h.entry.binding.path === '/tasks/{task_gid}/stories' && h.entry.binding.method === 'GET');
  assert.ok(at(index) >= 0 && (at(without) === -1 || at(index) < at(without)), `with ${at(index)}, without ${at(without)}`);
});
