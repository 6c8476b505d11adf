// Code Mode sandbox figures: warm vs cold runs, host-call round trips, and type-checking against the
// real GitHub declarations. A plain script, not a test:
//   node --import tsx bench/sandbox.ts
import { loadOpenApiCatalog } from '../src/catalog/load-openapi.js';
import { emitCatalogDeclarations } from '../src/codegen/declarations.js';
import { createTypeChecker } from '../src/codegen/typecheck.js';
import { createCodeRunner, type CallTool, type RunRequest } from '../src/exec/code-runner.js';

const WARM_RUNS = 50;
const COLD_RUNS = 10;
const CALLS = 100;

const DEMO = `declare namespace demo { function get_item(input: { id: number }): Promise<{ id: number; label: string }>; }`;
const callTool: CallTool = async (_tool, args) => ({ ok: true, value: { id: (args as { id: number }).id, label: 'x' } });
const demo: Omit<RunRequest, 'code'> = { declarations: DEMO, namespaces: { demo: ['get_item'] }, callTool };

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
  return `median ${median.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms (n=${samples.length})`;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function expectOk(r: Awaited<ReturnType<ReturnType<typeof createCodeRunner>['run']>>): void {
  if (!r.ok) throw new Error(`bench run failed: ${JSON.stringify(r.failure)}`);
}

async function timeRuns(request: RunRequest, n: number, runner: ReturnType<typeof createCodeRunner>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await time(async () => expectOk(await runner.run(request))));
  return out;
}

const print = (label: string, value: string) => process.stdout.write(`${label.padEnd(52)} ${value}\n`);

// --- warm pool vs cold isolate ---------------------------------------------------------------------
const runner = createCodeRunner({ poolSize: 2 });
await timeRuns({ ...demo, code: 'return 6*7' }, 5, runner); // warm esbuild, the type checker's lib, the pool
const warmNoCheck = await timeRuns({ ...demo, code: 'return 6*7', typecheck: false }, WARM_RUNS, runner);
const warmCheck = await timeRuns({ ...demo, code: 'return 6*7' }, WARM_RUNS, runner);
const cold: number[] = [];
for (let i = 0; i < COLD_RUNS; i++) {
  cold.push(
    await time(async () => {
      const fresh = createCodeRunner({ poolSize: 1 }); // its one isolate is created and the prelude compiled now
      expectOk(await fresh.run({ ...demo, code: 'return 6*7', typecheck: false }));
      await fresh.close();
    }),
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
print('trivial run, warm pool, no type-check', summary(warmNoCheck));
print('trivial run, warm pool, type-checked (tiny decls)', summary(warmCheck));
print('trivial run, cold isolate, no type-check', summary(cold));
print('cold / warm (medians, no type-check)', `${(median(cold) / median(warmNoCheck)).toFixed(1)}x`);

// --- host calls ------------------------------------------------------------------------------------
const sequential = `for (let i = 0; i < ${CALLS}; i++) await demo.get_item({ id: i });`;
const parallel = `await Promise.all(Array.from({ length: ${CALLS} }, (_, i) => demo.get_item({ id: i })));`;
const seq = await timeRuns({ ...demo, code: sequential, typecheck: false }, 10, runner);
const par = await timeRuns({ ...demo, code: parallel, typecheck: false }, 10, runner);
print(`${CALLS} sequential calls, in-process host`, summary(seq));
print(`${CALLS} parallel calls, in-process host`, summary(par));
print('per-call round trip (sequential, minus a trivial run)', `${((median(seq) - median(warmNoCheck)) / CALLS).toFixed(3)} ms`);
await runner.close();

// --- type-checking the real GitHub declarations ----------------------------------------------------
let t = performance.now();
const github = await loadOpenApiCatalog({ source: 'catalogs/github.json.br', namespace: 'github' });
const declarations = emitCatalogDeclarations(github.namespace, github.tools);
print('GitHub catalog load + emit declarations', `${(performance.now() - t).toFixed(0)} ms, ${github.tools.length} functions, ${(declarations.length / 1024).toFixed(0)} KiB`);

const program = (n: number) => `const repo = await github.repos_get({ owner: 'octocat', repo: 'hello-world-${n}' });
const issues = await github.issues_list_for_repo({ owner: 'octocat', repo: repo.name, state: 'open' });
return issues.map((i) => ({ n: i.number, title: i.title }));`;
const checker = createTypeChecker();
t = performance.now();
const coldIssues = checker.check(program(0), declarations);
print('type-check, cold (lib + declarations parse)', `${(performance.now() - t).toFixed(0)} ms${coldIssues.length ? `, issues: ${JSON.stringify(coldIssues)}` : ''}`);
const warm: number[] = [];
for (let i = 1; i <= 20; i++) {
  const start = performance.now();
  checker.check(program(i), declarations);
  warm.push(performance.now() - start);
}
print('type-check, warm (same declarations, new program)', summary(warm));
const wrong = checker.check(`const r = github.repos_get({ owner: 'o', repo: 'r' });\nreturn r.name;`, declarations);
print('type-check catches a missing await on GitHub', wrong.map((i) => `${i.line}:${i.column} ${i.message.slice(0, 60)}…`).join('; '));

// --- a full run against the GitHub namespace (1,200+ functions defined per context) ------------------
const ghRunner = createCodeRunner({ poolSize: 1 });
const ghRequest: RunRequest = {
  declarations,
  namespaces: { [github.namespace]: github.tools.map((tool) => tool.name) },
  callTool: async () => ({ ok: true, value: { name: 'hello-world', number: 1, title: 't' } }),
  code: `const repo = await github.repos_get({ owner: 'o', repo: 'r' });\nreturn repo.name;`,
};
await timeRuns(ghRequest, 3, ghRunner);
print('GitHub program, one call, type-checked, warm', summary(await timeRuns(ghRequest, 20, ghRunner)));
print('GitHub program, one call, no type-check, warm', summary(await timeRuns({ ...ghRequest, typecheck: false }, 20, ghRunner)));
await ghRunner.close();
