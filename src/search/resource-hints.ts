// Words learned from a catalog's own text. A user's word that only a few operations of a catalog use,
// most of them about one resource, stands for that resource there: in Asana "comment" is said only by
// the operations on stories ("This endpoint currently only allows for comment stories to be created"),
// so "show me the comments on a task" should also reach `GET /tasks/{task_gid}/stories`, which never
// says "comment". The resource's name is added to the query as a weak synonym. A word many of a
// catalog's operations use says nothing specific there, one spread over several resources no single
// one, and one a single operation uses is that description's wording ("range" in one D&D skill).
// Measured (goal-figures.ts): the multi-step dev set's recall@10 0.738 → 0.751, hit@5 0.767 → 0.782;
// held-out LaunchDarkly (0.681 / 0.694), GitHub R@5 (0.906) and LiveMCPBench unchanged. With each API
// alone in its index (goal-figures --alone) the dev set is unchanged (0.863 / 0.903), so the gain is
// the right catalog reached through its own words; LaunchDarkly alone loses one step (0.833 → 0.819). Without the one-resource rule the figures swung with the cut-off (≤ 3
// operations helped, ≤ 4 cost LaunchDarkly 3 points of hit@5); with it, cut-offs from 3 to 10 agree
// within a request; counting words of one operation too, the dev set gained less (0.743) and the
// API-alone figures fell (0.858 / 0.898).
import type { ToolEntry } from '../catalog/tool-entry.js';
import type { Analyzer } from './analyze.js';
import type { Postings } from './bm25-postings.js';
import type { QueryConcept } from './synonyms.js';

/** Weight of a resource's name added for a word (a hand-written synonym counts 0.6; 0.35 cost the dev set 1.4 points). */
export const RESOURCE_HINT_WEIGHT = 0.2;
/** A word one operation uses is that description's wording, not the catalog's: two must agree. */
export const MIN_HINT_OPERATIONS = 2;
/** A word used by more of a catalog's operations than this is too common there to point anywhere. */
export const MAX_HINT_OPERATIONS = 5;
/** The share of those operations that must be about one resource for the word to stand for it. */
const MIN_RESOURCE_SHARE = 0.5;

/** Per tool, its catalog (as a number) and the word naming the resource it is about ('' for none). */
export interface ResourceHints {
  readonly catalogs: Int32Array;
  readonly resources: readonly string[];
}

/** The last word of each HTTP route's last literal segment (`/tasks/{task_gid}/stories` → stories); MCP tools have none. */
export function buildResourceHints(tools: readonly ToolEntry[]): ResourceHints {
  const ids = new Map<string, number>();
  const catalogs = Int32Array.from(tools, (t) => ids.get(t.namespace) ?? ids.set(t.namespace, ids.size).get(t.namespace)!);
  const resources = tools.map((t) => {
    if (t.binding.kind !== 'http') return '';
    const segments = t.binding.path.split('/').filter((s) => s && !s.includes('{') && s !== '~');
    const last = (segments.at(-1) ?? '').replace(/\.(json|xml)$/i, '');
    return last.split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean).at(-1)?.toLowerCase() ?? '';
  });
  return { catalogs, resources };
}

/** Adds to each concept the resources its word stands for in some catalog (see above), at RESOURCE_HINT_WEIGHT. */
export function addResourceHints(concepts: QueryConcept[], hints: ResourceHints, postings: ReadonlyMap<string, Postings>, analyzer: Analyzer): void {
  for (const concept of concepts) {
    const word = concept.find((w) => w.weight === 1)?.word;
    if (word === undefined) continue;
    const stem = analyzer.stem(word);
    const docs = postings.get(stem)?.docs;
    if (!docs) continue;
    // The word's operations, per catalog, while few.
    const byCatalog = new Map<number, number[]>();
    for (const d of docs) {
      const c = hints.catalogs[d]!;
      const list = byCatalog.get(c);
      if (!list) byCatalog.set(c, [d]);
      else if (list.length <= MAX_HINT_OPERATIONS) list.push(d);
    }
    const added = new Set<string>();
    for (const list of byCatalog.values()) {
      if (list.length > MAX_HINT_OPERATIONS || list.length < MIN_HINT_OPERATIONS) continue;
      const counts = new Map<string, number>();
      for (const d of list) counts.set(hints.resources[d]!, (counts.get(hints.resources[d]!) ?? 0) + 1);
      for (const [resource, n] of counts) {
        if (!resource || n < MIN_RESOURCE_SHARE * list.length || added.has(resource) || analyzer.stem(resource) === stem) continue;
        added.add(resource);
        concept.push({ word: resource, weight: RESOURCE_HINT_WEIGHT });
      }
    }
  }
}
