// Code Mode's engine: a TypeScript program string in, `{ result, logs, calls }` or a failure value out.
// Transpile (types stripped, esbuild for the rest) → type-check against the catalog declarations (in a worker thread, with a deadline)
// → run in a pooled isolate whose only way out is the run bridge, which counts, caps, times and forwards
// calls to the caller's `callTool`. The run's wall clock starts when the request arrives: the compile
// and the check are part of it.
import type { SandboxNames } from '../../sandbox/bridge-protocol.js';
import type { ToolFailure } from '../errors.js';
import type { CodePosition } from '../codegen/program-wrapper.js';
import { createTranspiler, transpileWithEsbuild, type TranspiledProgram } from '../codegen/transpile.js';
import { createTypeCheckThread } from '../codegen/typecheck-thread.js';
import { mainThreadTurn } from '../main-thread-turns.js';
import { cutJson } from './cut-response.js';
import { createPool } from './isolate-pool.js';
import { createIsolateHost, type SandboxIsolate, type SandboxOutcome, type StopReason } from './isolate-runner.js';
import { redactValue, secretForms, type SecretForms } from './redact.js';
import { createRunBridge, type CallRecord, type CallTool } from './run-bridge.js';
import { bodyFailure, codeTooLong, compileFailure, poolFailure, programFailure, stopFailure, typecheckFailure } from './run-failures.js';

export type { CallRecord, CallTool, ToolCallOutcome } from './run-bridge.js';

import { RUN_CPU_MS, RUN_MAX_CALLS, RUN_MAX_CODE_CHARS, RUN_MAX_CONCURRENT_CALLS, RUN_MAX_OUTPUT_CHARS, RUN_MAX_QUEUE, RUN_MAX_WALL_MS, RUN_MEMORY_MB, RUN_POOL_SIZE, RUN_TYPECHECK_MEMORY_MB, RUN_TYPECHECK_MS, RUN_WALL_MS } from './run-limits.js';
export * from './run-limits.js';
/** Logs may use at most this share of the output budget; the result keeps the rest. */
const LOG_SHARE = 0.5;
const CUT_ADVICE = 'return only the fields and items you need';

export interface CodeRunnerOptions {
  poolSize?: number;
  maxQueue?: number;
  memoryMb?: number;
  cpuMs?: number;
  wallMs?: number;
  maxWallMs?: number;
  maxCalls?: number;
  maxConcurrentCalls?: number;
  maxOutputChars?: number;
  maxCodeChars?: number;
  typecheckMs?: number;
  typecheckMemoryMb?: number;
  /** Internal errors (a throwing host callback, a crashed isolate); defaults to stderr. */
  log?(message: string): void;
}

