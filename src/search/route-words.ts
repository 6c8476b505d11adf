// A request that is an operation verb and the words of a route ("list users", "show groups") names that
// route's resource: `GET /users` should rank first, not one of the thousands of `/users/{id}/...`
// operations that share both words, nor "List lists" because the stemmer hears "lists" in "list". Like
// name-match.ts for identifiers, this only fires when the request is that route's words and nothing else.
// Measured (bench:search, Microsoft Graph's 56 requests): R@1 0.411 → 0.446, MRR 0.477 → 0.512, "list
// users" puts `GET /users` first; the multi-step dev set and GitHub's R@5 unchanged.
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { Analyzer } from './analyze.js';

/** How much a tool whose route the request names gains, as a share of its score. */
export const ROUTE_WORDS_GAIN = 0.2;
/** Verb stems a request may add to a route's words (Orama's stemmer: "retrieve" → retriev). */
const VERBS = new Set(['list', 'get', 'show', 'find', 'fetch', 'retriev', 'creat', 'add', 'make', 'new', 'delet', 'remov', 'updat', 'edit', 'chang', 'set', 'all', 'view', 'see', 'read', 'search', 'look', 'give', 'tell', 'displai']);
/** Verb stems looked at per request: their subsets are the keys tried. */
const MAX_VERBS = 4;

/** Sorted stems of a route's literal segments (version prefixes and file suffixes dropped) → tool positions. */
export type RouteWords = ReadonlyMap<string, number[]>;

export function createRouteWords(tools: readonly ToolEntry[], analyzer: Analyzer): RouteWords {
  const byWords = new Map<string, number[]>();
  // Large catalogs repeat the same few hundred segments across thousands of routes (Microsoft Graph:
  // 11,422 routes): each is stemmed once.
  const segmentTerms = new Map<string, string[]>();
  const termsOf = (segment: string) => {
    let terms = segmentTerms.get(segment);
    if (!terms) segmentTerms.set(segment, (terms = analyzer.terms(segment.replace(/\.(json|xml)$/i, ''))));
    return terms;
  };
  tools.forEach((entry, i) => {
    if (entry.binding.kind !== 'http') return;
    const segments = entry.binding.path.split('/').filter((s) => s && !s.includes('{') && !/^v\d+(\.\d+)?$/i.test(s));
    const key = wordsKey(segments.flatMap(termsOf));
    if (!key) return;
    const list = byWords.get(key);
    if (list) list.push(i);
    else byWords.set(key, [i]);
  });
  return byWords;
}

/** Positions of the tools whose route words are the request's words, give or take its verbs. */
export function namedRoutes(routes: RouteWords, queryTerms: readonly string[]): number[] {
  const terms = new Set(queryTerms);
  const nouns = [...terms].filter((t) => !VERBS.has(t));
  const verbs = [...terms].filter((t) => VERBS.has(t)).slice(0, MAX_VERBS);
  const out: number[] = [];
  for (let mask = 0; mask < 1 << verbs.length; mask++) {
    const key = wordsKey([...nouns, ...verbs.filter((_, k) => mask & (1 << k))]);
    if (key) out.push(...(routes.get(key) ?? []));
  }
  return out;
}

function wordsKey(stems: readonly string[]): string {
  return [...new Set(stems)].sort().join(' ');
}
