// Code Mode's engine: a TypeScript program string in, `{ result, logs, calls }` or a failure value out.
// Transpile (esbuild) → type-check against the catalog declarations → run in a pooled isolate whose only
// way out is the run bridge, which counts, times and forwards calls to the caller's `callTool`.
import type { ToolFailure } from '../errors.js';
import { transpileUserCode, type CodePosition, type TranspiledProgram } from '../codegen/transpile.js';
import { createTypeChecker } from '../codegen/typecheck.js';
import { cutJson } from './cut-response.js';
import { createPool } from './isolate-pool.js';
import { createIsolateHost, type SandboxIsolate, type SandboxOutcome, type StopReason } from './isolate-runner.js';
import { createRunBridge, type CallRecord, type CallTool } from './run-bridge.js';
import { compileFailure, poolFailure, programFailure, stopFailure } from './run-failures.js';

export type { CallRecord, CallTool, ToolCallOutcome } from './run-bridge.js';

import { RUN_CPU_MS, RUN_MAX_CALLS, RUN_MAX_OUTPUT_CHARS, RUN_MAX_QUEUE, RUN_MAX_WALL_MS, RUN_MEMORY_MB, RUN_POOL_SIZE, RUN_WALL_MS } from './run-limits.js';
export { RUN_CPU_MS, RUN_MAX_CALLS, RUN_MAX_OUTPUT_CHARS, RUN_MAX_QUEUE, RUN_MAX_WALL_MS, RUN_MEMORY_MB, RUN_POOL_SIZE, RUN_WALL_MS } from './run-limits.js';
/** Logs may use at most this share of the output budget; the result keeps the rest. */
const LOG_SHARE = 0.5;

export interface CodeRunnerOptions {
  poolSize?: number;
  maxQueue?: number;
  memoryMb?: number;
  cpuMs?: number;
  wallMs?: number;
  maxWallMs?: number;
  maxCalls?: number;
  maxOutputChars?: number;
  /** Internal errors (a throwing host callback, a crashed isolate); defaults to stderr. */
  log?(message: string): void;
}

export interface RunRequest {
  code: string;
  declarations: string;
  /** Namespace → function names the sandbox defines (`github: ['repos_get', ...]`). */
  namespaces: Record<string, string[]>;
  callTool: CallTool;
  /** Default true. */
  typecheck?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** After each API call; `count` includes it. */
  onCall?(info: CallRecord & { count: number }): void;
}

export type RunResult =
  | { ok: true; result: unknown; logs: string[]; calls: CallRecord[]; truncated: boolean; notice?: string }
  | { ok: false; failure: ToolFailure; location?: CodePosition; logs: string[]; calls: CallRecord[] };

export interface CodeRunner {
  run(request: RunRequest): Promise<RunResult>;
  close(): Promise<void>;
  /** Isolates in use, idle, and runs waiting for one (for metrics). */
  stats?(): { inUse: number; idle: number; waiting: number };
}

export function createCodeRunner(options: CodeRunnerOptions = {}): CodeRunner {
  const limits = {
    memoryMb: options.memoryMb ?? RUN_MEMORY_MB,
    cpuMs: options.cpuMs ?? RUN_CPU_MS,
    wallMs: options.wallMs ?? RUN_WALL_MS,
    maxWallMs: options.maxWallMs ?? RUN_MAX_WALL_MS,
    maxCalls: options.maxCalls ?? RUN_MAX_CALLS,
    maxOutputChars: options.maxOutputChars ?? RUN_MAX_OUTPUT_CHARS,
  };
  const log = options.log ?? ((message: string) => process.stderr.write(`toolshed code runner: ${message}\n`));
  const host = createIsolateHost({ memoryMb: limits.memoryMb, onCatastrophicError: (m) => log(`isolate catastrophic error: ${m}`) });
  const pool = createPool({
    size: options.poolSize ?? RUN_POOL_SIZE,
    maxQueue: options.maxQueue ?? RUN_MAX_QUEUE,
    create: host.create,
    isUsable: host.isUsable,
    destroy: host.dispose,
    onCreateError: (error) => log(`cannot create an isolate: ${String(error)}`),
  });
  const checker = createTypeChecker();

  async function run(request: RunRequest): Promise<RunResult> {
    const compiled = await transpileUserCode(request.code);
    if (!compiled.ok) return { ok: false, ...compileFailure('The program has a syntax error', compiled.issues), logs: [], calls: [] };
    if (request.typecheck !== false) {
      const issues = checker.check(request.code, request.declarations);
      if (issues.length) return { ok: false, ...compileFailure('The program does not type-check', issues), logs: [], calls: [] };
    }
    const acquired = await pool.acquire(request.signal);
    if (!acquired.ok) return { ok: false, failure: poolFailure(acquired.reason), logs: [], calls: [] };
    try {
      return await runAcquired(acquired.item, compiled.program, request);
    } finally {
      pool.release(acquired.item);
    }
  }

  async function runAcquired(sandbox: SandboxIsolate, program: TranspiledProgram, request: RunRequest): Promise<RunResult> {
    const wallMs = Math.min(Math.max(1, request.timeoutMs ?? limits.wallMs), limits.maxWallMs);
    const maxLogChars = Math.floor(limits.maxOutputChars * LOG_SHARE);
    const stopper = new AbortController();
    const stopWith = (reason: StopReason) => () => stopper.abort(reason);
    const onCancel = stopWith('cancelled');
    request.signal?.addEventListener('abort', onCancel, { once: true });
    const wallTimer = setTimeout(stopWith('wall'), wallMs);
    const run = createRunBridge({
      namespaces: request.namespaces,
      callTool: request.callTool,
      ...(request.onCall && { onCall: request.onCall }),
      maxCalls: limits.maxCalls,
      maxLogChars,
      signal: stopper.signal,
      onCallLimit: stopWith('calls'),
      log,
    });
    let outcome: SandboxOutcome;
    try {
      const config = { namespaces: request.namespaces, maxLogChars };
      outcome = await host.run(sandbox, { js: program.js, config, bridge: run.bridge, cpuMs: limits.cpuMs, stop: stopper.signal });
    } finally {
      clearTimeout(wallTimer);
      request.signal?.removeEventListener('abort', onCancel);
      run.end();
      if (!stopper.signal.aborted) stopper.abort('done'); // cancels calls the program left unawaited
      // A reply arriving later would run the program's callbacks in this isolate during someone
      // else's run (ivm reports rejections to whichever run is current): start the next run afresh.
      if (run.pending() > 0) host.dispose(sandbox);
    }
    const logs = run.logLines();
    const calls = run.calls;
    if (outcome.kind === 'stopped') {
      if (outcome.reason === 'crashed') log(`sandbox stopped unexpectedly: ${outcome.detail}`);
      return { ok: false, failure: stopFailure(outcome.reason, outcome.detail, { ...limits, wallMs }), logs, calls };
    }
    const o = outcome.outcome;
    if (!o.ok) return { ok: false, ...programFailure(o, program, limits), logs, calls };
    if (o.json === undefined) return { ok: true, result: undefined, logs, calls, truncated: false };
    const value: unknown = JSON.parse(o.json);
    const budget = limits.maxOutputChars - run.logChars();
    if (o.json.length <= budget) return { ok: true, result: value, logs, calls, truncated: false };
    const cut = cutJson(value, budget, { advice: 'return only the fields and items you need' });
    return { ok: true, result: cut.value, logs, calls, truncated: cut.truncated, ...(cut.notice && { notice: cut.notice }) };
  }

  return {
    run,
    async close() {
      pool.close();
    },
    stats: () => pool.stats(),
  };
}
