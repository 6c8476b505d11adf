// Two signals on one scale: BM25 and cosine are each min-max normalized over the catalog, then mixed
// with a weight. Score mixing beat reciprocal rank fusion in the feasibility run and keeps how far
// apart two tools are, which ranks alone forget.

/** `hybrid` mixes both signals; `bm25` and `vector` use one alone (the benchmark compares all three). */
export type RankMode = 'hybrid' | 'bm25' | 'vector';

/**
 * Tool position → mixed score in [0, 1]. BM25's minimum over the catalog is 0 (tools matching no word),
 * so its normalization divides by the maximum; cosines are spread from their minimum to their maximum.
 */
export function mixScores(bm25: ReadonlyMap<number, number>, cosines: Float32Array | undefined, mode: RankMode, vectorWeight: number): Map<number, number> {
  const out = new Map<number, number>();
  const textWeight = mode === 'bm25' || !cosines ? 1 : mode === 'vector' ? 0 : 1 - vectorWeight;
  const maxText = Math.max(0, ...bm25.values());
  if (maxText > 0 && textWeight > 0) for (const [i, s] of bm25) out.set(i, (textWeight * s) / maxText);
  if (!cosines || textWeight === 1) return out;
  let min = Infinity;
  let max = -Infinity;
  for (const c of cosines) {
    if (c < min) min = c;
    if (c > max) max = c;
  }
  // A query with no known word embeds to zero: every cosine is equal and says nothing.
  if (!(max - min > 1e-6)) return out;
  const scale = (1 - textWeight) / (max - min);
  cosines.forEach((c, i) => out.set(i, (out.get(i) ?? 0) + (c - min) * scale));
  return out;
}
