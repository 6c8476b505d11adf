// The benchmark's tables, rendered twice from the same rows: aligned text for the terminal and a
// Markdown report (with the chart, the anchors and the goals) for --out.
import { ANCHORS, checkGoals } from './anchors.js';
import { failureSummary, modeParts, modeTotal, succeededTasks, type BenchResult, type CatalogResult } from './bench-result.js';
import { REPLAY_MODES, type ReplayMode, type TaskRun } from './replay.js';
import { stepTable } from './step-table.js';
import type { Tokens } from './token-count.js';

type Table = { head: string[]; rows: string[][]; align?: Array<'l' | 'r'> };
/** Task text is cut to this many characters in tables. */
const TASK_COLUMN_CHARS = 60;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const claude = (t: Tokens) => (t.claude === undefined ? 'n/a' : `≈${fmt(t.claude)}`);
const shareOf = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)}%`;

const MEASURES: Array<[string, (c: CatalogResult) => Tokens]> = [
  ['plain server tools/list', (c) => c.figures.plain],
  ['names + one-liners', (c) => c.figures.namesOnly],
  ['toolshed dynamic', (c) => c.figures.modes.dynamic],
  ['toolshed code', (c) => c.figures.modes.code],
  ['toolshed both', (c) => c.figures.modes.both],
  ['TS declarations', (c) => c.figures.declarations],
];

/** `withStart`: a last column with toolshed's start-up time (load and index) for the catalog. */
function catalogTable(result: BenchResult, pick: (t: Tokens) => string, withStart = false): Table {
  return {
    head: ['catalog', 'operations', ...MEASURES.map(([name]) => name), ...(withStart ? ['start-up'] : [])],
    rows: result.catalogs.map((c) => [c.figures.label, fmt(c.figures.tools), ...MEASURES.map(([, of]) => pick(of(c))), ...(withStart ? [`${(c.startMs / 1000).toFixed(1)} s`] : [])]),
    align: ['l', 'r', ...MEASURES.map(() => 'r' as const), 'r'],
  };
}

function taskTable(c: CatalogResult): Table {
  const tasks = c.tasks ?? [];
  return {
    head: ['#', 'task', 'found', 'static', 'dynamic', 'code', 'dynamic/static', 'code/static'],
    rows: tasks.map((t, i) => {
      const { static: s, dynamic: d, code: k } = t.runs;
      const mark = (run: TaskRun) => `${fmt(run.total.o200k)}${run.ok ? '' : ' FAILED'}`;
      return [String(i + 1), cut(t.task), `${d.found?.found ?? 0}/${d.found?.needed ?? 0}`, mark(s), mark(d), mark(k), shareOf(d.total.o200k, s.total.o200k), shareOf(k.total.o200k, s.total.o200k)];
    }),
    align: ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  };
}

/** Over the tasks that succeeded: a failed replay's tokens are not a figure of anything. */
function totalsTable(c: CatalogResult, hasClaude: boolean): Table {
  const tasks = succeededTasks(c.tasks ?? []);
  const staticTotal = modeTotal(tasks, 'static');
  const table: Table = {
    head: ['mode', 'tokens (o200k)', 'Claude (approx.)', 'per task', 'share of static', 'reduction', 'without tools/list'],
    rows: REPLAY_MODES.map((m) => {
      const t = modeTotal(tasks, m);
      const list = modeParts(tasks, m)['tools/list']?.o200k ?? 0;
      return [m, fmt(t.o200k), claude(t), fmt(t.o200k / tasks.length), shareOf(t.o200k, staticTotal.o200k), `${((1 - t.o200k / staticTotal.o200k) * 100).toFixed(2)}%`, fmt(t.o200k - list)];
    }),
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  };
  return hasClaude ? table : withoutColumn(table, 2);
}

function withoutColumn(t: Table, i: number): Table {
  const drop = <T>(row: T[]) => row.filter((_, j) => j !== i);
  return { head: drop(t.head), rows: t.rows.map(drop), ...(t.align ? { align: drop(t.align) } : {}) };
}

function partsTable(c: CatalogResult): Table {
  const tasks = succeededTasks(c.tasks ?? []);
  const byMode = Object.fromEntries(REPLAY_MODES.map((m) => [m, modeParts(tasks, m)])) as Record<ReplayMode, Record<string, Tokens>>;
  const parts = [...new Set(REPLAY_MODES.flatMap((m) => Object.keys(byMode[m])))];
  return {
    head: ['exchange', ...REPLAY_MODES],
    rows: parts.map((p) => [p, ...REPLAY_MODES.map((m) => (byMode[m][p] ? fmt(byMode[m][p]!.o200k) : ''))]),
    align: ['l', 'r', 'r', 'r'],
  };
}

function cut(text: string): string {
  return text.length > TASK_COLUMN_CHARS ? `${text.slice(0, TASK_COLUMN_CHARS - 1)}…` : text;
}

function renderText(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (t.align?.[i] === 'r' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(t.head), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

function renderMarkdown(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rule = t.head.map((_, i) => (t.align?.[i] === 'r' ? '---:' : '---'));
  return [t.head, rule, ...t.rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

function failures(c: CatalogResult): string[] {
  return (c.tasks ?? []).flatMap((t, i) => REPLAY_MODES.filter((m) => !t.runs[m].ok).map((m) => `task ${i + 1} (${m}): ${(t.runs[m].error ?? '').split('\n')[0]}`));
}

export function terminalReport(result: BenchResult): string {
  const failed = failureSummary(result);
  const out = [...(failed ? [`FAILED: ${failed}.`, ''] : []), 'Upfront tokens (o200k_base)', renderText(catalogTable(result, (t) => fmt(t.o200k), true))];
  out.push('', `Upfront tokens, Claude tokenizer (approximate${result.hasClaude ? '' : ': @anthropic-ai/tokenizer is not installed'})`, renderText(catalogTable(result, claude)));
  for (const c of result.catalogs.filter((c) => c.tasks?.length)) {
    const ok = succeededTasks(c.tasks!).length;
    out.push('', `${c.figures.label}: ${c.tasks!.length} tasks replayed (o200k)`, renderText(taskTable(c)));
    if (ok) out.push('', `Totals over the ${ok} tasks that succeeded`, renderText(totalsTable(c, result.hasClaude)), '', 'Where the tokens go (o200k, tasks that succeeded)', renderText(partsTable(c)));
    for (const mode of ['dynamic', 'code'] as const) out.push('', `Per step, ${mode} mode (o200k, each call)`, renderText(stepTable(c, mode)));
    out.push(...failures(c).map((f) => `FAILED ${f}`));
  }
  out.push('', 'Anchors', ...ANCHORS.flatMap((a) => [`  ${a.who}: ${a.claim} (${a.source.url})`, ...(a.ours(result) ? [`    ours: ${a.ours(result)}`] : [])]));
  out.push('', 'Goals', ...checkGoals(result).map((g) => `  [${g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.detail}`));
  return `${out.join('\n')}\n`;
}

export interface MarkdownOptions {
  /** The chart's file name, relative to the report. */
  chart?: string;
  /** How the figures were produced (the command), printed under the title. */
  command?: string;
  /** More about the run (what the tasks were replayed against), printed under the command. */
  note?: string;
}

export function markdownReport(result: BenchResult, options: MarkdownOptions = {}): string {
  const out = ['# Token benchmark', ''];
  const failed = failureSummary(result);
  if (failed) out.push(`> **FAILED: ${failed}.** See "Failed replays" below.`, '');
  const claudeNote = result.hasClaude ? 'the Claude figures use `@anthropic-ai/tokenizer` (an older Claude tokenizer, so approximate)' : 'no Claude figures (`@anthropic-ai/tokenizer` is not installed)';
  if (options.command) out.push(`Produced by \`${options.command}\`. Token counts are o200k_base (gpt-tokenizer); ${claudeNote}.`, '');
  if (options.note) out.push(options.note, '');
  if (options.chart) out.push(`![${result.catalogs.length === 1 ? 'Tokens before the first task, one bar per way of serving the catalog, log scale' : 'Tokens against catalog size, log scales'}](${options.chart})`, '');
  const hasTasks = result.catalogs.some((c) => c.tasks?.length);
  out.push('## Upfront: what a client pays before the first task', '', renderMarkdown(catalogTable(result, (t) => fmt(t.o200k), true)), '');
  if (result.hasClaude) out.push('Claude tokenizer (approximate):', '', renderMarkdown(catalogTable(result, claude)), '');
  out.push(
    `- **plain server tools/list**: one tool per operation, \`{name, description, inputSchema}\`, each schema self-contained (the named sub-schemas it reaches, once, under its own \`$defs\`); the description is the operation's (its summary when it has none). Fuller conversions (summary and description, \`$ref\`s expanded in place) cost more, so ${hasTasks ? "the task table's reductions are lower bounds" : 'the savings these figures show are lower bounds'}.`,
    '- **names + one-liners**: the same list with only `{name, description: summary}`.',
    "- **toolshed dynamic / code / both**: toolshed's own `tools/list` in each `--mode`, as a real client received it.",
    "- **TS declarations**: Code Mode's declarations of the whole catalog (what run_code type-checks against; the model only sees the parts describe_tools returns).",
    '- **start-up**: from spawning `toolshed serve` to its answer to `initialize` (catalog load and search index).',
    '',
  );
  for (const c of result.catalogs.filter((c) => c.tasks?.length)) {
    out.push(`## Tasks: ${c.figures.label}`, '');
    out.push(
      'Each task is replayed as a fresh conversation through the MCP client, against a running toolshed: **dynamic** = `tools/list` + `search_tools(task)` + `describe_tools(needed tools)` + one `execute_tool` per step; **code** = `tools/list` + `search_tools` + `describe_tools(format: typescript)` + one `run_code` returning only what the task asks; **static** = a plain server\'s `tools/list` + each step\'s request and full response. Every request\'s params and every response\'s payload are counted as they crossed the wire. *found*: how many of the tools the task needs were in search_tools\' top 5.',
      '',
      renderMarkdown(taskTable(c)),
      '',
    );
    const ok = succeededTasks(c.tasks!).length;
    if (ok) out.push(`Totals over the ${ok} tasks that succeeded (*reduction*: 1 − share of static):`, '', renderMarkdown(totalsTable(c, result.hasClaude)), '', 'Where the tokens go (o200k, tasks that succeeded):', '', renderMarkdown(partsTable(c)), '');
    out.push(...(['dynamic', 'code'] as const).flatMap((mode) => [`Per step, ${mode} mode (o200k; each call, request and result):`, '', renderMarkdown(stepTable(c, mode)), '']));
    const failed = failures(c);
    if (failed.length) out.push('Failed replays:', '', ...failed.map((f) => `- ${f}`), '');
  }
  out.push('## Anchors', '', '| published | figure | ours |', '| --- | --- | --- |');
  for (const a of ANCHORS) out.push(`| [${a.who}](${a.source.url}): ${a.source.title} | ${a.claim} | ${a.ours(result) ?? '(no comparable figure in this run)'} |`);
  out.push('', '## Goals', '', ...checkGoals(result).map((g) => `- ${g.met ? '✅ met' : '❌ missed'}: ${g.goal} (${g.detail})`), '');
  return out.join('\n');
}
