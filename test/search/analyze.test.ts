import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAnalyzer, isStopWord, splitWords } from '../../src/search/analyze.js';

test('splitWords splits identifiers, routes and prose into lowercase words', () => {
  assert.deepEqual(splitWords('listForRepo'), ['list', 'for', 'repo']);
  assert.deepEqual(splitWords('list_for_repo list-for-repo'), ['list', 'for', 'repo', 'list', 'for', 'repo']);
  assert.deepEqual(splitWords('/repos/{owner}/{repo}/issues'), ['repos', 'owner', 'repo', 'issues']);
  assert.deepEqual(splitWords('HTTPServerError'), ['http', 'server', 'error']);
  assert.deepEqual(splitWords('list PRs and APIs'), ['list', 'prs', 'and', 'apis']);
  assert.deepEqual(splitWords("What's a Übersicht?"), ['what', 's', 'a', 'übersicht']);
});

test('the analyzer drops stop words and single letters, and stems so word forms meet', () => {
  const analyzer = createAnalyzer();
  assert.deepEqual(analyzer.terms('Lists the repositories'), analyzer.terms('list a repository'));
  assert.deepEqual(analyzer.terms("how do I create an issue for my repo's owner"), ['creat', 'issu', 'repo', 'owner']);
  assert.equal(isStopWord('x'), true);
  assert.equal(isStopWord('get'), false, 'get is the verb of read endpoints, a real signal');
});
