// Plans in search results: the producer of a value a top result needs is placed right after it.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { loadTools } from '../../bench/search/run-bench.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { DEFAULT_PLAN_DEPTH, needsOf, planResults, SEARCH_SLOT } from '../../src/search/plans.js';
import type { ProducerGraph } from '../../src/search/producer-graph.js';
import { buildSearchIndex, searchTools, type SearchIndex } from '../../src/search/search-index.js';

const spec = (name: string) => `${name}=${fileURLToPath(new URL(`../fixtures/multistep/specs/${name}.json.br`, import.meta.url))}`;

const graph: ProducerGraph = {
  needs: {
    'a.update_thing': [{ param: 'thing_id', from: 'a.list_things' }],
    'a.thing_reviews': [{ param: 'thing_id', from: 'a.list_things' }, { param: 'owner', from: 'a.list_owners' }],
  },
  context: { a: ['owner<-a.list_owners'] },
};
const ids = ['a.update_thing', 'a.other', 'a.list_things', 'a.thing_reviews', 'a.list_owners', 'a.more'];
const positions = new Map(ids.map((id, i) => [id, i]));

test('a producer comes right after the first result that needs it, once, and the list keeps its length', () => {
  const planned = planResults([0, 1, 3, 5, 2, 4], ids, positions, graph, 'rename my thing', 4);
  assert.deepEqual(planned.map((h) => ids[h.position]), ['a.update_thing', 'a.list_things', 'a.other', 'a.thing_reviews']);
  assert.equal(planned[1]!.neededBy, 0);
  assert.deepEqual(planned[0]!.needs, [{ param: 'thing_id', from: 'a.list_things' }]);
  // The catalog's context (`owner`) is the scope the user works in: not a need, its producer not added.
  assert.deepEqual(planned[3]!.needs?.map((n) => n.param), ['thing_id']);
  assert.ok(!planned.some((h) => ids[h.position] === 'a.list_owners'));
});

test('only the first results bring their producers', () => {
  const planned = planResults([1, 5, 0, 2], ids, positions, graph, 'x', 10, 2);
  assert.deepEqual(planned.map((h) => ids[h.position]), ['a.other', 'a.more', 'a.update_thing', 'a.list_things']);
  assert.equal(planned[3]!.neededBy, undefined, 'the producer is there on its own rank, not as a plan step');
  assert.equal(DEFAULT_PLAN_DEPTH, 3);
});

test('the search that finds a needed value comes after the first SEARCH_SLOT results, not before', () => {
  const withSearch: ProducerGraph = { ...graph, searches: { 'a.update_thing': [{ param: 'thing_id', from: 'a.search_things' }] } };
  const wide = [...ids, 'a.search_things', 'a.x1', 'a.x2', 'a.x3'];
  const at = new Map(wide.map((id, i) => [id, i]));
  const ranked = [0, 1, 5, 7, 8, 9, 6];
  const planned = planResults(ranked, wide, at, withSearch, 'rename the thing called Old Desk', 8);
  assert.deepEqual(planned.map((h) => wide[h.position]), ['a.update_thing', 'a.list_things', 'a.other', 'a.more', 'a.x1', 'a.search_things', 'a.x2', 'a.x3']);
  assert.equal(SEARCH_SLOT, 5);
  assert.equal(planned[5]!.neededBy, 0, 'it is there for the first result');
  // Given outright, the value needs neither its list nor its search.
  assert.ok(!planResults([0, 1, 5, 7, 8, 9], wide, at, withSearch, 'rename thing 4521', 8).some((h) => wide[h.position] === 'a.search_things'));
  // A search already ranked within the list stays where it is.
  const early = planResults([0, 6, 1, 5], wide, at, withSearch, 'rename the old thing', 8);
  assert.equal(early.filter((h) => wide[h.position] === 'a.search_things').length, 1);
  assert.equal(early.findIndex((h) => wide[h.position] === 'a.search_things'), 2);
});

