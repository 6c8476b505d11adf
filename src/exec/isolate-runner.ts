// The only module that imports isolated-vm. It creates isolates (each with the sandbox prelude compiled
// once) and runs one transpiled program in a fresh context of one, enforcing CPU time and memory and
// stopping on demand. Each context serves one run; the next one (context, names, prelude: ~1.5 ms) is
// made in the background as soon as a run ends, so a run only binds its bridge to it. Everything
// crossing the boundary is a string or a plain copy (sandbox/bridge-protocol.d.ts).
import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import type { LogLevel, ProgramOutcome, SandboxConfig, SandboxControl, SandboxNames } from '../../sandbox/bridge-protocol.js';
import type { cutJsonText, CutTextResult } from '../../sandbox/cut-json.js';
import { MAIN_FUNCTION, PROGRAM_FILENAME } from '../codegen/program-wrapper.js';

/** How often the host samples an isolate's CPU time: code after an `await` escapes ivm's own timeout. */
export const CPU_POLL_MS = 10;

const PRELUDE_URL = new URL('../../sandbox/prelude.js', import.meta.url);
const CUT_JSON_URL = new URL('../../sandbox/cut-json.js', import.meta.url);
let cutSource: string | undefined;
const readCutSource = () => (cutSource ??= readFileSync(CUT_JSON_URL, 'utf8'));

export type StopReason = 'cpu' | 'memory' | 'wall' | 'calls' | 'cancelled' | 'crashed';

/** What a program ended with, its result's JSON in hand (cut when it was too long to copy out). */
export type FinalOutcome = Exclude<ProgramOutcome, { keptChars: number }>;

export type SandboxOutcome =
  /** `notice` says what was cut when the result's JSON was cut inside the sandbox. */
  | { kind: 'done'; outcome: FinalOutcome; notice?: string }
  | { kind: 'stopped'; reason: StopReason; detail: string }
  /** The body does not parse on its own (it closes its wrapper, say): nothing of it ran. */
  | { kind: 'refused'; detail: string };

export interface SandboxBridge {
  /** Resolves with a JSON `ToolReply`; must never reject. Its arguments are whatever the sandbox sent. */
  callTool(tool: unknown, argsJson: unknown): Promise<string>;
  log(level: LogLevel, text: string): void;
}

export interface SandboxRun {
  /** Transpiled program defining `async function __main()`. */
  js: string;
  /** The function body alone; checked to parse by itself before `js` is compiled. */
  body: string;
  config: SandboxConfig;
  /** The same object across runs of one catalog version: its isolate copy is made once. */
  names: SandboxNames;
  bridge: SandboxBridge;
  cpuMs: number;
  /** A result whose JSON passes `config.maxResultChars` is cut in the sandbox to `maxChars()` (read when the program has returned). */
  result: { maxChars(): number; advice: string };
  /** Aborting stops the run at once (the isolate is disposed); `stop.reason` is the StopReason. */
  stop: AbortSignal;
}

/** An isolate with the prelude compiled; opaque outside this module. */
export interface SandboxIsolate {
  readonly isolate: ivm.Isolate;
  readonly prelude: ivm.Script;
  /** The next run's context, prepared while the isolate was idle; no run has used it. */
  next?: PreparedContext;
  /** cut-json.js's cutJsonText in a context of its own, loaded on the first result too long to copy out. */
  cutter?: Promise<ivm.Reference<typeof cutJsonText>>;
  /** Set while a run uses the isolate: stops it when V8 reports a catastrophic error in it. */
  onCatastrophe?: (message: string) => void;
}

interface PreparedContext {
  /** The names table its namespaces were made from: a run with another table prepares afresh. */
  names: SandboxNames;
  /** Settles with the context or with why it could not be made; never rejects. */
  ready: Promise<{ ok: true; context: ivm.Context; control: ivm.Reference<SandboxControl>; bind: ivm.Reference<SandboxControl['bind']> } | { ok: false; error: unknown }>;
}

