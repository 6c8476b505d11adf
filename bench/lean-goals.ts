// Issue 14's per-call goals on the GitHub catalog, measured through a real MCP client against the
// `toolshed serve` bin (o200k tokens of each result payload as it crossed the wire, the request left out):
//   - describe_tools for one tool: the median over the suite's tools (bench/tasks/github.json) and over
//     the whole catalog, JSON (default) and TypeScript;
//   - describe_tools format typescript for issues_create, repos_get and pulls_list;
//   - execute_tool results over the suite's steps, against Prism: as the API sent them (no select,
//     --responses raw: the issue's baseline, measured in the same run), lean alone, lean with the
//     task's select;
//   - the whole catalog's declarations, as run_code type-checks them and with input docs;
//   - tools/list per mode.
// Run (after `npm run build`): node --import tsx bench/lean-goals.ts [--no-execute]
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadOpenApiCatalog } from '../src/catalog/load-openapi.js';
import { planCodegen } from '../src/codegen/codegen-plan.js';
import { emitCatalogDeclarations, TYPECHECK_EMIT } from '../src/codegen/declarations.js';
import { openBenchSession, type BenchSession } from '../src/bench/bench-session.js';
import { median } from '../src/bench/step-table.js';
import { readTaskFile, toolsOf } from '../src/bench/task-file.js';
import { GITHUB_SPEC, startGithubPrism } from './prism.js';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

/** The issue's goals, in o200k tokens (execute_tool's is a share of the baseline measured here). */
const GOALS = { describeOne: 400, describeTs: 600, declarations: 150_000, toolsListBoth: 900, executeShare: 0.5 };
const COMMON_TOOLS = ['github.issues_create', 'github.repos_get', 'github.pulls_list'];

const { values } = parseArgs({ options: { 'no-execute': { type: 'boolean' } } });
const tasks = await readTaskFile(fileURLToPath(new URL('tasks/github.json', import.meta.url)));
const tokens = (text: string) => encode(text).length;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mark = (ok: boolean) => (ok ? 'meets' : 'MISSES');
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

/** Tokens of the result of each call made by `run`, as the client received it. */
async function resultTokens(session: BenchSession, run: () => Promise<unknown>): Promise<number[]> {
  session.recorder.take();
  await run();
  return session.recorder.take().map((e) => tokens(JSON.stringify(e.result)));
}

const serve = ['--openapi', `github=${GITHUB_SPEC}`, '--log-level', 'warn'];

// tools/list per mode.
for (const mode of ['dynamic', 'code', 'both']) {
  const session = await openBenchSession([...serve, '--mode', mode]);
  try {
    const [list] = await resultTokens(session, () => session.client.listTools());
    say(`tools/list --mode ${mode}: ${fmt(list!)} tokens${mode === 'both' ? ` (goal ≤ ${GOALS.toolsListBoth}: ${mark(list! <= GOALS.toolsListBoth)})` : ''}`);
  } finally {
    await session.close();
  }
}

// describe_tools, one tool per call.
const catalog = await loadOpenApiCatalog({ source: GITHUB_SPEC, namespace: 'github' });
const suiteTools = [...new Set(tasks.flatMap(toolsOf))];
const allTools = catalog.tools.map((t) => t.id);
const session = await openBenchSession([...serve, '--mode', 'both']);
try {
  for (const format of [undefined, 'typescript'] as const) {
    const describe = async (names: string[]) => {
      const out: number[] = [];
      for (const name of names) out.push(...(await resultTokens(session, () => session.call('describe_tools', { names: [name], ...(format ? { format } : {}) }))));
      return out;
    };
    const suite = median(await describe(suiteTools));
    const all = await describe(allTools);
    const label = format ?? 'json (default)';
    say(`describe_tools one tool, ${label}: median ${fmt(suite)} over the suite's ${suiteTools.length} tools (goal ≤ ${GOALS.describeOne}: ${mark(suite <= GOALS.describeOne)}), median ${fmt(median(all))} and max ${fmt(Math.max(...all))} over all ${allTools.length}`);
  }
  for (const name of COMMON_TOOLS) {
    const [ts] = await resultTokens(session, () => session.call('describe_tools', { names: [name], format: 'typescript' }));
    say(`describe_tools ${name} typescript: ${fmt(ts!)} tokens (goal ≤ ${GOALS.describeTs}: ${mark(ts! <= GOALS.describeTs)})`);
  }
} finally {
  await session.close();
}

// The whole catalog's declarations.
const plan = planCodegen(catalog.tools);
const checked = tokens(emitCatalogDeclarations('github', catalog.tools, { plan, ...TYPECHECK_EMIT }));
const documented = tokens(emitCatalogDeclarations('github', catalog.tools, { plan }));
say(`catalog declarations with output types: ${fmt(checked)} as run_code type-checks them (goal ≤ ${fmt(GOALS.declarations)}: ${mark(checked <= GOALS.declarations)}), ${fmt(documented)} with input docs (which nothing sends: describe_tools prints a tool's with docs)`);

// execute_tool over the suite's steps, against Prism.
if (!values['no-execute']) {
  const prism = await startGithubPrism();
  try {
    const byProfile: Record<string, number[]> = {};
    for (const [profile, flags, withSelect] of [
      ['as sent (raw, no select)', ['--responses', 'raw'], false],
      ['lean, no select', [], false],
      ['lean with the task\'s select', [], true],
    ] as const) {
      const s = await openBenchSession([...serve, '--server', `github=${prism.origin}`, '--mode', 'dynamic', ...flags]);
      try {
        const out: number[] = [];
        for (const task of tasks) {
          for (const step of task.steps) {
            out.push(...(await resultTokens(s, () => s.call('execute_tool', { name: step.tool, arguments: step.arguments, ...(withSelect && step.select ? { select: step.select } : {}) }))));
          }
        }
        byProfile[profile] = out;
      } finally {
        await s.close();
      }
    }
    const base = median(Object.values(byProfile)[0]!);
    for (const [profile, out] of Object.entries(byProfile)) {
      const m = median(out);
      say(`execute_tool result, ${profile}: median ${fmt(m)} over ${out.length} calls (${((100 * m) / base).toFixed(0)}% of as sent${m === base ? '' : `; goal ≤ ${GOALS.executeShare * 100}%: ${mark(m <= base * GOALS.executeShare)}`}), total ${fmt(out.reduce((a, b) => a + b, 0))}`);
    }
  } finally {
    await prism.stop();
  }
}
