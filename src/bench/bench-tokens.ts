// `toolshed bench tokens`: measures one or more catalogs (upfront figures, and tasks replayed per mode
// when given) and writes the report, the chart and the raw figures.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolshedConfig } from '../config.js';
import type { Logger } from '../log.js';
import { SERVE_MODES, type ServeMode } from '../server/create-server.js';
import { openToolshed } from '../toolshed.js';
import { UPFRONT_GOAL_TOKENS } from './anchors.js';
import { openBenchSession } from './bench-session.js';
import type { BenchResult, CatalogResult, TaskResult } from './bench-result.js';
import { measureOffline, measureToolsList, type OfflineFigures } from './catalog-figures.js';
import { sameAnswer } from './answer-check.js';
import { plainName } from './plain-tools-list.js';
import { replayCode, replayDynamic, replayStatic, type TaskRun } from './replay.js';
import { markdownReport, terminalReport, type MarkdownOptions } from './report.js';
import { tokenChart } from './svg-chart.js';
import type { BenchTask } from './task-file.js';
import { checkWrites, writingTasks } from './write-guard.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import type { TokenCounter, Tokens } from './token-count.js';

/** The static replay lifts toolshed's response cut and its lean profile: a plain server sends whole bodies as the API sent them (32 MB read limit still applies). */
export const UNCUT_RESPONSE_TOKENS = 100_000_000;

export interface BenchCatalog {
  /** Name in tables and the chart (`GitHub`); default: the catalog's namespaces. */
  label?: string;
  /** The catalog, loaded in-process for the figures computed from it. */
  config: ToolshedConfig;
  /** The same catalog as `toolshed serve` flags (`--openapi github=… --server github=…`), for the running toolshed. */
  serveArgs: string[];
  tasks?: BenchTask[];
  /** Replay tasks that write (non-GET operations, MCP tools not marked read-only); without it they are refused. */
  allowWrites?: boolean;
}

export interface BenchContext {
  counter: TokenCounter;
  log: Logger;
  /** Progress lines for start-ups and replays (none by default). */
  progress?: Progress;
}

export async function benchCatalog(catalog: BenchCatalog, ctx: BenchContext): Promise<CatalogResult> {
  const { counter, log } = ctx;
  const progress = ctx.progress ?? NO_PROGRESS;
  const n = catalog.tasks?.length ?? 0;
  const { offline, plainNames, namespaces, writers } = await measureInProcess(catalog.config, ctx, catalog.tasks ?? []);
  const label = catalog.label ?? labelOf(namespaces);
  const notice = checkWrites(writers, catalog.allowWrites ?? false, serversOf(catalog.config));
  if (notice) process.stderr.write(notice);
  const modes = {} as Record<ServeMode, Tokens>;
  const runs = (catalog.tasks ?? []).map(() => ({}) as Record<string, TaskRun>);
  let startMs = 0;
  for (const mode of SERVE_MODES) {
    const started = performance.now();
    const session = await progress.step(`starting toolshed --mode ${mode}`, () => openBenchSession([...catalog.serveArgs, '--mode', mode, '--log-level', 'warn']));
    if (mode === SERVE_MODES[0]) startMs = Math.round(performance.now() - started);
    try {
      modes[mode] = await measureToolsList(session, counter);
      if (mode === 'both') continue;
      for (const [i, task] of (catalog.tasks ?? []).entries()) {
        runs[i]![mode] = await progress.step(`task ${i + 1}/${n} (${mode})`, () => (mode === 'dynamic' ? replayDynamic(session, task, counter) : replayCode(session, task, counter)));
      }
    } finally {
      await session.close();
    }
  }
  if (catalog.tasks?.length) {
    const session = await openBenchSession([...catalog.serveArgs, '--mode', 'dynamic', '--log-level', 'warn', '--max-response-tokens', String(UNCUT_RESPONSE_TOKENS), '--responses', 'raw']);
    try {
      for (const [i, task] of catalog.tasks.entries()) runs[i]!.static = await progress.step(`task ${i + 1}/${n} (static)`, () => replayStatic(session, task, counter, offline.plain, (id) => plainNames.get(id) ?? id));
    } finally {
      await session.close();
    }
  }
  for (const r of runs) if (r.dynamic && r.code) checkDynamicAnswer(r as Record<'dynamic' | 'code', TaskRun>);
  log.info({ catalog: label, tools: offline.tools, startMs }, 'catalog measured');
  const tasks: TaskResult[] | undefined = catalog.tasks?.map((t, i) => ({ task: t.task, runs: runs[i] as TaskResult['runs'] }));
  return { figures: { label, ...offline, modes }, startMs, ...(tasks ? { tasks } : {}) };
}

