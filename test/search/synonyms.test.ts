import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SYNONYMS, expandQuery, singular } from '../../src/search/synonyms.js';

const expand = (q: string) => expandQuery(q, DEFAULT_SYNONYMS, 0.5).map((c) => c.map((w) => `${w.word}:${w.weight}`).join(' '));

test('a word keeps full weight and adds its synonyms at the synonym weight', () => {
  assert.deepEqual(expand('open an issue'), ['open:1 create:0.5', 'issue:1']);
  assert.deepEqual(expand('remove PRs'), ['remove:1 delete:0.5', 'prs:1 pull:0.5 request:0.5']);
});

test('a phrase replaces its words at full weight, matched before stop words are dropped', () => {
  assert.deepEqual(expand('who starred my repo'), ['stargazers:1', 'authenticated:0.5', 'repo:1 repository:0.5']);
  assert.deepEqual(expand('set up a webhook'), ['create:1', 'webhook:1 hook:0.5']);
});

test('plural query words find singular table keys; prototype names are not synonyms', () => {
  assert.deepEqual(expand('repos'), ['repos:1 repository:0.5']);
  assert.deepEqual(expand('constructor toString'), ['constructor:1', 'string:1']);
});

test('singular folds plurals only', () => {
  assert.deepEqual(
    ['repositories', 'branches', 'stars', 'status', 'access', 'settings', 'prs', 'is'].map(singular),
    ['repository', 'branch', 'star', 'status', 'access', 'setting', 'pr', 'is'],
  );
});

test('every table key is lowercase and singular, every expansion non-empty', () => {
  for (const [key, expansion] of Object.entries(DEFAULT_SYNONYMS)) {
    assert.equal(key, key.toLowerCase().split(' ').map(singular).join(' '), key);
    assert.match(expansion, /^[a-z]+( [a-z]+)*$/, key);
  }
});
