import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

const BOILERPLATE = 'This endpoint triggers notifications.';
const tools = [
  tool({ name: 'issues_create', summary: 'Create an issue', method: 'POST', path: '/repos/{owner}/{repo}/issues', description: `Anyone with pull access can create an issue. ${BOILERPLATE}` }),
  tool({ name: 'issues_list_for_repo', summary: 'List repository issues', path: '/repos/{owner}/{repo}/issues', description: `Lists issues in a repository. ${BOILERPLATE}` }),
  tool({ name: 'issues_remove_label', summary: 'Remove a label from an issue', method: 'DELETE', description: BOILERPLATE }),
  tool({ name: 'issues_delete_label', summary: 'Delete a label', method: 'DELETE', description: BOILERPLATE }),
  tool({ name: 'pulls_merge', summary: 'Merge a pull request', method: 'PUT', description: BOILERPLATE }),
  tool({ name: 'activity_list_notifications', summary: 'List notifications for the authenticated user' }),
  tool({ name: 'activity_list_stargazers', summary: 'List stargazers', description: 'Lists the people that have starred the repository.' }),
  tool({ name: 'gists_star', summary: 'Star a gist' }),
];
const names = (hits: { entry: { name: string } }[]) => hits.map((h) => h.entry.name);

test('a tool matching only some query words is still found (OR), ranked by BM25', async () => {
  const index = await buildSearchIndex(tools);
  assert.equal(names(searchTools(index, 'create an issue in the zanzibar tracker', 5))[0], 'issues_create');
  assert.deepEqual(names(searchTools(index, 'xylophone quux', 5)), []);
  assert.deepEqual(names(searchTools(index, '  the a of ', 5)), []);
});

test('synonyms bridge how users talk and how catalogs are written', async () => {
  const index = await buildSearchIndex(tools);
  assert.equal(names(searchTools(index, 'open a new issue', 3))[0], 'issues_create');
  assert.equal(names(searchTools(index, 'merge my PR', 3))[0], 'pulls_merge');
  assert.equal(names(searchTools(index, 'who starred my repo', 3))[0], 'activity_list_stargazers');
  // The user's own word outweighs its synonym: "remove" prefers Remove over Delete, and vice versa.
  assert.equal(names(searchTools(index, 'remove a label', 3))[0], 'issues_remove_label');
  assert.equal(names(searchTools(index, 'delete a label', 3))[0], 'issues_delete_label');
});

test('boilerplate repeated across tools matches nothing', async () => {
  const index = await buildSearchIndex(tools);
  assert.deepEqual(names(searchTools(index, 'notifications', 10)), ['activity_list_notifications']);
});

test('a named tool ranks first even when the words favour another', async () => {
  const index = await buildSearchIndex(tools);
  assert.equal(names(searchTools(index, 'create an issue, or pulls_merge', 3))[0], 'pulls_merge');
  assert.equal(names(searchTools(index, 'demo.issues_delete_label', 3))[0], 'issues_delete_label');
  assert.equal(names(searchTools(index, 'GET /repos/{owner}/{repo}/issues', 3))[0], 'issues_list_for_repo');
});

test('hits are limited and scored relative to the best, in order', async () => {
  const index = await buildSearchIndex(tools);
  const hits = searchTools(index, 'list issues', 3);
  assert.equal(hits.length, 3);
  assert.equal(hits[0]?.score, 1);
  for (let i = 1; i < hits.length; i++) {
    assert.ok(hits[i]!.score > 0 && hits[i]!.score <= hits[i - 1]!.score, `score ${i} in (0, previous]`);
  }
  assert.deepEqual(searchTools(index, 'list issues', 0), []);
});

test('an embedding provider turns on hybrid ranking: one vector per tool', async () => {
  const embeddings = { id: 'test:ones', dimensions: 2, embed: async (texts: string[]) => texts.map(() => Float32Array.from([1, 1])) };
  const index = await buildSearchIndex(tools, { embeddings });
  assert.equal(index.vectors?.matrix.length, tools.length * 2);
  // Equal vectors say nothing, so the ranking is BM25's.
  assert.equal(names(searchTools(index, 'create an issue', 1))[0], 'issues_create');
});

test('a provider that fails while the catalog is embedded is a configuration error', async () => {
  const embeddings = { id: 'test:down', dimensions: 2, embed: async (): Promise<Float32Array[]> => Promise.reject(new Error('connection refused')) };
  await assert.rejects(buildSearchIndex(tools, { embeddings }), (e: Error) => e instanceof ConfigError && /test:down.*connection refused/.test(e.message));
});