export interface RunRequest {
  code: string;
  /** What the program is checked against; a function is called only when the program is checked. */
  declarations: string | ((code: string) => string);
  /**
   * Namespace → function names the sandbox offers (`github: ['repos_get', ...]`). Pass the same object
   * for every run of a catalog version: the name tables built from it are kept with it.
   */
  namespaces: Readonly<Record<string, readonly string[]>>;
  callTool: CallTool;
  /** Values to redact, in every encoding an API may echo, from the result, the logs and errors. */
  secrets?: readonly string[];
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
  /** Loads esbuild and the type-check thread now (in the background of a ready server), not on the first run. */
  warm(): Promise<void>;
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
    maxConcurrentCalls: options.maxConcurrentCalls ?? RUN_MAX_CONCURRENT_CALLS,
    maxOutputChars: options.maxOutputChars ?? RUN_MAX_OUTPUT_CHARS,
    maxCodeChars: options.maxCodeChars ?? RUN_MAX_CODE_CHARS,
    typecheckMs: options.typecheckMs ?? RUN_TYPECHECK_MS,
  };
  const log = options.log ?? ((message: string) => process.stderr.write(`toolshed code runner: ${message}\n`));
  const host = createIsolateHost({ memoryMb: limits.memoryMb, cpuMs: limits.cpuMs, onCatastrophicError: (m) => log(`isolate catastrophic error: ${m}`) });
  const pool = createPool({
    size: options.poolSize ?? RUN_POOL_SIZE,
    maxQueue: options.maxQueue ?? RUN_MAX_QUEUE,
    create: host.create,
    isUsable: host.isUsable,
    destroy: host.dispose,
    onCreateError: (error) => log(`cannot create an isolate: ${String(error)}`),
  });
  const transpiler = createTranspiler({ log });
  const checker = createTypeCheckThread({ deadlineMs: limits.typecheckMs, memoryMb: options.typecheckMemoryMb ?? RUN_TYPECHECK_MEMORY_MB, log });

  async function run(request: RunRequest): Promise<RunResult> {
    const forms = request.secrets?.length ? secretForms(request.secrets) : undefined;
    const result = await runUnredacted(request);
    return forms ? redactRun(result, forms) : result;
  }

  async function runUnredacted(request: RunRequest): Promise<RunResult> {
    const none = { logs: [], calls: [] };
    if (request.code.length > limits.maxCodeChars) return { ok: false, failure: codeTooLong(request.code.length, limits.maxCodeChars), ...none };
    // Loading esbuild and TypeScript is the process's cost, paid once (in the background after start-up,
    // normally): it is not part of any program's time. Compiling and checking the program are.
    await (request.typecheck === false ? transpiler.warm() : Promise.all([transpiler.warm(), checker.warm()]));
    const wallMs = Math.min(Math.max(1, request.timeoutMs ?? limits.wallMs), limits.maxWallMs);
    const deadline = performance.now() + wallMs;
    const stopper = new AbortController();
    const stopWith = (reason: StopReason) => () => stopper.abort(reason);
    const onCancel = stopWith('cancelled');
    if (request.signal?.aborted) onCancel();
    request.signal?.addEventListener('abort', onCancel, { once: true });
    const wallTimer = setTimeout(stopWith('wall'), wallMs);
    const stoppedEarly = (): RunResult => ({ ok: false, failure: stopFailure(stopper.signal.reason as StopReason, '', { ...limits, wallMs }), ...none });
    try {
      const compiled = await transpiler.transpile(request.code);
      if (!compiled.ok) return { ok: false, ...compileFailure('syntax', compiled.issues), ...none };
      if (stopper.signal.aborted) return stoppedEarly();
      if (request.typecheck !== false) {
        const declarations = typeof request.declarations === 'function' ? request.declarations(request.code) : request.declarations;
        const deadlineMs = Math.max(1, Math.min(limits.typecheckMs, Math.round(deadline - performance.now())));
        const checked = await checker.check(request.code, declarations, { signal: stopper.signal, deadlineMs });
        if (checked.kind === 'cancelled') return stoppedEarly();
        if (checked.kind !== 'checked' || checked.issues.length) {
          const syntax = await esbuildSyntaxIssues(compiled.program, request.code);
          if (syntax) return { ok: false, ...compileFailure('syntax', syntax), ...none };
        }
        if (checked.kind !== 'checked') return { ok: false, failure: typecheckFailure(checked), ...none };
        if (checked.issues.length) return { ok: false, ...compileFailure('type', checked.issues), ...none };
      }
      const acquired = await pool.acquire(stopper.signal);
      if (!acquired.ok) return acquired.reason === 'cancelled' ? stoppedEarly() : { ok: false, failure: poolFailure(acquired.reason), ...none };
      try {
        return await runAcquired(acquired.item, compiled.program, request, stopper, wallMs);
      } finally {
        pool.release(acquired.item);
      }
    } finally {
      clearTimeout(wallTimer);
      request.signal?.removeEventListener('abort', onCancel);
      if (!stopper.signal.aborted) stopper.abort('done'); // cancels calls the program left unawaited
    }
  }

  async function runAcquired(sandbox: SandboxIsolate, program: TranspiledProgram, request: RunRequest, stopper: AbortController, wallMs: number): Promise<RunResult> {
    const maxLogChars = Math.floor(limits.maxOutputChars * LOG_SHARE);
    const names = nameTables(request.namespaces);
    const run = createRunBridge({
      hasTool: names.has,
      callTool: request.callTool,
      ...(request.onCall && { onCall: request.onCall }),
      maxCalls: limits.maxCalls,
      maxConcurrentCalls: limits.maxConcurrentCalls,
      maxLogChars,
      signal: stopper.signal,
      onCallLimit: () => stopper.abort('calls'),
      log,
    });
    let outcome: SandboxOutcome;
    // A result longer than the whole output budget is cut in the sandbox, to what the logs left of it.
    const result = { maxChars: () => limits.maxOutputChars - run.logChars(), advice: CUT_ADVICE };
    const config = { maxLogChars, maxResultChars: limits.maxOutputChars };
    const runProgram = (p: TranspiledProgram) =>
      host.run(sandbox, { js: p.js, body: p.body, config, names: names.tables, bridge: run.bridge, cpuMs: limits.cpuMs, result, stop: stopper.signal });
    try {
      outcome = await runProgram(program);
      if (outcome.kind === 'refused' && program.via === 'strip') {
        // Nothing of it ran. esbuild either rejects it (its diagnostics are the answer) or transforms
        // it into something that may parse (class `accessor` fields are lowered, say).
        const strict = await transpileWithEsbuild(request.code);
        if (!strict.ok) return { ok: false, ...compileFailure('syntax', strict.issues), logs: [], calls: [] };
        program = strict.program;
        outcome = await runProgram(program);
      }
    } finally {
      run.end();
      if (!stopper.signal.aborted) stopper.abort('done'); // cancels calls the program left unawaited
      // A reply arriving later would run the program's callbacks in this isolate during someone
      // else's run (ivm reports rejections to whichever run is current): start the next run afresh.
      if (run.pending() > 0) host.dispose(sandbox);
    }
    const logs = run.logLines();
    const calls = run.calls;
    if (outcome.kind === 'refused') return { ok: false, failure: bodyFailure(outcome.detail), logs, calls };
    if (outcome.kind === 'stopped') {
      if (outcome.reason === 'crashed') log(`sandbox stopped unexpectedly: ${outcome.detail}`);
      return { ok: false, failure: stopFailure(outcome.reason, outcome.detail, { ...limits, wallMs }), logs, calls };
    }
    const o = outcome.outcome;
    if (!o.ok) return { ok: false, ...programFailure(o, program, limits, run.failures), logs, calls };
    if (o.json === undefined) return { ok: true, result: undefined, logs, calls, truncated: false };
    const value: unknown = JSON.parse(o.json); // at most the output budget long: longer ones were cut in the sandbox
    if (outcome.notice !== undefined) return { ok: true, result: value, logs, calls, truncated: true, notice: outcome.notice };
    const budget = result.maxChars();
    if (o.json.length <= budget) return { ok: true, result: value, logs, calls, truncated: false };
    const cut = cutJson(value, budget, { advice: CUT_ADVICE });
    return { ok: true, result: cut.value, logs, calls, truncated: cut.truncated, ...(cut.notice && { notice: cut.notice }) };
  }

  return {
    run,
    async warm() {
      // One step per turn: each is tens of ms on the main thread (evaluating esbuild, spawning its
      // service, starting the strip and type-check threads); back to back they stalled a serving process ~130 ms.
      await mainThreadTurn();
      await transpiler.warm();
      await mainThreadTurn();
      await checker.warm();
    },
    async close() {
      pool.close();
      await Promise.all([checker.close(), transpiler.close()]);
    },
    stats: () => pool.stats(),
  };
}