/** Where replayed calls go, for the write notice: the --server overrides, else the specs' own servers. */
function serversOf(config: ToolshedConfig): string {
  const overrides = config.openapi.filter((c) => c.server).map((c) => `${c.namespace ?? c.openapi} → ${c.server}`);
  return overrides.length ? overrides.join(', ') : "the catalog's own servers (the real API)";
}

/** Dynamic mode fails a task whose answer, from what the model was shown, differs from code mode's (a needed field was left out). */
function checkDynamicAnswer(runs: Record<'dynamic' | 'code', TaskRun>): void {
  const { dynamic, code } = runs;
  if (!dynamic.ok || !code.ok || sameAnswer(dynamic.result, code.result)) return;
  dynamic.ok = false;
  dynamic.error = `answer differs from code mode's (a needed field left out?): ${JSON.stringify(dynamic.result)?.slice(0, 200)} vs ${JSON.stringify(code.result)?.slice(0, 200)}`;
}

/** Namespaces named in a default label, at most. */
const LABEL_NAMESPACES_MAX = 3;

function labelOf(namespaces: string[]): string {
  return namespaces.length > LABEL_NAMESPACES_MAX ? `${namespaces.slice(0, LABEL_NAMESPACES_MAX).join('+')}+${namespaces.length - LABEL_NAMESPACES_MAX} more` : namespaces.join('+');
}

async function measureInProcess(config: ToolshedConfig, ctx: BenchContext, tasks: readonly BenchTask[]): Promise<{ offline: OfflineFigures; plainNames: Map<string, string>; namespaces: string[]; writers: string[] }> {
  const toolshed = await openToolshed(config, ctx.log, ctx.progress ? { progress: ctx.progress } : {});
  try {
    const tools = [...toolshed.registry.byId.values()];
    const writers = writingTasks(tasks, (id) => toolshed.registry.byId.get(id));
    return { offline: measureOffline(tools, ctx.counter), plainNames: new Map(tools.map((t) => [t.id, plainName(t)])), namespaces: toolshed.catalogs.map((c) => c.namespace), writers };
  } finally {
    await toolshed.close();
  }
}

export interface BenchOutputs {
  /** The terminal table. */
  text: string;
  /** Files written under the output directory. */
  files: string[];
}

/** Writes tokens.md, tokens.svg and tokens.json to `outDir`; returns the terminal table. */
export async function writeBenchOutputs(result: BenchResult, outDir: string, options: MarkdownOptions = {}): Promise<BenchOutputs> {
  await mkdir(outDir, { recursive: true });
  const files = { 'tokens.svg': tokenChart(result.catalogs.map((c) => c.figures), { goalTokens: UPFRONT_GOAL_TOKENS }), 'tokens.md': markdownReport(result, { chart: 'tokens.svg', ...options }), 'tokens.json': `${JSON.stringify(result, null, 2)}\n` };
  for (const [name, text] of Object.entries(files)) await writeFile(join(outDir, name), text);
  return { text: terminalReport(result), files: Object.keys(files).map((f) => join(outDir, f)) };
}
