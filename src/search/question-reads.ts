// A question asks to read. "Who is on the marketing team", "what's the schedule of the backup dag",
// "which workflows are paused": the answer comes from a GET, yet the words of a question often match
// the writes of the same resource better ("Create a team", "Update a DAG"). When a request is a question,
// operations that change something count for a little less. Requests that ask how to do something
// ("how do I delete a branch", "can you close it") are not questions in this sense and are left alone.
// Measured (goal-figures.ts): the multi-step dev set's recall@10 0.751 → 0.760, hit@5 0.782 → 0.786,
// held-out LaunchDarkly hit@5 0.694 → 0.722; GitHub R@5 (0.906) and R@10, and LiveMCPBench (MCP tools,
// untouched) unchanged; with each API alone in its index, the dev set's recall@10 0.863 → 0.873 and
// LaunchDarkly's hit@5 0.806 → 0.833. At 0.3 the same recall with one request fewer in the dev set's
// hit@5; at 0.1 a ninth of the recall gain and none of LaunchDarkly's.
import type { ToolEntry } from '../catalog/tool-entry.js';

/** Share of its score a write operation loses when the request is a question. */
export const QUESTION_WRITE_DISCOUNT = 0.2;

// Not a bare "do": "do a backup now" is an order.
const QUESTION = /^\s*(who|whom|whose|what|which|how|where|when|is|are|was|were|does|did|has|have|had)\b/i;
/** Asking how to act, or asking for an action: a request to write as often as to read. */
const ASKS_TO_ACT = /^\s*(how\s+(do|can|could|should|would|to)\b|(can|could|should|would)\s+(i|we|you)\b|is\s+it\s+possible\b)/i;

export function isQuestion(query: string): boolean {
  return QUESTION.test(query) && !ASKS_TO_ACT.test(query);
}

/**
 * 1 for each HTTP operation that changes something: any method but GET, except a POST named as a
 * search, list or query (`POST /dags/~/dagRuns/list`). Upstream MCP tools are left out: few declare
 * whether they only read.
 */
export function writeFlags(tools: readonly ToolEntry[]): Uint8Array {
  return Uint8Array.from(tools, (t) => {
    if (t.binding.kind !== 'http' || t.binding.method === 'GET' || t.binding.method === 'HEAD') return 0;
    const lookup = t.binding.method === 'POST' && /(^|[^a-z])(search|list|query)([^a-z]|$)/i.test(`${t.name} ${t.binding.path}`);
    return lookup ? 0 : 1;
  });
}

/** Scales the scores of writes in place when `query` is a question. */
export function discountWrites(scores: Float64Array, writes: Uint8Array, query: string, discount = QUESTION_WRITE_DISCOUNT): void {
  if (discount <= 0 || !isQuestion(query)) return;
  for (let i = 0; i < scores.length; i++) if (writes[i]) scores[i]! *= 1 - discount;
}
