// Published figures printed beside ours, each with its source, and the goals toolshed holds itself to.
import { modeTotal, succeededTasks, type BenchResult, type CatalogResult, type TaskResult } from './bench-result.js';

/** Upfront tokens (toolshed's tools/list, o200k) allowed for any catalog, in every mode. */
export const UPFRONT_GOAL_TOKENS = 1_000;
/** Task-level totals allowed, as a share of the static server's, in dynamic and code modes. */
export const TASK_GOAL_SHARE = 0.03;

export interface Anchor {
  who: string;
  claim: string;
  source: { title: string; url: string };
  /** Our comparable figure, when the run has one. */
  ours(result: BenchResult): string | undefined;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (part: number, whole: number) => `${((1 - part / whole) * 100).toFixed(1)}%`;

export const ANCHORS: readonly Anchor[] = [
  {
    who: 'Cloudflare Code Mode',
    claim: '1,069 tokens for 2,594 endpoints (1,170,523 with full schemas)',
    source: { title: 'Cloudflare blog, "Code Mode: give agents an entire API in 1,000 tokens" (2026)', url: 'https://blog.cloudflare.com/code-mode-mcp/' },
    ours: (result) => {
      const largest = [...result.catalogs].sort((a, b) => b.figures.tools - a.figures.tools)[0];
      if (!largest) return undefined;
      const f = largest.figures;
      return `toolshed --mode code: ${fmt(f.modes.code.o200k)} tokens for ${fmt(f.tools)} operations of ${f.label} (${fmt(f.plain.o200k)} as a plain server's tools/list)`;
    },
  },
  {
    who: 'Speakeasy dynamic toolsets',
    claim: '96% fewer input tokens than a static toolset',
    source: { title: 'Speakeasy blog, "Reducing MCP token usage by 100x — you don\'t need code mode" (2025-11-18)', url: 'https://www.speakeasy.com/blog/how-we-reduced-token-usage-by-100x-dynamic-toolsets-v2' },
    ours: (result) => taskFigure(result, 'dynamic', (c, s, d, ok) => `toolshed --mode dynamic on ${c.figures.label}'s ${ofTasks(ok, c)}: ${pct(d, s)} fewer tokens than static (input and output together)`),
  },
  {
    who: 'Anthropic, code execution with MCP',
    claim: '150,000 tokens to 2,000 (98.7% fewer)',
    source: { title: 'Anthropic engineering, "Code execution with MCP: building more efficient agents" (2025-11-04)', url: 'https://www.anthropic.com/engineering/code-execution-with-mcp' },
    ours: (result) =>
      taskFigure(result, 'code', (c, s, d, ok) => {
        const n = ok.length;
        return `toolshed --mode code on ${c.figures.label}'s ${ofTasks(ok, c)}: ${fmt(s / n)} tokens to ${fmt(d / n)} per task (${pct(d, s)} fewer)`;
      }),
  },
];

/** Our figure from the tasks that succeeded only; none when none did (a failed replay's tokens prove nothing). */
function taskFigure(result: BenchResult, mode: 'dynamic' | 'code', say: (c: CatalogResult, staticTotal: number, modeTotal: number, ok: TaskResult[]) => string): string | undefined {
  const lines = result.catalogs.flatMap((c) => {
    const ok = succeededTasks(c.tasks ?? []);
    return ok.length ? [say(c, modeTotal(ok, 'static').o200k, modeTotal(ok, mode).o200k, ok)] : [];
  });
  return lines.length ? lines.join('; ') : undefined;
}

/** "26 tasks", or "4 succeeded tasks of 6" when some failed. */
function ofTasks(ok: readonly TaskResult[], c: CatalogResult): string {
  return ok.length === c.tasks!.length ? `${ok.length} tasks` : `${ok.length} succeeded tasks of ${c.tasks!.length}`;
}

export interface GoalCheck {
  goal: string;
  met: boolean;
  detail: string;
}

export function checkGoals(result: BenchResult): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const over = result.catalogs.flatMap((c) =>
    (['dynamic', 'code', 'both'] as const).filter((m) => c.figures.modes[m].o200k > UPFRONT_GOAL_TOKENS).map((m) => `${c.figures.label} ${m}: ${fmt(c.figures.modes[m].o200k)}`),
  );
  const largest = Math.max(...result.catalogs.flatMap((c) => Object.values(c.figures.modes).map((t) => t.o200k)));
  checks.push({
    goal: `Upfront tokens (toolshed's tools/list) at most ${fmt(UPFRONT_GOAL_TOKENS)} for every catalog, every mode`,
    met: over.length === 0,
    detail: over.length ? `over: ${over.join(', ')}` : `largest: ${fmt(largest)}`,
  });
  for (const c of result.catalogs.filter((c) => c.tasks?.length)) {
    const ok = succeededTasks(c.tasks!);
    const staticTotal = modeTotal(ok, 'static').o200k;
    for (const mode of ['dynamic', 'code'] as const) {
      const goal = `${c.figures.label} tasks, ${mode} mode: total at most ${TASK_GOAL_SHARE * 100}% of static`;
      if (!ok.length) {
        checks.push({ goal, met: false, detail: `not measured: all ${c.tasks!.length} tasks failed` });
        continue;
      }
      const share = modeTotal(ok, mode).o200k / staticTotal;
      const partial = ok.length < c.tasks!.length ? `, from the ${ofTasks(ok, c)}` : '';
      checks.push({ goal, met: share <= TASK_GOAL_SHARE, detail: `${(share * 100).toFixed(2)}% of static${partial}` });
    }
  }
  return checks;
}
