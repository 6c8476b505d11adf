// The index behind `search_tools`: BM25 over each tool's fields (bm25-postings.ts), widened by the query synonym
// table, mixed with the cosine of sentence vectors (each with its catalog's context) when an embedding
// provider is given (hybrid), with tools the query names outright ranked first.
import type { ToolEntry } from '../catalog/tool-entry.js';
import { createAnalyzer, type Analyzer } from './analyze.js';
import { MAX_QUERY_CHARS } from './query-limits.js';
import { buildPostings, type Postings } from './bm25-postings.js';
import { addCatalogContext, DEFAULT_CONTEXT_SHARE } from './catalog-context.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { mixScores, topPositions, type RankMode } from './hybrid-rank.js';
import { createNameLookup, matchNames, type NameLookup } from './name-match.js';
import { createRouteWords, namedRoutes, ROUTE_WORDS_GAIN, type RouteWords } from './route-words.js';
import { planResults } from './plans.js';
import { discountWrites, writeFlags } from './question-reads.js';
import { buildResourceHints } from './resource-hints.js';
import { addStepScores, DEFAULT_STEP_WEIGHT, splitIntents } from './sub-intents.js';
import { buildProducerGraph, type Need, type ProducerGraph } from './producer-graph.js';
import { DEFAULT_FEEDBACK, feedbackQuery, type FeedbackOptions } from './query-feedback.js';
import { DEFAULT_SYNONYMS, type SynonymTable } from './synonyms.js';
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
import { FIELDS, textScores, type FieldBoosts, type SearchField, type TextIndex } from './text-scores.js';
import { cosineScores, embedTools, type ToolVectors, type VectorStore } from './tool-vectors.js';

export type { FieldBoosts, SearchField } from './text-scores.js';

/** Tuned on test/fixtures/github-queries.json: the name and summary say what a tool does, the rest hints. */
export const DEFAULT_FIELD_BOOSTS: FieldBoosts = { name: 2, route: 1, summary: 3, description: 0.6, tags: 1, params: 0.3 };
/** A synonym counts for less than the word the user typed. */
export const DEFAULT_SYNONYM_WEIGHT = 0.6;
/** Words looked up per query; a pasted paragraph is cut here to bound the work. */
export const MAX_QUERY_TERMS = 24;
export { MAX_QUERY_CHARS } from './query-limits.js';
/** Words of a query looked at at all (name matching, vectors): the longest dev-set task has 90. */
export const MAX_QUERY_WORDS = 128;
/** Share of the vector score in the hybrid mix (the rest is BM25): 0.3–0.5 tie on both dev sets (bench:search). */
export const DEFAULT_VECTOR_WEIGHT = 0.4;

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
  /** Pseudo-relevance feedback on the query vector in hybrid mode (see query-feedback.ts); `false` turns it off. */
  feedback?: Partial<FeedbackOptions> | false;
  /** Share of its catalog's mean vector in each tool vector (see catalog-context.ts); 0 turns it off. */
  catalogContext?: number;
  /** Weight of each step's own score in a multi-step request (sub-intents.ts); 0 ranks the request as one. */
  stepWeight?: number;
  /** `false`: no words learned from the catalogs' own text (resource-hints.ts), for evaluation. */
  resourceHints?: false;
  /** `false`: questions do not discount writes (question-reads.ts), for evaluation. */
  questionReads?: false;
}

export interface SearchHit {
  entry: ToolEntry;
  /** Relevance relative to the best hit of the same query: 1 for the first, less below. */
  score: number;
  /** Values the tool needs that the request does not give, and which tool's result gives each. */
  needs?: Need[];
  /** Set when the hit is here as the producer of a value an earlier hit needs: that hit's tool. */
  neededBy?: ToolEntry;
}

/** Plain data: build once per catalog set, query many times. The lexical part is TextIndex. */
export interface SearchIndex extends TextIndex {
  readonly tools: readonly ToolEntry[];
  readonly names: NameLookup;
  readonly routes: RouteWords;
  readonly embeddings?: EmbeddingProvider;
  readonly vectors?: ToolVectors;
  readonly vectorWeight: number;
  readonly feedback?: FeedbackOptions;
  /** Which tool produces each value another consumes (plain data, cacheable with the index). */
  readonly producers: ProducerGraph;
  readonly stepWeight: number;
  /** 1 per tool that changes something (question-reads.ts): a question discounts those. */
  readonly writes?: Uint8Array;
}

