// The search benchmark: one index over the given catalogs, every dev set's queries through every ranker
// (two peer baselines, our BM25, vectors alone, hybrid with and without its refinements, and the
// random-vector control), one table each.
import { basename } from 'node:path';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { loadStaticTools } from '../../src/catalog/static-tools.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { parseOpenApiFlag } from '../../src/config.js';
import type { EmbeddingProvider } from '../../src/search/embedding-provider.js';
import type { RankMode } from '../../src/search/hybrid-rank.js';
import { buildSearchIndex, DEFAULT_VECTOR_WEIGHT, searchToolsAsync, type SearchIndex } from '../../src/search/search-index.js';
import { createFieldWeightedRanker, createWordMatchRanker, type Ranker } from './baselines.js';
import { meanMetrics, RECALL_CUTOFFS, scoreQuery, type Metrics } from './metrics.js';
import { readQueries, resolveQueries, scopeOf, type MatchMode } from './query-set.js';

/** Rankings are cut here: the deepest cutoff any metric reads. */
const RANK_DEPTH = 10;

export interface BenchOptions {
  /** `[NAME=]PATH` OpenAPI sources, as the CLI takes them. */
  openapi: string[];
  /** Static MCP tool files (tools/list results or LiveMCPBench tools.json). */
  mcp: string[];
  queries: string[];
  /** For queries without their own `match`. */
  match: MatchMode;
  /** The trained model, and the control it must beat (same vocabulary and weights, random vectors). */
  embeddings: EmbeddingProvider;
  control?: EmbeddingProvider;
  /** Hybrid rows, one per weight (the share of the vector score). */
  vectorWeights?: number[];
  log?: (line: string) => void;
}

export interface BenchRow {
  label: string;
  metrics: Metrics;
}

export interface BenchSet {
  file: string;
  queries: number;
  /** Expected names that no tool in the index has (left out of the figures). */
  unknown: string[];
  rows: BenchRow[];
  /** The catalog the set is about (a multi-step set named after its API), if any. */
  scope?: string;
  /** Per query, the shipped ranking's figures (the last row), for the multi-step summary. */
  shipped: Metrics[];
}

export interface BenchReport {
  tools: number;
  catalogs: string[];
  sets: BenchSet[];
}

