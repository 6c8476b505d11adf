// The index behind `search_tools`: BM25 over each tool's fields (Orama), widened by the query synonym
// table, mixed with the cosine of sentence vectors when an embedding provider is given (hybrid), with
// tools the query names outright ranked first.
import { components, create, insertMultiple, type Orama } from '@orama/orama';
import type { ToolEntry } from '../catalog/tool-entry.js';
import { createAnalyzer, type Analyzer } from './analyze.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { mixScores, type RankMode } from './hybrid-rank.js';
import { createNameLookup, matchNames, type NameLookup } from './name-match.js';
import { DEFAULT_SYNONYMS, expandQuery, type SynonymTable } from './synonyms.js';
import {
  cleanDescription,
  DEFAULT_DESCRIPTION_LIMITS,
  DEFAULT_EMBEDDING_TEXT,
  embeddingText,
  findBoilerplate,
  toolText,
  type DescriptionLimits,
  type EmbeddingTextOptions,
  type ToolText,
} from './tool-document.js';
import { cosineScores, embedTools, type ToolVectors, type VectorStore } from './tool-vectors.js';

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
/** Share of the vector score in the hybrid mix (the rest is BM25); chosen by `npm run bench:search`. */
export const DEFAULT_VECTOR_WEIGHT = 0.5;

export interface SearchIndexOptions {
  boosts?: Partial<FieldBoosts>;
  synonyms?: SynonymTable;
  synonymWeight?: number;
  maxQueryTerms?: number;
  description?: Partial<DescriptionLimits>;
  /** Turns on hybrid ranking (BM25 + vectors); without one the index is BM25 only. */
  embeddings?: EmbeddingProvider;
  /** Where tool vectors are kept between runs (see createDiskVectorStore). */
  vectorStore?: VectorStore;
  vectorWeight?: number;
  embeddingText?: Partial<EmbeddingTextOptions>;
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
  readonly embeddings?: EmbeddingProvider;
  readonly vectors?: ToolVectors;
  readonly vectorWeight: number;
}

export interface SearchOptions {
  /** The query's vector; searchToolsAsync supplies it for providers that cannot embed synchronously. */
  queryVector?: Float32Array;
  /** `hybrid` (the default when the index has vectors), or one signal alone for evaluation. */
  mode?: RankMode;
  vectorWeight?: number;
}

/** A provider that can embed without awaiting (the built-in model); remote ones go through searchToolsAsync. */
interface SyncEmbedder {
  embedSync(texts: string[]): Float32Array[];
}

export async function buildSearchIndex(tools: readonly ToolEntry[], options: SearchIndexOptions = {}): Promise<SearchIndex> {
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
  const texts = tools.map((entry) => toolText(entry, cleanDescription(entry.description, boilerplate, limits)));
  const docs = texts.map((text, i) => {
    const doc: Record<string, string> = { id: String(i) };
    for (const field of Object.keys(SCHEMA) as SearchField[]) doc[field] = analyzer.terms(text[field]).join(' ');
    return doc as { id: string } & Record<SearchField, string>;
  });
  await insertMultiple(db, docs);
  const sentenceOptions = { ...DEFAULT_EMBEDDING_TEXT, ...options.embeddingText };
  const vectors = options.embeddings
    ? await embedTools(
        texts.map((text) => embeddingText(text, sentenceOptions)),
        options.embeddings,
        options.vectorStore,
      )
    : undefined;
  return {
    tools,
    db,
    analyzer,
    names: createNameLookup(tools),
    boosts: { ...DEFAULT_FIELD_BOOSTS, ...options.boosts },
    synonyms: options.synonyms ?? DEFAULT_SYNONYMS,
    synonymWeight: options.synonymWeight ?? DEFAULT_SYNONYM_WEIGHT,
    maxQueryTerms: options.maxQueryTerms ?? MAX_QUERY_TERMS,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    ...(vectors ? { vectors } : {}),
    vectorWeight: options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT,
  };
}

/**
 * Like searchTools, for any provider: the query is embedded by awaiting it (remote providers). If that
 * fails the search still answers, from BM25 alone, and `onError` hears why.
 */
export async function searchToolsAsync(
  index: SearchIndex,
  query: string,
  limit: number,
  options: SearchOptions & { onError?: (error: unknown) => void } = {},
): Promise<SearchHit[]> {
  const { onError, ...rest } = options;
  if (!index.vectors || !index.embeddings || rest.queryVector || rest.mode === 'bm25') return searchTools(index, query, limit, rest);
  try {
    const [queryVector] = await index.embeddings.embed([query]);
    return searchTools(index, query, limit, { ...rest, ...(queryVector ? { queryVector } : {}) });
  } catch (e) {
    onError?.(e);
    return searchTools(index, query, limit, { ...rest, mode: 'bm25' });
  }
}

/**
 * The `limit` best tools for a natural-language query. BM25 candidates are tools matching any query word;
 * with vectors every tool is a candidate, ranked by the mix. Synchronous when the index has no vectors,
 * the provider embeds locally (the built-in model), or `queryVector` is given; otherwise BM25 alone.
 */
export function searchTools(index: SearchIndex, query: string, limit: number, options: SearchOptions = {}): SearchHit[] {
  const mode: RankMode = options.mode ?? (index.vectors ? 'hybrid' : 'bm25');
  const text = mode === 'vector' ? new Map<number, number>() : textScores(index, query);
  const queryVector = mode === 'bm25' ? undefined : (options.queryVector ?? embedNow(index, query));
  const cosines = index.vectors && queryVector ? cosineScores(index.vectors, queryVector) : undefined;
  const combined = mixScores(text, cosines, mode, options.vectorWeight ?? index.vectorWeight);
  // Mixed scores are at most 1, so a named tool (+2 or +4) outranks every text match; among equals the mix decides.
  for (const [i, tier] of matchNames(index.names, query)) combined.set(i, (combined.get(i) ?? 0) + 2 * tier);
  const ranked = [...combined].filter(([, score]) => score > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = ranked[0]?.[1] ?? 1;
  return ranked.slice(0, Math.max(0, limit)).flatMap(([i, score]) => {
    const entry = index.tools[i];
    return entry ? [{ entry, score: score / top }] : [];
  });
}

function embedNow(index: SearchIndex, query: string): Float32Array | undefined {
  const provider = index.embeddings as (EmbeddingProvider & Partial<SyncEmbedder>) | undefined;
  return provider?.embedSync?.([query])[0];
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
