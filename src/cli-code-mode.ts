// The Code Mode part of `toolshed serve`: --mode and run_code's limits, each with a default and a flag.
// One code runner (and its isolate pool) per process, shared by every session.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { positiveInt } from './cli-flags.js';
import { ConfigError } from './errors.js';
import type { CodeRunner } from './exec/code-runner.js';
import { CODE_MODE_OPTIONS } from './cli-serve-options.js';
import type { Logger } from './log.js';
import type { PoolStats } from './observability/metrics.js';
import type { Observer } from './observability/observer.js';
import { createCodeMode, type CodeMode } from './server/code-mode.js';
import type { Gate } from './server/concurrency-gate.js';
import { createMcpServer, SERVE_MODES, type ServeMode } from './server/create-server.js';
import type { Toolshed } from './toolshed.js';
import { createTaskCallsFromFlags, runTaskJobCall } from './cli-tasks.js';
import { mainThreadTurn } from './main-thread-turns.js';

export { CODE_MODE_OPTIONS, CODE_MODE_USAGE } from './cli-serve-options.js';

type CodeModeFlags = { [K in keyof typeof CODE_MODE_OPTIONS]?: (typeof CODE_MODE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export interface ServerFactory {
  mode: ServeMode;
  create(toolshed: Toolshed, log: Logger, gate?: Gate, principal?: string): Server;
  /** Opens what sessions share beyond the catalogs (the task store); rejects with a ConfigError. */
  start(): Promise<void>;
  /** The loaded catalogs, for task workers (they may take a job before any session exists here). */
  attach(toolshed: Toolshed): void;
  /** Loads Code Mode's engine ahead of the first run_code; the start-up calls it once idle after ready. */
  warm(): Promise<void>;
  /** On SIGTERM: task workers take no new job; running ones get `graceMs` (see TaskCalls.drain). */
  drain(graceMs: number): Promise<void>;
  close(): Promise<void>;
  /** The isolate pool's state; undefined until the first run_code creates it. */
  poolStats(): PoolStats | undefined;
}

export function serverFactoryFromFlags(flags: CodeModeFlags & { tasks?: string; 'max-concurrent-calls'?: string; 'ready-wait-ms'?: string }, log: Logger, observer?: Observer): ServerFactory {
  const mode = (flags.mode ?? 'both') as ServeMode;
  const readyWaitMs = positiveInt(flags['ready-wait-ms'], '--ready-wait-ms');
  if (!SERVE_MODES.includes(mode)) throw new ConfigError(`--mode expects one of ${SERVE_MODES.join(', ')}, got "${flags.mode}"`);
  const limits = {
    memoryMb: positiveInt(flags['run-memory-mb'], '--run-memory-mb'),
    cpuMs: positiveInt(flags['run-cpu-ms'], '--run-cpu-ms'),
    wallMs: positiveInt(flags['run-timeout-ms'], '--run-timeout-ms'),
    maxCalls: positiveInt(flags['run-max-calls'], '--run-max-calls'),
    maxConcurrentCalls: positiveInt(flags['run-max-concurrent-calls'], '--run-max-concurrent-calls'),
    maxOutputChars: positiveInt(flags['run-max-output-chars'], '--run-max-output-chars'),
    maxCodeChars: positiveInt(flags['run-max-code-chars'], '--run-max-code-chars'),
    typecheckMs: positiveInt(flags['run-typecheck-ms'], '--run-typecheck-ms'),
    typecheckMemoryMb: positiveInt(flags['run-typecheck-memory-mb'], '--run-typecheck-memory-mb'),
    poolSize: positiveInt(flags['run-pool-size'], '--run-pool-size'),
    maxQueue: positiveInt(flags['run-max-queue'], '--run-max-queue'),
  };
  // The runner is imported and its isolates created on the first run_code, not at start-up: it brings
  // esbuild, the TypeScript compiler (over a second of imports) and the isolate addon, which a
  // dynamic-only client or a start-up never needs. The dynamic import is that boundary: keep it one.
  let runner: Promise<CodeRunner> | undefined;
  let created: CodeRunner | undefined; // the same runner, once there is one (stats are read synchronously)
  let codeMode: CodeMode | undefined;
  const definedLimits = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const loadRunner = () =>
    (runner ??= import('./exec/code-runner.js').then(({ createCodeRunner }) => (created = createCodeRunner({ ...definedLimits, log: (message) => log.error({ component: 'code-runner' }, message) }))));
  const lazyRunner: CodeRunner = {
    run: async (request) => (await loadRunner()).run(request),
    warm: async () => {
      const loaded = await loadRunner();
      await mainThreadTurn(); // importing the runner and creating its isolates was one step; warming is the next
      return loaded.warm();
    },
    close: async () => (await runner)?.close(),
  };
  // Task workers wait for the catalogs; the first session's gate bounds them too once there is one.
  let attach: ((toolshed: Toolshed) => void) | undefined;
  const loaded = new Promise<Toolshed>((resolve) => (attach = resolve));
  let sharedGate: Gate | undefined;
  const tasks = createTaskCallsFromFlags(flags, log, async (job, signal, cleared) => {
    const toolshed = await loaded;
    const gate = sharedGate;
    if (mode !== 'dynamic') codeMode ??= createCodeMode({ toolshed, runner: lazyRunner, typecheck: !flags['no-typecheck'] });
    return runTaskJobCall(job, { toolshed, codeMode: mode === 'dynamic' ? undefined : codeMode, signal, cleared, gate });
  });
  return {
    mode,
    create(toolshed, sessionLog, gate, principal) {
      if (mode !== 'dynamic') codeMode ??= createCodeMode({ toolshed, runner: lazyRunner, typecheck: !flags['no-typecheck'] });
      sharedGate ??= gate;
      return createMcpServer({ toolshed, log: sessionLog, mode, ...(codeMode ? { codeMode } : {}), ...(gate ? { gate } : {}), ...(observer ? { observe: observer.metaTool } : {}), ...(tasks.current ? { tasks: tasks.current } : {}), ...(principal ? { principal } : {}), ...(readyWaitMs ? { readyWaitMs } : {}) });
    },
    start: tasks.open,
    attach: (toolshed) => attach?.(toolshed),
    // Loads esbuild, the type-check thread and the isolates ahead of the first run_code. Not started
    // on its own: on a 2-core machine it competes with start-up, so the start-up orchestration calls it
    // once the server is idle after ready.
    warm: async () => {
      if (mode === 'dynamic') return;
      const toolshed = await loaded;
      codeMode ??= createCodeMode({ toolshed, runner: lazyRunner, typecheck: !flags['no-typecheck'] });
      // Declarations are never built without type-checking, so their plan is not needed then.
      await Promise.all([lazyRunner.warm(), flags['no-typecheck'] ? undefined : codeMode.warm()]);
    },
    drain: tasks.drain,
    close: async () => {
      await tasks.close();
      await lazyRunner.close();
    },
    poolStats: () => created?.stats?.(),
  };
}
