// Retrieval metrics over ranked tool positions, for queries with one or several expected tools.
import type { ResolvedQuery } from './query-set.js';

export const RECALL_CUTOFFS = [1, 3, 5, 10] as const;
export const NDCG_CUTOFF = 10;

export interface Metrics {
  /** recall@k for each of RECALL_CUTOFFS, in order. */
  recall: number[];
  mrr: number;
  ndcg: number;
  /** Share of queries with at least one expected tool in the top 5 (for one query: 0 or 1). */
  hit5: number;
}

/**
 * One query's figures. A ranked tool credits the first expected name it satisfies that is not yet
 * credited (names shared by several servers, like `write_file`, are satisfied by any of them).
 */
export function scoreQuery(ranked: readonly number[], q: ResolvedQuery): Metrics {
  const credited = new Set<number>();
  const hitRanks: number[] = [];
  ranked.forEach((tool, r) => {
    const k = q.relevant.findIndex((set, n) => !credited.has(n) && set.has(tool));
    if (k < 0) return;
    credited.add(k);
    hitRanks.push(r + 1);
  });
  const need = q.match === 'any' ? 1 : q.relevant.length;
  const found = (k: number) => Math.min(need, hitRanks.filter((r) => r <= k).length);
  const gains = (q.match === 'any' ? hitRanks.slice(0, 1) : hitRanks).filter((r) => r <= NDCG_CUTOFF);
  const dcg = gains.reduce((sum, r) => sum + 1 / Math.log2(r + 1), 0);
  let ideal = 0;
  for (let r = 1; r <= Math.min(need, NDCG_CUTOFF); r++) ideal += 1 / Math.log2(r + 1);
  return {
    recall: RECALL_CUTOFFS.map((k) => found(k) / need),
    mrr: hitRanks[0] ? 1 / hitRanks[0] : 0,
    ndcg: ideal ? dcg / ideal : 0,
    hit5: hitRanks.some((r) => r <= 5) ? 1 : 0,
  };
}

/** Means over queries that have at least one expected tool in the index. */
export function meanMetrics(all: readonly Metrics[]): Metrics {
  const n = all.length || 1;
  return {
    recall: RECALL_CUTOFFS.map((_, i) => all.reduce((s, m) => s + (m.recall[i] ?? 0), 0) / n),
    mrr: all.reduce((s, m) => s + m.mrr, 0) / n,
    ndcg: all.reduce((s, m) => s + m.ndcg, 0) / n,
    hit5: all.reduce((s, m) => s + m.hit5, 0) / n,
  };
}
