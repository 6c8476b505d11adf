// The benchmark's results as plain data: what the report, the chart and tokens.json are made from.
import type { CatalogFigures } from './catalog-figures.js';
import type { ReplayMode, TaskRun } from './replay.js';
import { sumTokens, type Tokens } from './token-count.js';

export interface TaskResult {
  task: string;
  runs: Record<ReplayMode, TaskRun>;
}

export interface CatalogResult {
  figures: CatalogFigures;
  /** Milliseconds from spawning `toolshed serve` to its answer to initialize (catalog load and index). */
  startMs: number;
  tasks?: TaskResult[];
}

export interface BenchResult {
  catalogs: CatalogResult[];
  /** Whether the Claude column was measured (@anthropic-ai/tokenizer installed). */
  hasClaude: boolean;
}

/** Tasks whose replay succeeded in every mode: the only ones totals, anchors and goals are computed from. */
export function succeededTasks(tasks: readonly TaskResult[]): TaskResult[] {
  return tasks.filter((t) => Object.values(t.runs).every((r) => r.ok));
}

/** `3 of 26 task replays failed (GitHub)`, or undefined when every replay succeeded. */
export function failureSummary(result: BenchResult): string | undefined {
  const withTasks = result.catalogs.filter((c) => c.tasks?.length);
  const failed = withTasks.map((c) => ({ c, n: c.tasks!.length - succeededTasks(c.tasks!).length })).filter((f) => f.n > 0);
  if (!failed.length) return undefined;
  return `${failed.map(({ c, n }) => `${n} of ${c.tasks!.length} tasks failed (${c.figures.label})`).join('; ')}: their rows are marked FAILED; totals, anchors and goals count only the tasks that succeeded`;
}

/** Every task's tokens in `mode`, summed. */
export function modeTotal(tasks: readonly TaskResult[], mode: ReplayMode): Tokens {
  return sumTokens(tasks.map((t) => t.runs[mode].total));
}

/** Tokens by part (tools/list, search_tools, …) over every task in `mode`. */
export function modeParts(tasks: readonly TaskResult[], mode: ReplayMode): Record<string, Tokens> {
  const parts: Record<string, Tokens> = {};
  for (const task of tasks) {
    for (const [part, tokens] of Object.entries(task.runs[mode].parts)) parts[part] = parts[part] ? sumTokens([parts[part]!, tokens]) : tokens;
  }
  return parts;
}
