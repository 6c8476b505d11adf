// The bench's check that dynamic mode still answers each task from what the model was shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerOf, bodyOf, sameAnswer } from '../../src/bench/answer-check.js';

const task = (returns: string) => ({ task: 't', steps: [{ tool: 'a.b', arguments: {} }], returns });

test('the body of an execute_tool text is its JSON line, notices after it ignored', () => {
  assert.deepEqual(bodyOf('HTTP 200\n{"a":1}\n[Left out 3 API links (url); "raw": true returns everything.]'), { a: 1 });
  assert.equal(bodyOf('HTTP 200\nplain text'), 'HTTP 200\nplain text');
});

test('the answer is the task\'s returns over the shown results; a field left out changes it', () => {
  const full = answerOf(task('({ stars: r[0].stargazers_count, branch: r[0].default_branch })'), [{ stargazers_count: 80, default_branch: 'main', url: 'x' }]);
  const trimmed = answerOf(task('({ stars: r[0].stargazers_count, branch: r[0].default_branch })'), [{ stargazers_count: 80 }]);
  assert.ok(full.ok && trimmed.ok);
  assert.deepEqual(full.value, { stars: 80, branch: 'main' });
  assert.equal(sameAnswer(trimmed.value, full.value), false, 'the branch was lost');
});

test('null and empty values the lean notice names compare as absent', () => {
  assert.equal(sameAnswer({ conclusion: null, status: 'done', tags: [] }, { status: 'done' }), true);
  assert.equal(sameAnswer([{ d: null }], [{}]), true);
  assert.equal(sameAnswer({ n: 0 }, {}), false, '0 is a value');
});

test('an answer that throws, or runs away, is an error, not a hang', () => {
  const thrown = answerOf(task('r[0].missing.deeper'), [{}]);
  assert.equal(thrown.ok, false);
  const looping = answerOf(task('(() => { for (;;) {} })()'), [{}]);
  assert.equal(looping.ok, false);
});
