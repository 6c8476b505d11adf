// BM25 per query term over the index's fields (Orama's scorer, precomputed in bm25-postings.ts),
// weighted by the query's synonym concepts and scaled by how much of the query a tool covers.
import type { Analyzer } from './analyze.js';
import type { Postings } from './bm25-postings.js';
import { addResourceHints, type ResourceHints } from './resource-hints.js';
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

export type { Postings } from './bm25-postings.js';

/** The parts of a SearchIndex that lexical scoring reads. */
export interface TextIndex {
  readonly tools: readonly unknown[];
  readonly analyzer: Analyzer;
  readonly boosts: FieldBoosts;
  readonly synonyms: SynonymTable;
  readonly synonymWeight: number;
  readonly maxQueryTerms: number;
  /** Every indexed term's postings (boosts applied); a term absent here matches no tool. */
  readonly postings: ReadonlyMap<string, Postings>;
  /** Words learned from each catalog's own text (resource-hints.ts); absent, queries are taken as written. */
  readonly resourceHints?: ResourceHints;
}

/**
 * BM25 per query term, weighted and summed: a tool matching any term is a candidate (OR, not AND).
 * The sum is then scaled by the share of the query's concepts the tool matches (Lucene's classic
 * "coord"), so a tool matching one rare word ("Star a gist") does not outrank one matching the
 * whole request ("Star a repository").
 */
export function textScores(index: TextIndex, query: string): Map<number, number> {
  const concepts = expandQuery(query, index.synonyms, index.synonymWeight);
  if (index.resourceHints) addResourceHints(concepts, index.resourceHints, index.postings, index.analyzer);
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

const NO_POSTINGS: Postings = { docs: new Int32Array(0), scores: new Float32Array(0) };

function postingsOf(index: TextIndex, stem: string): Postings {
  return index.postings.get(stem) ?? NO_POSTINGS;
}
