// Whether dynamic mode still answers each task after the lean profile and `select` shaped what the
// model read: the task's `returns` expression is evaluated over the execute_tool results as the model
// received them and compared with Code Mode's answer, computed from the whole values inside run_code.
// A field the task needs that trimming or select left out makes the answers differ, and the replay
// fails. Fields the lean notice says were left out (null, "", [], {}) compare as absent on both sides.
import { isDeepStrictEqual } from 'node:util';
import vm from 'node:vm';
import { returnTail, type BenchTask } from './task-file.js';

/** A task's `returns` gets this long to run over the step results (it is the user's own expression). */
const ANSWER_TIMEOUT_MS = 1_000;

/** The response body an execute_tool text carries: `HTTP 200\n<JSON>\n[notices]`. */
export function bodyOf(text: string): unknown {
  const lines = text.split('\n');
  const body = /^HTTP \d{3}/.test(lines[0] ?? '') ? lines[1] ?? '' : lines[0] ?? '';
  try {
    return JSON.parse(body);
  } catch {
    return text;
  }
}

/** The task's answer over the step results, or the error evaluating it raised. */
export function answerOf(task: BenchTask, results: unknown[]): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    // Called inside the script, so the timeout covers the expression's run (a loop in it cannot hang the bench);
    // through JSON, as run_code's answer came: undefined members drop, dates become strings.
    const script = new vm.Script(`JSON.stringify((function (r) { ${returnTail(task.returns)} })(results) ?? null)`);
    const text = script.runInNewContext({ results: structuredClone(results) }, { timeout: ANSWER_TIMEOUT_MS }) as string;
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function sameAnswer(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(withoutEmpty(a), withoutEmpty(b));
}

function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== 'object') return value;
  const kept = Object.entries(value)
    .map(([k, v]) => [k, withoutEmpty(v)] as const)
    .filter(([, v]) => !(v === null || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && v !== null && !Object.keys(v).length)));
  return Object.fromEntries(kept);
}
