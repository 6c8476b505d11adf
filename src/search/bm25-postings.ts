// Every term's BM25 per tool, computed once when the index is built: the whole lexical index as a few
// typed arrays, which a query reads without any search engine at hand and the disk cache stores as is.
// The scores are Orama's BM25(+) over its per-field statistics, reproduced here (and checked against
// Orama term by term in the tests) so that building needs no Orama database: inserting GitHub's 1,223
// documents into one cost ~0.25 s and its trees held several times the memory of these arrays.
import type { FieldBoosts, SearchField } from './text-scores.js';

/** One term's BM25 per tool position. */
export interface Postings {
  docs: Int32Array;
  scores: Float32Array;
}

/** Orama's BM25(+) defaults: a grid over k, b and d on the golden queries found nothing better. */
export const BM25 = { k: 1.2, b: 0.75, d: 0.5 };

/** Orama's formula (components/algorithms.js), with its own notion of tf (a share of the field's tokens). */
function bm25(tf: number, matching: number, docsCount: number, fieldLength: number, averageFieldLength: number): number {
  const { k, b, d } = BM25;
  const idf = Math.log(1 + (docsCount - matching + 0.5) / (matching + 0.5));
  return (idf * (d + tf * (k + 1))) / (tf + k * (1 - b + (b * fieldLength) / averageFieldLength));
}

/**
 * `docs[i][field]` holds tool i's analyzed terms, space-separated. As in Orama, a term's "occurrences"
 * in a field count every occurrence in every document (not documents), and a document's score for a
 * term sums its fields' scores times their boosts, in field order.
 */
export function buildPostings(docs: ReadonlyArray<Record<SearchField, string>>, fields: readonly SearchField[], boosts: FieldBoosts): Map<string, Postings> {
  const count = docs.length;
  const perField = fields.map((field) => {
    const tokens = docs.map((doc) => doc[field].split(' ').filter(Boolean));
    const occurrences = new Map<string, number>();
    let totalLength = 0;
    for (const list of tokens) {
      totalLength += list.length;
      for (const token of list) occurrences.set(token, (occurrences.get(token) ?? 0) + 1);
    }
    return { field, tokens, occurrences, average: totalLength / count };
  });
  const scoresByTerm = new Map<string, Map<number, number>>();
  for (const { field, tokens, occurrences, average } of perField) {
    const boost = boosts[field] ?? 1;
    tokens.forEach((list, i) => {
      const counts = new Map<string, number>();
      for (const token of list) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, n] of counts) {
        let byDoc = scoresByTerm.get(token);
        if (!byDoc) scoresByTerm.set(token, (byDoc = new Map()));
        byDoc.set(i, (byDoc.get(i) ?? 0) + bm25(n / list.length, occurrences.get(token)!, count, list.length, average) * boost);
      }
    });
  }
  const postings = new Map<string, Postings>();
  for (const [term, byDoc] of scoresByTerm) {
    const entry: Postings = { docs: new Int32Array(byDoc.size), scores: new Float32Array(byDoc.size) };
    let k = 0;
    for (const [i, score] of byDoc) {
      entry.docs[k] = i;
      entry.scores[k++] = score;
    }
    postings.set(term, entry);
  }
  return postings;
}
