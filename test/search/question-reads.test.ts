// A question asks to read: when a request is one, operations that change something count for less.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadTools } from '../../bench/search/run-bench.js';
import { createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { discountWrites, isQuestion, QUESTION_WRITE_DISCOUNT, writeFlags } from '../../src/search/question-reads.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

test('questions, and requests that only look like them', () => {
  for (const q of ['who is on the marketing team', "what's the schedule of the backup dag", 'which workflows are paused', 'is the scheduler healthy', 'did the CI checks pass', 'How many open tasks are there?']) assert.ok(isQuestion(q), q);
  for (const q of ['how do I delete a branch', 'how to rename a project', 'can you close the issue', 'do a backup now', 'is it possible to merge two tags', 'delete the old tracker', 'show me the comments']) assert.ok(!isQuestion(q), q);
});

test('writes are every method but GET, save POSTs named as a search, list or query', () => {
  const tools = [
    tool({ name: 'get_teams', path: '/teams', summary: 'Get teams' }),
    tool({ name: 'create_team', method: 'POST', path: '/teams', summary: 'Create a team' }),
    tool({ name: 'delete_team', method: 'DELETE', path: '/teams/{id}', summary: 'Delete a team' }),
    tool({ name: 'list_runs', method: 'POST', path: '/dags/~/dagRuns/list', summary: 'List runs (batch)' }),
    tool({ name: 'search_tasks', method: 'POST', path: '/tasks/search', summary: 'Search tasks' }),
  ];
  assert.deepEqual([...writeFlags(tools)], [0, 1, 1, 0, 0]);
  const scores = Float64Array.from([1, 1, 1, 1, 1]);
  discountWrites(scores, writeFlags(tools), 'delete the team');
  assert.deepEqual([...scores], [1, 1, 1, 1, 1], 'not a question: nothing changes');
  discountWrites(scores, writeFlags(tools), 'which teams are there');
  assert.deepEqual([...scores], [1, 1 - QUESTION_WRITE_DISCOUNT, 1 - QUESTION_WRITE_DISCOUNT, 1, 1]);
});

test('Asana: "what projects does the design team have" puts the read of a team\'s projects above its create', async () => {
  const { tools } = await loadTools([`asana=${fileURLToPath(new URL('../fixtures/multistep/specs/asana.json.br', import.meta.url))}`], []);
  const embeddings = createBuiltinEmbeddings();
  const firstMethod = async (questionReads?: false) => {
    const index = await buildSearchIndex(tools, { embeddings, ...(questionReads === false ? { questionReads } : {}) });
    const top = searchTools(index, 'what projects does the design team have', 1)[0]!.entry;
    return top.binding.kind === 'http' ? `${top.binding.method} ${top.binding.path}` : '';
  };
  assert.equal(await firstMethod(), 'GET /teams/{team_gid}/projects');
  assert.equal(await firstMethod(false), 'POST /teams/{team_gid}/projects', 'without the discount the create comes first (what this test guards)');
});