/**
 * A stripped program whose check failed may be one esbuild rejects (`let a; let a;` strips fine): esbuild's
 * syntax errors come first then, as they do for every program esbuild transpiles.
 */
async function esbuildSyntaxIssues(program: TranspiledProgram, code: string) {
  if (program.via !== 'strip') return undefined;
  const strict = await transpileWithEsbuild(code);
  return strict.ok ? undefined : strict.issues;
}

const nameTableCache = new WeakMap<object, { tables: SandboxNames; has(toolId: string): boolean }>();

/** The sandbox's name tables and the host's lookup for one namespaces object, built once and kept with it. */
function nameTables(namespaces: Readonly<Record<string, readonly string[]>>) {
  let built = nameTableCache.get(namespaces);
  if (!built) {
    const tables: SandboxNames = {};
    const ids = new Set<string>();
    for (const [ns, names] of Object.entries(namespaces)) {
      tables[ns] = `\n${names.join('\n')}\n`;
      for (const name of names) ids.add(`${ns}.${name}`);
    }
    built = { tables, has: (toolId) => ids.has(toolId) };
    nameTableCache.set(namespaces, built);
  }
  return built;
}

/** Secrets out of everything the run returns; the API answers were redacted already, this catches the rest. */
function redactRun(result: RunResult, forms: SecretForms): RunResult {
  const logs = result.logs.map((line) => redactValue(line, forms));
  if (!result.ok) {
    const failure: ToolFailure = { ...result.failure, message: redactValue(result.failure.message, forms), ...(result.failure.next && { next: redactValue(result.failure.next, forms) }) };
    return { ...result, failure, logs };
  }
  return { ...result, result: redactValue(result.result, forms), logs };
}
