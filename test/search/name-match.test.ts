import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNameLookup, matchNames } from '../../src/search/name-match.js';
import { tool } from './tool-fixtures.js';

const tools = [
  tool({ name: 'issues_create', summary: 'Create an issue', method: 'POST', path: '/repos/{owner}/{repo}/issues', namespace: 'github' }),
  tool({ name: 'issues_list_for_repo', summary: 'List issues', method: 'GET', path: '/repos/{owner}/{repo}/issues', namespace: 'github' }),
  tool({ name: 'issues_create_comment', summary: 'Create a comment', method: 'POST', path: '/repos/{owner}/{repo}/issues/{n}/comments', namespace: 'github' }),
  tool({ name: 'search', summary: 'Search the web', namespace: 'web' }),
];
const lookup = createNameLookup(tools);
const names = (query: string) => Object.fromEntries([...matchNames(lookup, query)].map(([i, tier]) => [tools[i]!.name, tier]));

test('a query naming a tool, in any identifier spelling, matches it exactly', () => {
  for (const query of ['issues_create', 'github.issues_create', 'issues/create', 'issues-create', 'issuesCreate', 'call `issues_create`?']) {
    assert.equal(names(query).issues_create, 2, query);
  }
  assert.equal(names('search for cats').search, 2, 'a one-word tool name counts when typed as a word');
});

test('an identifier that is part of longer names matches those partially', () => {
  assert.deepEqual(names('issues_create'), { issues_create: 2, issues_create_comment: 1 });
  assert.deepEqual(names('github.issues_create_comment'), { issues_create_comment: 2 });
  assert.deepEqual(names('list_for'), { issues_list_for_repo: 1 });
});

test('plain words are not names', () => {
  assert.deepEqual(names('create issue'), {});
  assert.deepEqual(names('create an issue comment'), {});
  assert.deepEqual(names('an issues-create thing'), { issues_create: 2 }, 'hyphens name a tool only as a whole');
  assert.deepEqual(names('list issues-list'), {});
});

test('a route matches its tool, the method narrowing it down', () => {
  assert.deepEqual(names('POST /repos/{owner}/{repo}/issues'), { issues_create: 2 });
  assert.deepEqual(names('get /repos/{o}/{r}/issues/'), { issues_list_for_repo: 2 });
  assert.deepEqual(names('/repos/{owner}/{repo}/issues'), { issues_create: 2, issues_list_for_repo: 2 });
});