export interface SearchOptions {
  /** The query's vector; searchToolsAsync supplies it for providers that cannot embed synchronously. */
  queryVector?: Float32Array;
  /** `hybrid` (the default when the index has vectors), or one signal alone for evaluation. */
  mode?: RankMode;
  vectorWeight?: number;
  /** `false` skips the index's pseudo-relevance feedback (for evaluation). */
  feedback?: false;
  /** `false` ranks a multi-step request as one (for evaluation). */
  subIntents?: false;
}

/** A provider that can embed without awaiting (the built-in model); remote ones go through searchToolsAsync. */
interface SyncEmbedder {
  embedSync(texts: string[]): Float32Array[];
}

/** What building an index computes, and all the disk cache keeps of it: the tools come from the catalogs. */
export interface IndexParts {
  postings: ReadonlyMap<string, Postings>;
  producers: ProducerGraph;
  vectors?: ToolVectors;
}

export async function buildSearchIndex(tools: readonly ToolEntry[], options: SearchIndexOptions & { prebuilt?: IndexParts } = {}): Promise<SearchIndex> {
  const analyzer = createAnalyzer();
  const boosts = { ...DEFAULT_FIELD_BOOSTS, ...options.boosts };
  const { postings, producers, vectors } = options.prebuilt ?? (await buildIndexParts(tools, analyzer, boosts, options));
  return {
    tools,
    analyzer,
    names: createNameLookup(tools),
    routes: createRouteWords(tools, analyzer),
    boosts,
    synonyms: options.synonyms ?? DEFAULT_SYNONYMS,
    synonymWeight: options.synonymWeight ?? DEFAULT_SYNONYM_WEIGHT,
    maxQueryTerms: options.maxQueryTerms ?? MAX_QUERY_TERMS,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    ...(vectors ? { vectors } : {}),
    vectorWeight: options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT,
    ...(options.feedback === false ? {} : { feedback: { ...DEFAULT_FEEDBACK, ...options.feedback } }),
    postings,
    ...(options.resourceHints === false ? {} : { resourceHints: buildResourceHints(tools) }),
    producers,
    stepWeight: options.stepWeight ?? DEFAULT_STEP_WEIGHT,
    ...(options.questionReads === false ? {} : { writes: writeFlags(tools) }),
  };
}

/** Each tool's searchable text, and its analyzed terms per field (space-separated, as the postings read them). */
export function analyzedDocuments(tools: readonly ToolEntry[], analyzer: Analyzer, description: Partial<DescriptionLimits> = {}): { texts: ToolText[]; docs: Array<Record<SearchField, string>> } {
  const limits = { ...DEFAULT_DESCRIPTION_LIMITS, ...description };
  const boilerplate = findBoilerplate(tools, limits.boilerplateMinTools);
  const texts = tools.map((entry) => toolText(entry, cleanDescription(entry.description, boilerplate, limits)));
  const docs = texts.map((text) => {
    const doc = {} as Record<SearchField, string>;
    for (const field of FIELDS) doc[field] = analyzer.terms(text[field]).join(' ');
    return doc;
  });
  return { texts, docs };
}

