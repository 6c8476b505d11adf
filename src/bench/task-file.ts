// The task file the benchmark replays: what an agent is asked, the calls a capable agent makes for it,
// and what a Code Mode program would hand back. Validated with zod so a typo names its path.
//
//   [{ "task": "How many open issues does octocat/hello-world have?",
//      "steps": [{ "tool": "github.issues_list_for_repo", "arguments": { "owner": "octocat", "repo": "hello-world" } }],
//      "returns": "r[0].length" }]
//
// `returns` is JavaScript over `r`, the array of step results in order (`r[0]` is the first step's
// parsed response). An expression (`r[0].length`, `r[1].map((c) => c.user.login)`) becomes
// `return (<expression>);`; text with its own `return` statement is appended as the program's tail
// (`const open = r[0].filter((i) => !i.pull_request); return open.length;`). Without `returns`, the
// program returns every step's result (`r`), which saves nothing over the calls themselves.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const stepSchema = z
  .object({
    tool: z.string().regex(/^[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*$/, 'a qualified tool name as search_tools returns it: namespace.tool'),
    arguments: z.record(z.unknown()).default({}),
    /** Dynamic mode: execute_tool's `select`, the fields a capable agent asks for (code mode's program picks its own). */
    select: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const taskSchema = z
  .object({
    task: z.string().min(1),
    steps: z.array(stepSchema).min(1),
    returns: z.string().min(1).optional(),
  })
  .strict();

const taskFileSchema = z.array(taskSchema).min(1);

export type BenchTask = z.infer<typeof taskSchema>;

export async function readTaskFile(path: string): Promise<BenchTask[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read task file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseTasks(json, path);
}

export function parseTasks(json: unknown, source = 'tasks'): BenchTask[] {
  const parsed = taskFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new ConfigError(`task file ${source} is invalid:\n${issues}`);
  }
  return parsed.data;
}

/** The distinct tools a task calls, in first-use order: what an agent describes before calling them. */
export function toolsOf(task: BenchTask): string[] {
  return [...new Set(task.steps.map((s) => s.tool))];
}

/**
 * The run_code program for a task: each step awaited in order into `r`, then the `returns` tail.
 * `r` is `any[]`: steps return different types, and the author's expression is checked when it runs.
 */
export function programFor(task: BenchTask): string {
  const calls = task.steps.map((s) => `r.push(await ${s.tool}(${Object.keys(s.arguments).length ? JSON.stringify(s.arguments) : ''}));`);
  return ['const r: any[] = [];', ...calls, returnTail(task.returns)].join('\n');
}

/** The program's last statement(s) for `returns` (also evaluated on the host over dynamic mode's results). */
export function returnTail(returns: string | undefined): string {
  if (returns === undefined) return 'return r;';
  return /(^|[;{}\n])\s*return\b/.test(returns) ? returns : `return (${returns});`;
}
