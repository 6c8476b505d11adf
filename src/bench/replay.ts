// Replays a task as a capable agent would, per mode, against a running toolshed, and counts what
// crossed the wire:
//   dynamic  tools/list, search_tools(task), describe_tools(the tools it needs), execute_tool per step
//   code     tools/list, search_tools(task), describe_tools(…, typescript), one run_code (programFor)
//   static   a plain server's tools/list (computed: plain-tools-list.ts), then each step's call with
//            its full response (execute_tool on a toolshed whose response cut is lifted, counted as the
//            plain server's `{name, arguments}` request and the response as received)
// Each task is a fresh conversation: it pays its mode's tools/list once.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { answerOf, bodyOf } from './answer-check.js';
import { textOf, type BenchSession } from './bench-session.js';
import { programFor, toolsOf, type BenchTask } from './task-file.js';
import { sumTokens, type TokenCounter, type Tokens } from './token-count.js';
import { exchangeText, type WireExchange } from './wire-recorder.js';

export type ReplayMode = 'dynamic' | 'code' | 'static';
export const REPLAY_MODES: readonly ReplayMode[] = ['static', 'dynamic', 'code'];

export interface TaskRun {
  ok: boolean;
  /** Why the replay failed (a step's error), when it did. */
  error?: string;
  total: Tokens;
  /** Tokens by what was exchanged: `tools/list`, or the tool called (`search_tools`, `execute_tool`, …). */
  parts: Record<string, Tokens>;
  /** Each exchange in order (a part name and its tokens): where a task's tokens went, call by call. */
  steps?: Array<{ part: string; tokens: Tokens }>;
  /** How many of the tools the task needs were among search_tools' results (dynamic and code). */
  found?: { found: number; needed: number };
  /** code: what run_code returned; dynamic: the task's `returns` over the results execute_tool showed. */
  result?: unknown;
}

export async function replayDynamic(session: BenchSession, task: BenchTask, counter: TokenCounter): Promise<TaskRun> {
  session.recorder.take();
  await session.client.listTools();
  const found = foundBySearch(await session.call('search_tools', { query: task.task }), task);
  const describe = await session.call('describe_tools', { names: toolsOf(task) });
  let error = describe.isError ? `describe_tools: ${textOf(describe)}` : undefined;
  const bodies: unknown[] = [];
  for (const step of task.steps) {
    const result = await session.call('execute_tool', { name: step.tool, arguments: step.arguments, ...(step.select ? { select: step.select } : {}) });
    if (result.isError) error ??= `${step.tool}: ${textOf(result)}`;
    bodies.push(bodyOf(textOf(result)));
  }
  // What the model could answer from what it read; checked against code mode's answer (answer-check.ts).
  const answer = error ? undefined : answerOf(task, bodies);
  if (answer && !answer.ok) error = `the task's answer cannot be computed from the results shown: ${answer.error}`;
  return { ...countExchanges(session.recorder.take(), counter), ok: !error, ...(error ? { error } : {}), found, ...(answer?.ok ? { result: answer.value } : {}) };
}

export async function replayCode(session: BenchSession, task: BenchTask, counter: TokenCounter): Promise<TaskRun> {
  session.recorder.take();
  await session.client.listTools();
  const found = foundBySearch(await session.call('search_tools', { query: task.task }), task);
  const describe = await session.call('describe_tools', { names: toolsOf(task), format: 'typescript' });
  let error = describe.isError ? `describe_tools: ${textOf(describe)}` : undefined;
  const run = await session.call('run_code', { code: programFor(task) });
  if (run.isError) error ??= `run_code: ${textOf(run)}`;
  const result = (run.structuredContent as { result?: unknown } | undefined)?.result;
  return { ...countExchanges(session.recorder.take(), counter), ok: !error, ...(error ? { error } : {}), found, result };
}

/**
 * `session` serves the catalog with the response cut lifted (a plain server sends whole bodies);
 * `plainToolsList` is the plain server's tools/list figure, `plainName` its name for a tool id.
 */
export async function replayStatic(session: BenchSession, task: BenchTask, counter: TokenCounter, plainToolsList: Tokens, plainName: (id: string) => string): Promise<TaskRun> {
  session.recorder.take();
  let error: string | undefined;
  for (const step of task.steps) {
    const result = await session.call('execute_tool', { name: step.tool, arguments: step.arguments });
    if (result.isError) error ??= `${step.tool}: ${textOf(result)}`;
  }
  const calls = session.recorder.take().map((exchange) => {
    const { name, arguments: args } = (exchange.params as { arguments: { name: string; arguments: unknown } }).arguments;
    return { ...exchange, params: { name: plainName(name), arguments: args } };
  });
  const counted = countExchanges(calls, counter, () => 'tools/call');
  const parts = { 'tools/list': plainToolsList, ...counted.parts };
  const steps = [{ part: 'tools/list', tokens: plainToolsList }, ...counted.steps];
  return { ok: !error, ...(error ? { error } : {}), parts, steps, total: sumTokens(Object.values(parts)) };
}

/** Tokens of each exchange (request params + response payload), by part. */
export function countExchanges(
  exchanges: WireExchange[],
  counter: TokenCounter,
  partOf: (e: WireExchange) => string = partName,
): { total: Tokens; parts: Record<string, Tokens>; steps: NonNullable<TaskRun['steps']> } {
  const parts: Record<string, Tokens> = {};
  const steps: NonNullable<TaskRun['steps']> = [];
  for (const exchange of exchanges) {
    const part = partOf(exchange);
    const tokens = counter.count(exchangeText(exchange));
    steps.push({ part, tokens });
    parts[part] = sumTokens([parts[part] ?? { o200k: 0, ...(counter.hasClaude ? { claude: 0 } : {}) }, tokens]);
  }
  return { parts, total: sumTokens(Object.values(parts)), steps };
}

function partName(exchange: WireExchange): string {
  const name = exchange.method === 'tools/call' ? (exchange.params as { name?: unknown } | undefined)?.name : undefined;
  return typeof name === 'string' ? name : exchange.method;
}

function foundBySearch(search: CallToolResult, task: BenchTask): { found: number; needed: number } {
  const results = (search.structuredContent as { results?: Array<{ name: string }> } | undefined)?.results ?? [];
  const names = new Set(results.map((r) => r.name));
  const needed = toolsOf(task);
  return { found: needed.filter((n) => names.has(n)).length, needed: needed.length };
}