export async function loadTools(openapi: readonly string[], mcp: readonly string[]): Promise<{ tools: ToolEntry[]; catalogs: string[] }> {
  const catalogs = [
    ...(await Promise.all(openapi.map(parseOpenApiFlag).map((s) => loadOpenApiCatalog({ source: s.openapi, ...(s.namespace ? { namespace: s.namespace } : {}) })))),
    ...(await Promise.all(mcp.map((source) => loadStaticTools({ source })))).flat(),
  ];
  return { tools: catalogs.flatMap((c) => c.tools), catalogs: catalogs.map((c) => `${c.namespace} (${c.tools.length})`) };
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const { tools, catalogs } = await loadTools(options.openapi, options.mcp);
  log(`${tools.length} tools from ${catalogs.length} catalogs`);
  const position = new Map(tools.map((t, i) => [t, i]));
  const ours = (index: SearchIndex, mode: RankMode, vectorWeight?: number, feedback?: false, subIntents?: false): Ranker => async (query, limit) =>
    (await searchToolsAsync(index, query, limit, { mode, ...(vectorWeight !== undefined ? { vectorWeight } : {}), ...(feedback === false ? { feedback } : {}), ...(subIntents === false ? { subIntents } : {}) })).map(
      (hit) => position.get(hit.entry) ?? -1,
    );

  const trained = await buildSearchIndex(tools, { embeddings: options.embeddings });
  const rankers: Array<[string, Ranker]> = [
    ['peer: plain word match (name + description)', createWordMatchRanker(tools)],
    ['peer: field-weighted BM25 (Orama defaults, name×3)', await createFieldWeightedRanker(tools)],
    ['toolshed BM25 (synonyms, name match)', ours(trained, 'bm25')],
  ];
  const weights = options.vectorWeights ?? [DEFAULT_VECTOR_WEIGHT];
  if (options.control) {
    const control = await buildSearchIndex(tools, { embeddings: options.control });
    rankers.push(['control: random vectors only', ours(control, 'vector')]);
    for (const w of weights) rankers.push([`control: hybrid with random vectors (w=${w})`, ours(control, 'hybrid', w)]);
  }
  rankers.push([`vectors only (${options.embeddings.id})`, ours(trained, 'vector')]);
  const noContext = await buildSearchIndex(tools, { embeddings: options.embeddings, catalogContext: 0 });
  for (const w of weights) rankers.push([`hybrid without catalog context (w=${w})`, ours(noContext, 'hybrid', w)]);
  for (const w of weights) rankers.push([`hybrid without query feedback (w=${w})`, ours(trained, 'hybrid', w, false)]);
  for (const w of weights) rankers.push([`hybrid without multi-step splitting (w=${w})`, ours(trained, 'hybrid', w, undefined, false)]);
  const noHints = await buildSearchIndex(tools, { embeddings: options.embeddings, resourceHints: false });
  for (const w of weights) rankers.push([`hybrid without words learned from the catalogs (w=${w})`, ours(noHints, 'hybrid', w)]);
  const noQuestions = await buildSearchIndex(tools, { embeddings: options.embeddings, questionReads: false });
  for (const w of weights) rankers.push([`hybrid without questions discounting writes (w=${w})`, ours(noQuestions, 'hybrid', w)]);
  for (const w of weights) rankers.push([`hybrid BM25 + vectors (w=${w})`, ours(trained, 'hybrid', w)]);

  const sets: BenchSet[] = [];
  for (const file of options.queries) {
    const scope = scopeOf(file, tools);
    const all = resolveQueries(readQueries(file), tools, options.match, scope);
    const resolved = all.filter((q) => q.relevant.length > 0);
    const unknown = all.flatMap((q) => q.unknown);
    const rows: BenchRow[] = [];
    let shipped: Metrics[] = [];
    for (const [label, rank] of rankers) {
      const perQuery: Metrics[] = [];
      for (const q of resolved) perQuery.push(scoreQuery(await rank(q.query, RANK_DEPTH), q));
      rows.push({ label, metrics: meanMetrics(perQuery) });
      shipped = perQuery;
    }
    sets.push({ file, queries: resolved.length, unknown, rows, shipped, ...(scope ? { scope } : {}) });
  }
  return { tools: tools.length, catalogs, sets };
}

/** Markdown, one table per query set. */
export function formatReport(report: BenchReport): string {
  const f = (x: number) => x.toFixed(3);
  const out = [`Index: ${report.tools} tools — ${report.catalogs.length > 8 ? `${report.catalogs.length} catalogs` : report.catalogs.join(', ')}`, ''];
  for (const set of report.sets) {
    out.push(`Queries: ${basename(set.file)} (${set.queries} queries${set.unknown.length ? `; ${set.unknown.length} expected names not in the index, ignored: ${set.unknown.join(', ')}` : ''})`, '');
    out.push(`| ranking | ${RECALL_CUTOFFS.map((k) => `R@${k}`).join(' | ')} | MRR | nDCG@10 | hit@5 |`);
    out.push(`|---|${RECALL_CUTOFFS.map(() => '---:').join('|')}|---:|---:|---:|`);
    for (const { label, metrics: m } of set.rows) out.push(`| ${label} | ${m.recall.map(f).join(' | ')} | ${f(m.mrr)} | ${f(m.ndcg)} | ${f(m.hit5)} |`);
    out.push('');
  }
  const scoped = report.sets.filter((s) => s.scope);
  if (scoped.length > 1) {
    // Multi-step sets, one per API, in one index: recall over every gold step, and some step in the top 5.
    out.push(`Multi-step sets, shipped ranking (${report.sets[0]?.rows.at(-1)?.label ?? ''}), one index of ${report.tools} tools:`, '');
    out.push('| API | requests | recall@10 | hit@5 |', '|---|---:|---:|---:|');
    for (const set of scoped) out.push(`| ${set.scope} | ${set.queries} | ${f(meanMetrics(set.shipped).recall[3]!)} | ${f(meanMetrics(set.shipped).hit5)} |`);
    const combined = meanMetrics(scoped.flatMap((s) => s.shipped));
    out.push(`| combined | ${scoped.reduce((n, s) => n + s.queries, 0)} | ${f(combined.recall[3]!)} | ${f(combined.hit5)} |`, '');
  }
  return out.join('\n');
}
