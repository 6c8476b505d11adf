// Each tool's vector is moved toward the mean vector of its catalog (its namespace: one API, one MCP
// server), the way a document is expanded with the context of its collection. A task names a domain
// ("route", "stock", "Word document") more often than the one tool it needs; with the catalog's mean
// in every tool vector, the vectors find the right server and BM25 picks the tool within it. Measured
// with `npm run bench:search`: LiveMCPBench hybrid recall@10 0.503 → 0.517 at share 0.5 (1.1 to 3.0
// points more at every share from 0.5 to 1 and vector weight from 0.4 to 0.5), GitHub recall@5 unchanged.
// Vectors alone get worse (LiveMCPBench 0.344 → 0.332): the context helps the mix, not the signal alone.
import { normalize } from './sentence-vectors.js';
import type { ToolVectors } from './tool-vectors.js';

/** Length of the catalog's mean vector added to each unit tool vector; 0 turns the context off. */
export const DEFAULT_CONTEXT_SHARE = 0.5;

/** Unit rows of `tool + share × mean(tools of the same group)`; `groups[i]` names tool i's catalog. */
export function addCatalogContext(vectors: ToolVectors, groups: readonly string[], share: number): ToolVectors {
  const { dims, matrix } = vectors;
  if (share === 0) return vectors;
  const members = new Map<string, number[]>();
  groups.forEach((group, i) => {
    const rows = members.get(group);
    if (rows) rows.push(i);
    else members.set(group, [i]);
  });
  const out = new Float32Array(matrix.length);
  for (const rows of members.values()) {
    const mean = new Float32Array(dims);
    for (const i of rows) for (let d = 0; d < dims; d++) mean[d]! += matrix[i * dims + d]! / rows.length;
    for (const i of rows) {
      const row = out.subarray(i * dims, (i + 1) * dims);
      for (let d = 0; d < dims; d++) row[d] = matrix[i * dims + d]! + share * mean[d]!;
      normalize(row);
    }
  }
  return { dims, matrix: out };
}
