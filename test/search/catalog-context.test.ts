// Tool vectors with their catalog's context: each moves toward its own catalog's mean, stays unit
// length, and share 0 leaves the vectors as they were.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCatalogContext } from '../../src/search/catalog-context.js';
import type { ToolVectors } from '../../src/search/tool-vectors.js';

const row = (v: ToolVectors, i: number) => [...v.matrix.subarray(i * v.dims, (i + 1) * v.dims)];
const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

// Two tools of a maps server pointing different ways, one tool of a finance server.
const vectors: ToolVectors = { dims: 3, matrix: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) };
const groups = ['maps', 'maps', 'finance'];

test("each tool moves toward its own catalog's mean and stays unit length", () => {
  const out = addCatalogContext(vectors, groups, 0.5);
  // maps mean is (0.5, 0.5, 0): tool 0 becomes (1.25, 0.25, 0) normalized.
  const n = Math.hypot(1.25, 0.25);
  row(out, 0).forEach((x, d) => assert.ok(Math.abs(x - [1.25 / n, 0.25 / n, 0][d]!) < 1e-6, `dim ${d}: ${x}`));
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(dot(row(out, i), row(out, i)) - 1) < 1e-6, `row ${i} is unit length`);
  assert.ok(dot(row(out, 0), row(out, 1)) > dot(row(vectors, 0), row(vectors, 1)), 'siblings come closer');
  assert.equal(dot(row(out, 0), row(out, 2)), 0, 'another catalog gains nothing');
  assert.deepEqual(row(out, 2), [0, 0, 1], 'a catalog of one tool keeps its direction');
});

test('share 0 leaves the vectors untouched', () => {
  assert.equal(addCatalogContext(vectors, groups, 0), vectors);
});
