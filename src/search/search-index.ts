// The index behind `search_tools`: BM25 over each tool's fields (Orama), widened by the query synonym
// table, with tools the query names outright ranked first.
import { components, create, insertMultiple, type Orama } from '@orama/orama';
import type { ToolEntry } from '../catalog/tool-entry.js';
import { ConfigError } from '../errors.js';
import { createAnalyzer, type Analyzer } from './analyze.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { createNameLookup, matchNames, type NameLookup } from './name-match.js';
import { DEFAULT_SYNONYMS, expandQuery, type SynonymTable } from './synonyms.js';
import { cleanDescription, DEFAULT_DESCRIPTION_LIMITS, findBoilerplate, toolText, type DescriptionLimits, type ToolText } from './tool-document.js';

const SCHEMA = {
  name: 'string',
  route: 'string',
  summary: 'string',
  description: 'string',
  tags: 'string',
  params: 'string',
} as const;

export type SearchField = keyof ToolText;
export type FieldBoosts = Record<SearchField, number>;

/** Tuned on test/fixtures/github-queries.json: the name and summary say what a tool does, the rest hints. */
export const DEFAULT_FIELD_BOOSTS: FieldBoosts = { name: 2, route: 1, summary: 3, description: 0.6, tags: 1, params: 0.3 };
/** Orama's own BM25(+) defaults: a grid over k, b and d on the golden queries found nothing better. */
const BM25 = { k: 1.2, b: 0.75, d: 0.5 };
/** A synonym counts for less than the word the user typed. */
export const DEFAULT_SYNONYM_WEIGHT = 0.6;
/** Words looked up per query; a pasted paragraph is cut here to bound the work. */
export const MAX_QUERY_TERMS = 24;

export interface SearchIndexOptions {
  boosts?: Partial<FieldBoosts>;
  synonyms?: SynonymTable;
  synonymWeight?: number;
  maxQueryTerms?: number;
  description?: Partial<DescriptionLimits>;
  /** Reserved for hybrid ranking (a later issue); giving one today is a configuration error. */
  embeddings?: EmbeddingProvider;
}

export interface SearchHit {
  entry: ToolEntry;
  /** Relevance relative to the best hit of the same query: 1 for the first, less below. */
  score: number;
}

/** Plain data: build once per catalog set, query many times. */
export interface SearchIndex {
  readonly tools: readonly ToolEntry[];
  readonly db: Orama<typeof SCHEMA>;
  readonly analyzer: Analyzer;
  readonly names: NameLookup;
  readonly boosts: FieldBoosts;
  readonly synonyms: SynonymTable;
  readonly synonymWeight: number;
  readonly maxQueryTerms: number;
}

export async function buildSearchIndex(tools: readonly ToolEntry[], options: SearchIndexOptions = {}): Promise<SearchIndex> {
  if (options.embeddings) {
    // Hybrid ranking plugs in here: embed each tool's cleaned text once, keep the vectors beside `db`.
    throw new ConfigError(`embedding provider "${options.embeddings.id}" given, but hybrid search is not implemented yet`);
  }
  const analyzer = createAnalyzer();
  const limits = { ...DEFAULT_DESCRIPTION_LIMITS, ...options.description };
  const boilerplate = findBoilerplate(tools, limits.boilerplateMinTools);
  // Documents hold analyzed terms, so Orama only has to split on spaces and query terms match exactly.
  const db = create({
    schema: SCHEMA,
    components: {
      tokenizer: { language: 'english', normalizationCache: new Map(), tokenize: (raw: string) => raw.split(' ').filter(Boolean) },
    },
  });
  const docs = tools.map((entry, i) => {
    const text = toolText(entry, cleanDescription(entry.description, boilerplate, limits));
    const doc: Record<string, string> = { id: String(i) };
    for (const field of Object.keys(SCHEMA) as SearchField[]) doc[field] = analyzer.terms(text[field]).join(' ');
    return doc as { id: string } & Record<SearchField, string>;
  });
  await insertMultiple(db, docs);
  return {
    tools,
    db,
    analyzer,
    names: createNameLookup(tools),
    boosts: { ...DEFAULT_FIELD_BOOSTS, ...options.boosts },
    synonyms: options.synonyms ?? DEFAULT_SYNONYMS,
    synonymWeight: options.synonymWeight ?? DEFAULT_SYNONYM_WEIGHT,
    maxQueryTerms: options.maxQueryTerms ?? MAX_QUERY_TERMS,
  };
}

/** The `limit` best tools for a natural-language query; tools matching any query word are candidates. */
export function searchTools(index: SearchIndex, query: string, limit: number): SearchHit[] {
  const text = textScores(index, query);
  const named = matchNames(index.names, query);
  const best = Math.max(0, ...text.values());
  // A named tool outranks every text match; among equals BM25 decides.
  const combined = new Map<number, number>(text);
  for (const [i, tier] of named) combined.set(i, (text.get(i) ?? 0) + tier * (best + 1));
  const ranked = [...combined].filter(([, score]) => score > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = ranked[0]?.[1] ?? 1;
  return ranked.slice(0, Math.max(0, limit)).flatMap(([i, score]) => {
    const entry = index.tools[i];
    return entry ? [{ entry, score: score / top }] : [];
  });
}

/**
 * BM25 per query term, weighted and summed: a tool matching any term is a candidate (OR, not AND).
 * The sum is then scaled by the share of the query's concepts the tool matches (Lucene's classic
 * "coord"), so a tool matching one rare word ("Star a gist") does not outrank one matching the
 * whole request ("Star a repository").
 */
function textScores(index: SearchIndex, query: string): Map<number, number> {
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
  const sums = new Map<number, number>();
  const credits = new Map<number, Map<number, number>>(); // tool → concept → best weight matched
  const { db } = index;
  const fields = Object.keys(SCHEMA);
  for (const [stem, inConcepts] of terms) {
    const weight = Math.max(...inConcepts.values());
    // One term per call, so each carries its own weight. The index component is asked directly: the
    // public search() adds a per-document regex pass for exact terms and fetches every document,
    // tripling query time, while we only need (document, score) pairs.
    const scored = db.index.search(db.data.index, stem, db.tokenizer, undefined, fields, true, 0, index.boosts, BM25, index.tools.length, undefined, 1);
    for (const [internalId, score] of scored) {
      const i = Number(components.internalDocumentIDStore.getDocumentIdFromInternalId(db.internalDocumentIDStore, internalId));
      sums.set(i, (sums.get(i) ?? 0) + weight * score);
      const credit = credits.get(i) ?? new Map<number, number>();
      for (const [c, w] of inConcepts) credit.set(c, Math.max(w, credit.get(c) ?? 0));
      credits.set(i, credit);
    }
  }
  const total = concepts.reduce((sum, concept) => sum + Math.max(...concept.map((w) => w.weight)), 0);
  const scores = new Map<number, number>();
  for (const [i, sum] of sums) {
    let covered = 0;
    for (const w of credits.get(i)?.values() ?? []) covered += w;
    scores.set(i, sum * (covered / total));
  }
  return scores;
}