test('later steps come after the first SEARCH_SLOT results: producers of lower results and of producers, and a top list\'s item read', () => {
  const g: ProducerGraph = {
    needs: {
      'b.top': [{ param: 'team_id', from: 'b.user_teams' }],
      'b.user_teams': [{ param: 'user_id', from: 'b.users' }],
      'b.low': [{ param: 'tag_id', from: 'b.tags' }],
    },
    context: {},
    details: { 'b.spells': 'b.spell' },
  };
  const names = ['b.top', 'b.user_teams', 'b.users', 'b.spells', 'b.spell', 'b.low', 'b.tags', 'b.x1', 'b.x2', 'b.x3', 'b.x4', 'b.x5'];
  const at = new Map(names.map((id, i) => [id, i]));
  const byName = (ranked: string[], limit: number) => planResults(ranked.map((n) => at.get(n)!), names, at, g, 'q', limit).map((h) => names[h.position]);
  // b.top brings its producer at once; the producer's own producer (b.users), b.spells' item read and
  // b.low's producer wait until after the first five, which stay as ranked.
  const planned = byName(['b.top', 'b.spells', 'b.x1', 'b.low', 'b.x2', 'b.x3', 'b.x4'], 9);
  assert.deepEqual(planned.slice(0, SEARCH_SLOT), ['b.top', 'b.user_teams', 'b.spells', 'b.x1', 'b.low']);
  assert.deepEqual(new Set(planned.slice(SEARCH_SLOT, SEARCH_SLOT + 3)), new Set(['b.users', 'b.spell', 'b.tags']));
  // A producer for a result that the later steps push off the list is not kept either.
  const short = byName(['b.top', 'b.spells', 'b.x1', 'b.x2', 'b.x3', 'b.low', 'b.x4'], 8);
  assert.deepEqual(short, ['b.top', 'b.user_teams', 'b.spells', 'b.x1', 'b.x2', 'b.users', 'b.spell', 'b.x3']);
});

test('a value the request gives outright is not needed', () => {
  assert.deepEqual(needsOf(graph, 'a.update_thing', 'rename thing 4521 to spare'), []);
  assert.deepEqual(needsOf(graph, 'a.update_thing', 'rename thing_id=ab12 to spare'), []);
  assert.equal(needsOf(graph, 'a.update_thing', 'rename the old thing to spare').length, 1);
  assert.equal(needsOf(graph, 'a.thing_reviews', 'reviews of octo/hello thing #3').length, 0);
  assert.deepEqual(needsOf(graph, 'a.unknown', 'x'), []);
});

let index: SearchIndex;
before(async () => {
  const { tools } = await loadTools([spec('traccar'), spec('airflow'), 'github=catalogs/github.json.br'], []);
  index = await buildSearchIndex(tools, { embeddings: createBuiltinEmbeddings() });
});

test('search: each of the first results that needs a lookup is followed by (or comes after) its producer', () => {
  for (const query of ['delete the geofence around the old office', 'rename the spare tracker', 'clear the failed run of the etl dag']) {
    const hits = searchTools(index, query, 10);
    const at = new Map(hits.map((h, i) => [h.entry.id, i]));
    let checked = 0;
    hits.slice(0, DEFAULT_PLAN_DEPTH).forEach((hit, i) => {
      if (hit.neededBy) return; // a producer's own needs are listed, not planned (one hop)
      for (const need of hit.needs ?? []) {
        const producer = at.get(need.from);
        assert.ok(producer !== undefined && producer <= i + (hit.needs?.length ?? 0), `${query}: ${hit.entry.id} needs ${need.param} from ${need.from}, at ${producer}`);
        checked++;
      }
    });
    assert.ok(checked > 0, `${query}: some top result needs a lookup`);
    const inserted = hits.filter((h) => h.neededBy);
    for (const h of inserted) assert.ok(h.score <= 1 && h.score > 0);
  }
});
