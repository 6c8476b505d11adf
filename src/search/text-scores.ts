// BM25 per query term over the index's fields (Orama's scorer), weighted by the query's synonym
// concepts and scaled by how much of the query a tool covers.
import { components, type Orama } from '@orama/orama';
import type { Analyzer } from './analyze.js';
import { expandQuery, type SynonymTable } from './synonyms.js';
import type { ToolText } from './tool-document.js';

export const SCHEMA = {
  name: 'string',
  route: 'string',
  summary: 'string',
  description: 'string',
  tags: 'string',
  params: 'string',
} as const;

export type SearchField = keyof ToolText;
export type FieldBoosts = Record<SearchField, number>;
export const FIELDS = Object.keys(SCHEMA) as SearchField[];

/** Orama's own BM25(+) defaults: a grid over k, b and d on the golden queries found nothing better. */
const BM25 = { k: 1.2, b: 0.75, d: 0.5 };

/** One term's BM25 per tool position. */
export interface Postings {
  docs: Int32Array;
  scores: Float32Array;
}

/** The parts of a SearchIndex that lexical scoring reads. */
export interface TextIndex {
  readonly tools: readonly unknown[];
  readonly db: Orama<typeof SCHEMA>;
  readonly analyzer: Analyzer;
  readonly boosts: FieldBoosts;
  readonly synonyms: SynonymTable;
  readonly synonymWeight: number;
  readonly maxQueryTerms: number;
  readonly postings: Map<string, Postings>;
}

/**
 * BM25 per query term, weighted and summed: a tool matching any term is a candidate (OR, not AND).
 * The sum is then scaled by the share of the query's concepts the tool matches (Lucene's classic
 * "coord"), so a tool matching one rare word ("Star a gist") does not outrank one matching the
 * whole request ("Star a repository").
 */
export function textScores(index: TextIndex, query: string): Map<number, number> {
  const concepts = expandQuery(query, index.synonyms, index.synonymWeight);
  // stem → the weight it carries in each concept it belongs to
  const terms = new Map<string, Map<number, number>>();
  concepts.forEach((concept, c) => {
    for (const { word, weight } of concept) {
      const stem = index.analyzer.stem(word);
      const inConcepts = terms.get(stem) ?? new Map<number, number>();
      if (!terms.has(stem) && terms.size >= index.maxQueryTerms) continue;
      inConcepts.set(c, Math.max(weight, inConcepts.get(c) ?? 0));
      terms.set(stem, inConcepts);
    }
  });
  const count = index.tools.length;
  const sums = new Float64Array(count);
  // Best weight matched per (concept, tool), flat: typed arrays, since common terms touch thousands of tools.
  const credits = new Float32Array(concepts.length * count);
  const touched: number[] = [];
  for (const [stem, inConcepts] of terms) {
    const weight = Math.max(...inConcepts.values());
    const { docs, scores } = postingsOf(index, stem);
    for (let k = 0; k < docs.length; k++) {
      const i = docs[k]!;
      if (sums[i] === 0) touched.push(i);
      sums[i]! += weight * scores[k]!;
      for (const [c, w] of inConcepts) if (w > credits[c * count + i]!) credits[c * count + i] = w;
    }
  }
  const total = concepts.reduce((sum, concept) => sum + Math.max(...concept.map((w) => w.weight)), 0);
  const result = new Map<number, number>();
  for (const i of touched) {
    let covered = 0;
    for (let c = 0; c < concepts.length; c++) covered += credits[c * count + i]!;
    result.set(i, sums[i]! * (covered / total));
  }
  return result;
}

/**
 * BM25 of one term in every tool (fields weighted and summed), from Orama, remembered per index: the
 * same API words ("list", "create", "repository") come back in most queries, and a common one costs
 * Orama milliseconds. Only terms the index holds are kept, so the memo is bounded by its vocabulary.
 */
function postingsOf(index: TextIndex, stem: string): Postings {
  const known = index.postings.get(stem);
  if (known) return known;
  const { db } = index;
  // The index component is asked directly: the public search() adds a per-document regex pass for
  // exact terms and fetches every document, tripling query time, while we only need (document, score).
  const scored = db.index.search(db.data.index, stem, db.tokenizer, undefined, FIELDS, true, 0, index.boosts, BM25, index.tools.length, undefined, 1);
  const postings: Postings = { docs: new Int32Array(scored.length), scores: new Float32Array(scored.length) };
  scored.forEach(([internalId, score], k) => {
    postings.docs[k] = Number(components.internalDocumentIDStore.getDocumentIdFromInternalId(db.internalDocumentIDStore, internalId));
    postings.scores[k] = score;
  });
  if (scored.length > 0) index.postings.set(stem, postings);
  return postings;
}
