// Where each replayed task's tokens go, call by call: one row per task and one column per kind of
// exchange (tools/list, search, describe, execute or run), a cell listing each call of that kind
// ("412 + 380" for two execute_tool calls). A user reads off which step to make cheaper on their own
// catalog; the last row gives the median call of each kind.
import type { CatalogResult } from './bench-result.js';
import type { ReplayMode } from './replay.js';

export interface StepTable {
  head: string[];
  rows: string[][];
  align: Array<'l' | 'r'>;
}

/** The exchanges of each mode, in the order a task makes them. */
const STEP_PARTS: Record<Exclude<ReplayMode, 'static'>, string[]> = {
  dynamic: ['tools/list', 'search_tools', 'describe_tools', 'execute_tool'],
  code: ['tools/list', 'search_tools', 'describe_tools', 'run_code'],
};
const TASK_CHARS = 40;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function stepTable(catalog: CatalogResult, mode: Exclude<ReplayMode, 'static'>): StepTable {
  const parts = STEP_PARTS[mode];
  const tasks = catalog.tasks ?? [];
  const byPart = new Map<string, number[]>(parts.map((p) => [p, []]));
  const rows = tasks.map((t, i) => {
    const run = t.runs[mode];
    const cells = parts.map((part) => {
      const calls = (run.steps ?? []).filter((s) => s.part === part).map((s) => s.tokens.o200k);
      byPart.get(part)!.push(...calls);
      return calls.map(fmt).join(' + ');
    });
    return [String(i + 1), cut(t.task), ...cells, `${fmt(run.total.o200k)}${run.ok ? '' : ' FAILED'}`];
  });
  rows.push(['', 'median call', ...parts.map((p) => fmt(median(byPart.get(p)!))), '']);
  return { head: ['#', 'task', ...parts, 'total'], rows, align: ['r', 'l', ...parts.map(() => 'r' as const), 'r'] };
}

/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function cut(text: string): string {
  return text.length > TASK_CHARS ? `${text.slice(0, TASK_CHARS - 1)}…` : text;
}