async function buildIndexParts(tools: readonly ToolEntry[], analyzer: Analyzer, boosts: FieldBoosts, options: SearchIndexOptions): Promise<IndexParts> {
  const { texts, docs } = analyzedDocuments(tools, analyzer, options.description);
  const postings = buildPostings(docs, FIELDS, boosts);
  const sentenceOptions = { ...DEFAULT_EMBEDDING_TEXT, ...options.embeddingText };
  const vectors = options.embeddings
    ? addCatalogContext(
        await embedTools(
          texts.map((text) => embeddingText(text, sentenceOptions)),
          options.embeddings,
          options.vectorStore,
        ),
        tools.map((entry) => entry.namespace),
        options.catalogContext ?? DEFAULT_CONTEXT_SHARE,
      )
    : undefined;
  return { postings, producers: buildProducerGraph(tools), ...(vectors ? { vectors } : {}) };
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
  query = boundQuery(query);
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
  query = boundQuery(query);
  const mode: RankMode = options.mode ?? (index.vectors ? 'hybrid' : 'bm25');
  const queryVector = mode === 'bm25' ? undefined : (options.queryVector ?? embedNow(index, query));
  const combined = scoreAll(index, query, queryVector, mode, options);
  const steps = index.stepWeight > 0 && options.subIntents !== false ? splitIntents(query) : [];
  if (steps.length > 0) {
    // Each step of a multi-step request scored on its own (its own vector when the provider embeds locally).
    const own = steps.map((step) => scoreAll(index, step, mode === 'bm25' ? undefined : embedNow(index, step), mode, options));
    addStepScores(combined, own, index.stepWeight);
  }
  if (index.writes) discountWrites(combined, index.writes, query);
  // Mixed scores are below 2 (at most 1, plus a step weight under 1), so a named tool (+2 or +4) outranks
  // every text match; among equals the mix decides.
  for (const [i, tier] of matchNames(index.names, query)) combined[i]! += 2 * tier;
  const ranked = topPositions(combined, limit * 2);
  const top = combined[ranked[0] ?? -1] ?? 1;
  const planned = planResults(ranked, idsOf(index), positionsOf(index), index.producers, query, limit);
  return planned.flatMap(({ position, needs, neededBy }) => {
    const entry = index.tools[position];
    if (!entry) return [];
    // A producer brought in for a plan ranks with the hit that needs it.
    const score = Math.max(combined[position]!, neededBy === undefined ? 0 : combined[neededBy]!) / top;
    return [{ entry, score, ...(needs ? { needs } : {}), ...(neededBy !== undefined ? { neededBy: index.tools[neededBy]! } : {}) }];
  });
}

/**
 * The part of a query that is searched: its first MAX_QUERY_WORDS words, at most MAX_QUERY_CHARS characters.
 * Every later step (synonyms, stemming, name matching, the sentence vector) is then bounded whatever was sent.
 */
export function boundQuery(query: string): string {
  const cut = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
  const words = /\S+/g;
  for (let n = 1; words.exec(cut); n++) if (n === MAX_QUERY_WORDS) return cut.slice(0, words.lastIndex);
  return cut;
}

/** Every tool's score for one text: BM25 and cosine mixed, then refined by query feedback. */
function scoreAll(index: SearchIndex, query: string, queryVector: Float32Array | undefined, mode: RankMode, options: SearchOptions): Float64Array {
  const text = mode === 'vector' ? new Map<number, number>() : textScores(index, query);
  const cosines = index.vectors && queryVector ? cosineScores(index.vectors, queryVector) : undefined;
  const weight = options.vectorWeight ?? index.vectorWeight;
  const combined = mixScores(index.tools.length, text, cosines, mode, weight);
  const named = namedRoutes(index.routes, index.analyzer.terms(query));
  for (const i of named) combined[i]! *= 1 + ROUTE_WORDS_GAIN;
  const feedback = options.feedback === false ? undefined : index.feedback;
  if (mode !== 'hybrid' || !feedback || !index.vectors || !queryVector || weight <= 0) return combined;
  // Second pass: the query vector moved toward the first pass's best tools, its cosines weighted a bit more.
  const moved = feedbackQuery(index.vectors, queryVector, topPositions(combined, feedback.docs), feedback.strength);
  const second = mixScores(index.tools.length, text, cosineScores(index.vectors, moved), mode, Math.min(1, weight + feedback.weightGain));
  for (const i of named) second[i]! *= 1 + ROUTE_WORDS_GAIN;
  return second;
}

const ids = new WeakMap<SearchIndex, { ids: string[]; positions: Map<string, number> }>();
function lookup(index: SearchIndex): { ids: string[]; positions: Map<string, number> } {
  let known = ids.get(index);
  if (!known) ids.set(index, (known = { ids: index.tools.map((t) => t.id), positions: new Map(index.tools.map((t, i) => [t.id, i])) }));
  return known;
}
const idsOf = (index: SearchIndex): string[] => lookup(index).ids;
const positionsOf = (index: SearchIndex): Map<string, number> => lookup(index).positions;

function embedNow(index: SearchIndex, query: string): Float32Array | undefined {
  const provider = index.embeddings as (EmbeddingProvider & Partial<SyncEmbedder>) | undefined;
  return provider?.embedSync?.([query])[0];
}
