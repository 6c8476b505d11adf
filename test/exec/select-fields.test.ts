// execute_tool's `select`: dot paths, lists walked through, notices for paths that matched nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectErrors, selectFields } from '../../src/exec/select-fields.js';

const issue = {
  number: 1347,
  title: 'Found a bug',
  user: { login: 'octocat', id: 1, site_admin: false },
  labels: [
    { id: 208045946, name: 'bug', color: 'f29513' },
    { id: 208045947, name: 'ui', color: 'a2eeef' },
  ],
  milestone: null,
};

describe('selectFields', () => {
  test('keeps the named fields, nested paths and fields of list items, in the result\'s own shape', () => {
    const { value, notice } = selectFields(issue, ['number', 'user.login', 'labels.name']);
    assert.deepEqual(value, { number: 1347, user: { login: 'octocat' }, labels: [{ name: 'bug' }, { name: 'ui' }] });
    assert.equal(notice, undefined);
  });

  test('applies to every item of a list result, and accepts labels[].name and labels[*].name', () => {
    const { value } = selectFields([issue, { ...issue, number: 1348, labels: [] }], ['number', 'labels[].name']);
    assert.deepEqual(value, [{ number: 1347, labels: [{ name: 'bug' }, { name: 'ui' }] }, { number: 1348, labels: [] }]);
    assert.deepEqual(selectFields(issue, ['labels[*].color']).value, { labels: [{ color: 'f29513' }, { color: 'a2eeef' }] });
  });

  test('a path through null matched: the answer is null, and no notice claims otherwise', () => {
    const { value, notice } = selectFields(issue, ['milestone.title']);
    assert.deepEqual(value, { milestone: null });
    assert.equal(notice, undefined);
  });

  test('paths that matched nothing are named, with the fields the result does have', () => {
    const { value, notice } = selectFields(issue, ['number', 'author.login']);
    assert.deepEqual(value, { number: 1347 });
    assert.match(notice ?? '', /"author\.login" matched nothing; the result's fields: number, title, user, labels, milestone/);
  });

  test('a text result is returned as is, with a notice that select did not apply', () => {
    const { value, notice } = selectFields('plain text', ['a']);
    assert.equal(value, 'plain text');
    assert.match(notice ?? '', /select ignored: the result is text/);
  });

  test('a "__proto__" key in the data stays a plain key', () => {
    const { value } = selectFields(JSON.parse('{"__proto__": {"x": 1}, "a": 2}'), ['__proto__.x']);
    assert.deepEqual(Object.keys(value as object), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  test('syntax errors are found before anything is sent', () => {
    assert.deepEqual(selectErrors(['user.login', 'labels[].name']), []);
    assert.match(selectErrors(['user..login'])[0] ?? '', /"user\.\.login" has an empty field name/);
    assert.equal(selectErrors(['', 'a.']).length, 2);
  });
});
