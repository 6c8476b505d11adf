// Two signals on one scale: BM25 and cosine are each min-max normalized over the catalog, then mixed
// with a weight. Score mixing beat reciprocal rank fusion in the feasibility run and on our dev sets,
// and keeps how far apart two tools are, which ranks alone forget.

/** `hybrid` mixes both signals; `bm25` and `vector` use one alone (the benchmark compares all three). */
export type RankMode = 'hybrid' | 'bm25' | 'vector';

/**
 * Mixed score in [0, 1] per tool position (dense). BM25's minimum over the catalog is 0 (tools matching
 * no word), so its normalization divides by the maximum; cosines are spread from their minimum to
 * their maximum.
 */
export function mixScores(count: number, bm25: ReadonlyMap<number, number>, cosines: Float32Array | undefined, mode: RankMode, vectorWeight: number): Float64Array {
  const out = new Float64Array(count);
  const textWeight = mode === 'bm25' || !cosines ? 1 : mode === 'vector' ? 0 : 1 - vectorWeight;
  let maxText = 0;
  for (const s of bm25.values()) if (s > maxText) maxText = s;
  if (maxText > 0 && textWeight > 0) for (const [i, s] of bm25) out[i] = (textWeight * s) / maxText;
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
  for (let i = 0; i < count; i++) out[i]! += (cosines[i]! - min) * scale;
  return out;
}

/** Positions of the `limit` highest positive scores, best first, ties by position: no full sort of the catalog. */
export function topPositions(scores: Float64Array, limit: number): number[] {
  const top: number[] = [];
  if (limit <= 0) return top;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s > 0) || (top.length === limit && s <= scores[top[limit - 1]!]!)) continue;
    // Insert after every equal-or-better entry, so earlier positions win ties.
    let at = top.length;
    while (at > 0 && scores[top[at - 1]!]! < s) at--;
    top.splice(at, 0, i);
    if (top.length > limit) top.pop();
  }
  return top;
}
