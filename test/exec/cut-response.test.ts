// cutJson keeps the shape: valid JSON under the limit, leading array items, all keys, marked strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { cutJson } from '../../src/exec/cut-response.js';

const size = (v: unknown) => JSON.stringify(v).length;

describe('cutJson', () => {
  it('leaves a value under the limit untouched', () => {
    const value = { a: [1, 2, 3], b: 'short' };
    const r = cutJson(value, 1000);
    assert.equal(r.value, value);
    assert.equal(r.truncated, false);
    assert.equal(r.notice, undefined);
  });

  it('keeps the leading items of a long list, whole when they fit', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] }));
    const r = cutJson(items, 2_000);
    assert.equal(r.truncated, true);
    const kept = r.value as typeof items;
    assert.ok(size(kept) <= 2_000);
    assert.ok(kept.length > 10 && kept.length < 100);
    assert.deepEqual(kept, items.slice(0, kept.length));
    assert.match(r.notice!, new RegExp(`showing ${kept.length} of 100 items;?`));
    assert.match(r.notice!, /run_code to return only the fields you need/);
  });

  it('shortens a long string with a marker, never splitting a surrogate pair', () => {
    const text = '😀'.repeat(5_000);
    const r = cutJson(text, 500);
    const cut = r.value as string;
    assert.ok(size(cut) <= 500, String(size(cut)));
    assert.match(cut, /… \[\d+ more chars\]$/);
    assert.doesNotMatch(cut, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    assert.match(r.notice!, /1 long string shortened/);
  });

  it('keeps every key of an object and gives the big values what is left', () => {
    const value = { id: 7, state: 'open', title: 'A title', body: 'b'.repeat(20_000), comments: Array.from({ length: 200 }, (_, i) => ({ i })) };
    const r = cutJson(value, 3_000);
    const out = r.value as typeof value;
    assert.ok(size(out) <= 3_000, String(size(out)));
    assert.deepEqual(Object.keys(out), Object.keys(value));
    assert.equal(out.id, 7);
    assert.equal(out.state, 'open');
    assert.equal(out.title, 'A title');
    assert.ok(out.body.length < 20_000 && out.body.length > 500);
    assert.ok(out.comments.length > 10 && out.comments.length < 200);
    assert.deepEqual(out.comments, value.comments.slice(0, out.comments.length));
  });

  it('keeps a "__proto__" key as data', () => {
    const value = JSON.parse(`{"__proto__": {"x": 1}, "big": "${'y'.repeat(1_000)}"}`) as Record<string, unknown>;
    const r = cutJson(value, 200);
    assert.ok(Object.hasOwn(r.value as object, '__proto__'));
    assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  });

  it('uses the advice it is given', () => {
    const r = cutJson('z'.repeat(1_000), 100, { advice: 'return fewer rows from your program' });
    assert.match(r.notice!, /To get less, return fewer rows from your program\.\]$/);
  });

  it('cuts the 13 MB GitHub description to valid JSON under the limit', () => {
    const spec = JSON.parse(brotliDecompressSync(readFileSync(new URL('../../catalogs/github.json.br', import.meta.url))).toString('utf8')) as Record<string, unknown>;
    const maxChars = 64_000;
    const started = performance.now();
    const r = cutJson(spec, maxChars);
    const ms = performance.now() - started;
    const text = JSON.stringify(r.value);
    assert.ok(text.length <= maxChars, String(text.length));
    assert.deepEqual(JSON.parse(text), r.value);
    assert.deepEqual(Object.keys(r.value as object), Object.keys(spec), 'top-level keys all kept');
    process.stderr.write(`cutJson: GitHub spec ${JSON.stringify(spec).length} → ${text.length} chars in ${ms.toFixed(0)} ms\n${r.notice}\n`);
  });
});