export interface IsolateHost {
  create(): Promise<SandboxIsolate>;
  isUsable(sandbox: SandboxIsolate): boolean;
  dispose(sandbox: SandboxIsolate): void;
  run(sandbox: SandboxIsolate, run: SandboxRun): Promise<SandboxOutcome>;
}

export interface IsolateHostOptions {
  memoryMb: number;
  /** The prelude's CPU limit when it prepares a context (it runs no program code). */
  cpuMs: number;
  /** Where to report an isolate that V8 lost control of (the process should then be restarted). */
  onCatastrophicError(message: string): void;
}

export function createIsolateHost(options: IsolateHostOptions): IsolateHost {
  const preludeSource = readFileSync(PRELUDE_URL, 'utf8');
  // The names table of the latest run: a new isolate prepares its first context with it.
  let latestNames: SandboxNames | undefined;

  function prepare(sandbox: SandboxIsolate, names: SandboxNames): PreparedContext {
    const ready = (async () => {
      const context = await sandbox.isolate.createContext();
      try {
        context.global.setSync('__toolshed_names', namesCopy(names).copyInto());
        const control = (await sandbox.prelude.run(context, { timeout: options.cpuMs, reference: true })) as ivm.Reference<SandboxControl>;
        const bind = (await control.get('bind', { reference: true })) as ivm.Reference<SandboxControl['bind']>;
        return { ok: true as const, context, control, bind };
      } catch (error) {
        if (!sandbox.isolate.isDisposed) context.release();
        throw new SandboxCodeError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    })();
    return { names, ready: ready.catch((error: unknown) => ({ ok: false as const, error })) };
  }

  /** The run's context: the prepared one when it was made for the same names, else a new one. */
  function takeContext(sandbox: SandboxIsolate, names: SandboxNames): PreparedContext {
    const prepared = sandbox.next;
    sandbox.next = undefined;
    if (prepared?.names === names) return prepared;
    if (prepared) void prepared.ready.then((stale) => stale.ok && !sandbox.isolate.isDisposed && stale.context.release());
    return prepare(sandbox, names);
  }

  return {
    async create() {
      const holder: { sandbox?: SandboxIsolate } = {};
      const onCatastrophicError = (message: string) => {
        options.onCatastrophicError(message);
        holder.sandbox?.onCatastrophe?.(message);
      };
      const isolate = new ivm.Isolate({ memoryLimit: options.memoryMb, onCatastrophicError });
      const prelude = await isolate.compileScript(preludeSource, { filename: 'prelude.js' });
      const sandbox: SandboxIsolate = (holder.sandbox = { isolate, prelude });
      if (latestNames) sandbox.next = prepare(sandbox, latestNames);
      return sandbox;
    },
    isUsable: (sandbox) => !sandbox.isolate.isDisposed,
    dispose(sandbox) {
      if (!sandbox.isolate.isDisposed) sandbox.isolate.dispose();
    },
    async run(sandbox, run) {
      latestNames = run.names;
      try {
        return await runProgram(sandbox, takeContext(sandbox, run.names), run);
      } finally {
        // The next run's context is made now, while this isolate waits in the pool.
        if (!sandbox.isolate.isDisposed) sandbox.next = prepare(sandbox, run.names);
      }
    },
  };
}

// One transferable copy per names table (per catalog version), not one serialization per run.
const namesCopies = new WeakMap<SandboxNames, ivm.ExternalCopy<SandboxNames>>();
function namesCopy(names: SandboxNames): ivm.ExternalCopy<SandboxNames> {
  let copy = namesCopies.get(names);
  if (!copy) namesCopies.set(names, (copy = new ivm.ExternalCopy(names)));
  return copy;
}

async function runProgram(sandbox: SandboxIsolate, prepared: PreparedContext, run: SandboxRun): Promise<SandboxOutcome> {
  const { isolate } = sandbox;
  let stopped: { reason: StopReason; detail: string } | undefined;
  let onStopped!: () => void;
  const stoppedSignal = new Promise<void>((resolve) => (onStopped = resolve));
  const stop = (reason: StopReason, detail: string) => {
    if (stopped) return;
    stopped = { reason, detail };
    if (!isolate.isDisposed) isolate.dispose(); // ends running code and abandons its pending promises
    onStopped();
  };
  // A closure, so TypeScript does not narrow `stopped` across the awaits that may set it.
  const stoppedOutcome = (): SandboxOutcome => ({ kind: 'stopped', ...stopped! });
  const onAbort = () => stop(isStopReason(run.stop.reason) ? run.stop.reason : 'cancelled', '');
  if (run.stop.aborted) onAbort();
  else run.stop.addEventListener('abort', onAbort, { once: true });
  // Some floods (a Map or Set grown without end) end in V8's out-of-memory handler rather than at ivm's
  // memory limit: the isolate is then lost, and without this the run would spin on to the CPU limit and
  // be reported as an endless loop.
  sandbox.onCatastrophe = (message) => stop(/out[- ]of[- ]memory/i.test(message) ? 'memory' : 'crashed', message);

  const cpuStart = isolate.isDisposed ? 0n : isolate.cpuTime;
  const cpuLimitNs = BigInt(run.cpuMs) * 1_000_000n;
  const monitor = setInterval(() => {
    try {
      if (isolate.cpuTime - cpuStart > cpuLimitNs) stop('cpu', '');
    } catch {
      // Disposed between ticks (memory limit, a stop): the run is ending and reports why.
    }
  }, CPU_POLL_MS);

  let handles: Array<{ release(): void }> = [];
  const releaseProgram = () => {
    if (!isolate.isDisposed) for (const handle of handles) handle.release();
    handles = [];
  };
  try {
    const work = (async (): Promise<SandboxOutcome> => {
      const ready = await prepared.ready;
      if (!ready.ok) throw ready.error;
      const { context, control, bind } = ready;
      handles.push(bind, control, context);
      const call = new ivm.Reference(run.bridge.callTool);
      const log = new ivm.Reference(run.bridge.log);
      // Compiling runs nothing, so it goes along with the body check; the script runs only if the body
      // passed, and a body that fails is refused whatever the compiler said.
      const compiled = isolate.compileScript(`${run.js}\n;__toolshed_start(${MAIN_FUNCTION});`, { filename: PROGRAM_FILENAME }).then(
        (script) => (handles.unshift(script), { script }),
        (error: unknown) => ({ error }),
      );
      const bodyError: unknown = await bind.apply(undefined, [run.body, call, log, new ivm.ExternalCopy(run.config).copyInto()], { timeout: run.cpuMs });
      const compiledScript = await compiled; // held until the run's handles are released, refused or not
      if (bodyError !== null) return { kind: 'refused', detail: typeof bodyError === 'string' ? bodyError : 'does not parse as a function body' };
      if ('error' in compiledScript) throw compiledScript.error;
      const { script } = compiledScript;
      // ivm's timeout covers the synchronous part; the monitor covers continuations after awaits.
      const outcome = asProgramOutcome(await script.run(context, { timeout: run.cpuMs, promise: true, copy: true }));
      // A program can return while queued work keeps running (`Promise.resolve().then(loop)`): wait
      // until the isolate is idle, monitor still on, before calling the run done.
      await context.eval('0', { timeout: run.cpuMs });
      if (!('keptChars' in outcome)) return { kind: 'done', outcome };
      // Too long to copy out: cut where it is, under this run's limits, once the program's own objects
      // are let go (the cut needs room for the text's index and what it keeps).
      const kept = (await control.get('keptJson', { reference: true })) as ivm.Reference<string>;
      releaseProgram();
      handles.push(kept);
      const cut = await cutInSandbox(sandbox, kept, run);
      return { kind: 'done', outcome: { ok: true, json: cut.json }, ...(cut.notice !== undefined && { notice: cut.notice }) };
    })();
    const outcome = await Promise.race([work, stoppedSignal]);
    return stopped || !outcome ? stoppedOutcome() : outcome;
  } catch (error) {
    if (!stopped) {
      const message = error instanceof Error ? error.message : String(error);
      if (isolate.isDisposed) stop(/memory limit/i.test(message) ? 'memory' : 'crashed', message);
      else if (error instanceof SandboxCodeError) stop('crashed', message);
      else if (/^Script execution timed out/.test(message)) stop('cpu', message);
      else {
        // ivm rejects the run with the program's own unhandled promise rejection. The program may
        // still have work queued, so this isolate is not reused.
        isolate.dispose();
        return { kind: 'done', outcome: unhandledRejection(error) };
      }
    }
    return stoppedOutcome();
  } finally {
    clearInterval(monitor);
    sandbox.onCatastrophe = undefined;
    run.stop.removeEventListener('abort', onAbort);
    releaseProgram();
  }
}

/**
 * The kept JSON cut to the run's budget by sandbox/cut-json.js, in a context of the isolate's own that no
 * program runs in (its built-ins are as they came), so only a budget-sized string reaches the host.
 */
async function cutInSandbox(sandbox: SandboxIsolate, kept: ivm.Reference<string>, run: SandboxRun): Promise<CutTextResult> {
  const cutter = await (sandbox.cutter ??= loadCutter(sandbox.isolate, run.cpuMs));
  let cut: unknown;
  try {
    cut = await cutter.apply(undefined, [kept.derefInto(), run.result.maxChars(), new ivm.ExternalCopy({ advice: run.result.advice }).copyInto()], { timeout: run.cpuMs, result: { copy: true } });
  } catch (error) {
    if (sandbox.isolate.isDisposed || /^Script execution timed out/.test(String((error as Error)?.message))) throw error;
    throw new SandboxCodeError(`cutting the result failed: ${String(error)}`, { cause: error });
  }
  const { json, notice } = (cut ?? {}) as Partial<CutTextResult>;
  if (typeof json !== 'string' || (notice !== undefined && typeof notice !== 'string')) throw new SandboxCodeError('cutting the result gave no JSON text');
  return { json, truncated: notice !== undefined, ...(notice !== undefined && { notice }) };
}

function loadCutter(isolate: ivm.Isolate, cpuMs: number): Promise<ivm.Reference<typeof cutJsonText>> {
  return (async () => {
    const context = await isolate.createContext();
    const module = await isolate.compileModule(readCutSource(), { filename: 'cut-json.js' });
    await module.instantiate(context, (specifier) => {
      throw new Error(`cut-json.js imports nothing, yet asked for ${specifier}`);
    });
    await module.evaluate({ timeout: cpuMs });
    return (await module.namespace.get('cutJsonText', { reference: true })) as ivm.Reference<typeof cutJsonText>;
  })().catch((error: unknown) => {
    throw new SandboxCodeError(`the result cutter could not be loaded: ${String(error)}`, { cause: error });
  });
}

/** toolshed's own code in the sandbox failed (the prelude, the cutter): a bad namespace config or a bug, not the program. */
class SandboxCodeError extends Error {}

function isStopReason(value: unknown): value is StopReason {
  return value === 'cpu' || value === 'memory' || value === 'wall' || value === 'calls' || value === 'cancelled' || value === 'crashed';
}

function unhandledRejection(error: unknown): FinalOutcome {
  if (error instanceof Error) {
    return { ok: false, name: error.name, message: `${error.message} (an unhandled promise rejection)`, stack: error.stack ?? '' };
  }
  return { ok: false, name: 'Error', message: `Unhandled promise rejection: ${String(error)}`, stack: '' };
}

/** The outcome was built by sandbox code the program could have tampered with: take only well-typed fields. */
function asProgramOutcome(value: unknown): ProgramOutcome {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (o.ok === true && Number.isSafeInteger(o.keptChars)) return { ok: true, keptChars: o.keptChars as number };
  if (o.ok === true && (o.json === undefined || typeof o.json === 'string')) return o.json === undefined ? { ok: true } : { ok: true, json: o.json };
  if (o.ok === false) {
    const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
    const call = Number.isSafeInteger(o.call) ? { call: o.call as number } : {};
    return { ok: false, name: text(o.name, 'Error'), message: text(o.message, 'Uncaught exception'), stack: text(o.stack, ''), ...call };
  }
  return { ok: false, name: 'Error', message: 'The sandbox returned no outcome', stack: '' };
}
