// Multi-intent requests: "find the run that failed, then show its logs and clear it" asks for three
// operations, and one ranking of the whole sentence gives the top slots to whichever step has the most
// words. The request is cut into its steps at the words people join steps with; each step is scored on
// its own, and a tool's best step score (relative to that step's best tool) is added to its score for
// the whole request, so each step's best tools rise without pushing out what fits the whole.
// Measured (bench:search): score fusion at weight 0.6 lifted LiveMCPBench hybrid recall@10 0.517 →
// 0.528 and the multi-step dev set 0.679 → 0.684, GitHub R@5 unchanged; round-robin merging of the step
// rankings instead cost LiveMCPBench 6 points.

/** Steps beyond this are joined into the last one: a pasted paragraph must not cost dozens of scorings. */
export const MAX_INTENTS = 4;
/** Weight of a tool's best step score beside its score for the whole request. */
export const DEFAULT_STEP_WEIGHT = 0.6;
/** A part shorter than this (in words) is not a step of its own: "add sam and priya to the group". */
const MIN_WORDS = 3;

// Strong joints always cut; "and" and commas only cut between two parts that each look like a step.
const STRONG = /\s*(?:;|\.\s+|\bthen\b|\bafter that\b|\bafterwards\b|\bas well as\b|\balso\b)\s*/i;
const WEAK = /\s*(?:,\s*and\b|,|\band\b)\s*/i;

/** The steps of a request, in order; a request of one step gives `[]`. */
export function splitIntents(query: string): string[] {
  const steps: string[] = [];
  for (const part of query.split(STRONG)) {
    const pieces = part.split(WEAK).map((p) => p.trim()).filter(Boolean);
    // A short piece is glued to its neighbour: it is part of an object list ("sam and priya"), not a step.
    let current = '';
    for (const piece of pieces) {
      if (current && words(current) >= MIN_WORDS && words(piece) >= MIN_WORDS) {
        steps.push(current);
        current = piece;
      } else current = current ? `${current} and ${piece}` : piece;
    }
    if (current) steps.push(current);
  }
  const kept = steps.map((s) => s.replace(/^(and|or|but|so)\s+/i, '').trim()).filter((s) => words(s) > 0);
  if (kept.length < 2) return [];
  return kept.length > MAX_INTENTS ? [...kept.slice(0, MAX_INTENTS - 1), kept.slice(MAX_INTENTS - 1).join(' ')] : kept;
}

/** Adds to each tool's score `weight ×` its best score over the steps, each step divided by its own maximum. */
export function addStepScores(scores: Float64Array, steps: readonly Float64Array[], weight: number): void {
  const best = new Float64Array(scores.length);
  for (const step of steps) {
    let max = 0;
    for (const s of step) if (s > max) max = s;
    if (max > 0) for (let i = 0; i < step.length; i++) if (step[i]! / max > best[i]!) best[i] = step[i]! / max;
  }
  for (let i = 0; i < scores.length; i++) scores[i]! += weight * best[i]!;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
