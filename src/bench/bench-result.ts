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
