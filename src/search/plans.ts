// Plans in search results: a top result that needs a value the request does not give ("reviews of
// <a show>" needs the show's id) brings the operation that produces it, placed right after it, so an
// agent sees every step of the task in one answer. The producers come from the producer graph.
import { contextKey, type Need, type ProducerGraph } from './producer-graph.js';

/** Results whose producers are brought in: the ones an agent is likely to act on. */
export const DEFAULT_PLAN_DEPTH = 3;
/**
 * Where the later steps of a plan go: after this many results, which stay the request's best matches.
 * They are the searches that find a needed value from words (`tasks/search` for "the task 'send
 * invoices'", beside the list that `needs` names), the producers that lower results and the producers
 * themselves need, and the read of one item of a top list (`GET /spells/{index}` after `GET /spells`).
 * Measured (bench:search): the searches lifted the multi-step dev set's recall@10 0.684 → 0.714 with
 * GitHub R@5 unchanged at 0.900 (placed right after the result that needs them instead, it fell to
 * 0.882); the other steps 0.724 → 0.738, GitHub R@5 unchanged at 0.906 (the first five cannot move).
 */
export const SEARCH_SLOT = 5;

/** One ranked position and, when it has any, what it needs (after dropping what the request gives). */
export interface PlannedHit {
  position: number;
  needs?: Need[];
  /** Set on a producer brought in for an earlier result: the position that needs it. */
  neededBy?: number;
}

/**
 * `ranked` (best first, longer than `limit` so that producers can be found in it or added) becomes the
 * final order: each of the first `depth` results is followed by the producers of what it needs, unless
 * already placed above it; the later steps (see SEARCH_SLOT) come after the first SEARCH_SLOT results,
 * each only while the result it serves is still in the list; everything stays unique and is cut at `limit`.
 */
export function planResults(ranked: readonly number[], ids: readonly string[], positionOf: ReadonlyMap<string, number>, graph: ProducerGraph, query: string, limit: number, depth = DEFAULT_PLAN_DEPTH): PlannedHit[] {
  const out: PlannedHit[] = [];
  const placed = new Set<number>();
  const place = (hit: PlannedHit): void => {
    out.push(hit);
    placed.add(hit.position);
  };
  const later: PlannedHit[] = [];
  /** A later step for the result at `forPosition` (`producer`: it gives a value that result needs), once. */
  const defer = (id: string, forPosition: number, producer: boolean): void => {
    const position = positionOf.get(id);
    if (position === undefined || later.some((h) => h.position === position)) return;
    const own = needsOf(graph, id, query);
    later.push({ position, ...(producer ? { neededBy: forPosition } : {}), ...(own.length ? { needs: own } : {}) });
  };
  for (const position of ranked) {
    if (out.length >= limit) break;
    if (placed.has(position)) continue;
    const id = ids[position]!;
    const needs = needsOf(graph, id, query);
    place({ position, ...(needs.length ? { needs } : {}) });
    if (out.length > depth) {
      for (const need of needs) defer(need.from, position, true);
      continue;
    }
    for (const need of needs) {
      const producer = positionOf.get(need.from);
      if (producer === undefined || placed.has(producer) || out.length >= limit) continue;
      const own = needsOf(graph, need.from, query);
      place({ position: producer, neededBy: position, ...(own.length ? { needs: own } : {}) });
      // One hop more: what the producer itself needs (`GET /users/{user_gid}/teams` needs a user).
      for (const next of own) defer(next.from, producer, true);
    }
    const item = graph.details?.[id];
    if (item !== undefined) defer(item, position, false);
    for (const need of graph.searches?.[id] ?? []) if (needs.some((n) => n.param === need.param)) defer(need.from, position, true);
  }
  // A later step whose result fell off the list goes too, and the next one takes its place.
  let kept = later;
  for (;;) {
    const merged = [...out];
    for (const hit of [...kept].reverse()) {
      const at = merged.findIndex((h) => h.position === hit.position);
      if (at !== -1 && at <= SEARCH_SLOT) continue;
      if (at !== -1) merged.splice(at, 1);
      merged.splice(Math.min(merged.length, SEARCH_SLOT), 0, hit);
    }
    const final = merged.slice(0, limit);
    const shown = new Set(final.map((h) => h.position));
    const anchored = kept.filter((h) => h.neededBy === undefined || shown.has(h.neededBy));
    if (anchored.length === kept.length) return final;
    kept = anchored;
  }
}

function namespaceOf(id: string): string {
  return id.slice(0, id.indexOf('.'));
}

/**
 * What a tool needs that the request does not give: neither outright (`issue #12`, `project 1203`,
 * `octo/hello`) nor as the scope the user works in (the catalog's context: GitHub's owner and repo).
 */
export function needsOf(graph: ProducerGraph, id: string, query: string): Need[] {
  const needs = graph.needs[id];
  if (!needs) return [];
  const context = graph.context[namespaceOf(id)] ?? [];
  return needs.filter((need) => !context.includes(contextKey(need)) && !givesValue(query, need.param));
}

/**
 * Whether the request carries the value itself: the parameter's noun followed by a number or an id
 * (`issue 123`, `dag_id=etl`, `task #42`), or an `owner/name` slug for an owner or repository. A name in
 * words ("the Offsite project") is not a value: the API still needs the id a lookup returns.
 */
function givesValue(query: string, param: string): boolean {
  const noun = param.replace(/[_-]?(id|ids|gid|uid|uuid|key|number|slug)$/i, '').replace(/[_-]+/g, ' ').trim();
  if (/^(owner|repo|repository|org)$/i.test(noun) && /\b[\w.-]+\/[\w.-]+\b/.test(query)) return true;
  if (!noun) return /#\d+|\b[0-9a-f]{8}-[0-9a-f-]{27}\b/i.test(query);
  const escaped = noun.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ _-]?');
  return new RegExp(`\\b${escaped}s?(?:[ _-]?(?:id|key|number|no))?(?:\\s*[:=]\\s*\\S+|\\s*#?\\d+\\b|\\s+[0-9a-f]{8}-[0-9a-f-]{27})`, 'i').test(query);
}

/** The text line of a result's needs: `needs person_id: from movies.search_person; repo: from …`. */
export function needsLine(needs: readonly Need[]): string {
  return `needs ${needs.map((n) => `${n.param}: from ${n.from}`).join('; ')}`;
}
