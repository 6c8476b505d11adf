// The host side of one run's bridge: the sandbox's only way out. Every call is counted against the
// run's limit, then its arguments are checked as JSON text (a string, parsed here, an object, well-formed
// UTF-16, bounded in size and depth) before anything reads them; then the tool name is checked, the call
// waits for one of the run's concurrent-call slots (FIFO) and goes to the caller's `callTool`. Nothing
// but JSON text goes back in. Failed calls are kept, so an uncaught ToolError is reported as that call.
import type { LogLevel, ToolErrorDetail } from '../../sandbox/bridge-protocol.js';
import type { ToolFailure } from '../errors.js';
import { createBoundedSlots } from './bounded-slots.js';
import { cutJson } from './cut-response.js';
import { keepLoopHot } from './hot-loop.js';
import type { SandboxBridge } from './isolate-runner.js';

/** A call's arguments, as JSON text: far above any API's input, far below a stall of the host's parser. */
export const RUN_MAX_ARGS_CHARS = 1_000_000;
/** Nesting depth of a call's arguments; JSON Schema inputs seldom pass 10. */
export const RUN_MAX_ARGS_DEPTH = 64;
// With the u flag a well-formed pair is one code point: only a lone surrogate matches.
const LONE_SURROGATE = /\p{Cs}/u;
/** The API's answer a ToolError carries (`e.body`), in characters of JSON. */
export const TOOL_ERROR_BODY_MAX_CHARS = 2_000;

export type ToolCallOutcome = { ok: true; value: unknown } | { ok: false; failure: ToolFailure; status?: number; body?: unknown };
/** Runs one catalog tool for the program. `toolId` is `namespace.name`; args are a parsed JSON object. */
export type CallTool = (toolId: string, args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolCallOutcome>;

export interface CallRecord {
  tool: string;
  ok: boolean;
  ms: number;
}

export interface FailedCall {
  tool: string;
  failure: ToolFailure;
  status?: number;
}

export interface RunBridgeOptions {
  hasTool(toolId: string): boolean;
  callTool: CallTool;
  onCall?(info: CallRecord & { count: number }): void;
  maxCalls: number;
  maxConcurrentCalls: number;
  maxLogChars: number;
  /** Passed to every call; aborted when the run stops or ends. */
  signal: AbortSignal;
  /** Called once when the calls limit is passed: the run must stop. */
  onCallLimit(): void;
  log(message: string): void;
}

export interface RunBridge {
  bridge: SandboxBridge;
  /** Freezes calls and logs: replies arriving later change nothing. */
  end(): void;
  calls: CallRecord[];
  /** Failed calls in the order they failed; a ToolError's `call` indexes this. */
  failures: FailedCall[];
  logLines(): string[];
  logChars(): number;
  /** Calls started and not yet answered (queued ones included). */
  pending(): number;
}

export function createRunBridge(options: RunBridgeOptions): RunBridge {
  const calls: CallRecord[] = [];
  const failures: FailedCall[] = [];
  const logs = createLogSink(options.maxLogChars);
  // Calls beyond the cap wait in order; the queue can never pass the calls limit.
  const slots = createBoundedSlots(options.maxConcurrentCalls, options.maxCalls);
  let started = 0;
  let pending = 0;
  let ended = false;
  const reply = (outcome: { ok: true; value: unknown } | { ok: false; error: ToolErrorDetail }) => JSON.stringify(outcome);
  const refuse = (tool: string, failure: ToolFailure) => {
    failures.push({ tool, failure });
    return reply({ ok: false, error: { tool, code: failure.code, message: failure.message, ...(failure.next && { next: failure.next }), call: failures.length - 1 } });
  };

  // The sandbox's next call usually follows its last reply within microseconds: stay awake for it.
  async function callTool(tool: unknown, argsJson: unknown): Promise<string> {
    try {
      return await answerCall(tool, argsJson);
    } finally {
      keepLoopHot();
    }
  }

  async function answerCall(tool: unknown, argsJson: unknown): Promise<string> {
    const name = typeof tool === 'string' ? tool.slice(0, 200) : '?';
    if (ended || options.signal.aborted) return refuse(name, { code: 'cancelled', message: 'The run has ended.' });
    if (++started > options.maxCalls) {
      options.onCallLimit();
      return refuse(name, { code: 'limit_exceeded', message: 'API call limit reached.' });
    }
    const args = parseArgs(argsJson);
    if (typeof args === 'string') return refuse(name, { code: 'invalid_arguments', message: `${name}: ${args}`, next: 'Pass one plain JSON object of arguments.' });
    if (typeof tool !== 'string' || !options.hasTool(tool)) return refuse(name, { code: 'unknown_tool', message: `Unknown tool ${name}.`, next: 'Use search_tools to find the right function name.' });
    pending++;
    try {
      if ((await slots.acquire(options.signal)) !== 'granted') return refuse(tool, { code: 'cancelled', message: 'The run has ended.' });
      try {
        return await forward(tool, args);
      } finally {
        slots.release();
      }
    } finally {
      pending--;
    }
  }

  async function forward(tool: string, args: Record<string, unknown>): Promise<string> {
    const start = performance.now();
    let outcome: ToolCallOutcome;
    try {
      outcome = await options.callTool(tool, args, options.signal);
    } catch (error) {
      options.log(`callTool threw for ${tool}: ${String(error)}`); // its contract is to return failures
      outcome = { ok: false, failure: { code: 'runtime_error', message: `${tool} failed inside toolshed.`, next: 'Retry the run; if it fails again, report it.' } };
    }
    if (ended) return refuse(tool, { code: 'cancelled', message: 'The run has ended.' });
    const record = { tool, ok: outcome.ok, ms: Math.round(performance.now() - start) };
    calls.push(record);
    try {
      options.onCall?.({ ...record, count: calls.length });
    } catch (error) {
      options.log(`onCall threw: ${String(error)}`);
    }
    if (!outcome.ok) {
      const { failure, status, body } = outcome;
      failures.push({ tool, failure, ...(status !== undefined && { status }) });
      const cut = body === undefined ? undefined : cutJson(body, TOOL_ERROR_BODY_MAX_CHARS, { advice: 'the full answer is not kept' }).value;
      const detail: ToolErrorDetail = { tool, code: failure.code, message: failure.message, call: failures.length - 1 };
      if (status !== undefined) detail.status = status;
      if (cut !== undefined) detail.body = cut;
      if (failure.next) detail.next = failure.next;
      return reply({ ok: false, error: detail });
    }
    try {
      return reply({ ok: true, value: outcome.value ?? null });
    } catch {
      return refuse(tool, { code: 'runtime_error', message: `${tool}: the response is not JSON-serializable.` });
    }
  }

  return {
    bridge: { callTool, log: logs.add },
    end() {
      ended = true;
      slots.close();
      logs.close();
    },
    calls,
    failures,
    logLines: logs.lines,
    logChars: logs.chars,
    pending: () => pending,
  };
}

/** The arguments object, or what is wrong with the text. Checked before anything on the host reads them. */
export function parseArgs(argsJson: unknown): Record<string, unknown> | string {
  if (typeof argsJson !== 'string') return 'the arguments did not arrive as JSON text.';
  if (argsJson.length > RUN_MAX_ARGS_CHARS) return `the arguments are ${argsJson.length} characters of JSON; at most ${RUN_MAX_ARGS_CHARS} are accepted.`;
  let value: unknown;
  try {
    value = JSON.parse(argsJson);
  } catch {
    return 'the arguments are not valid JSON.';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `the arguments must be an object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`;
  // Iterative: a deep structure must not overflow the host's stack here or in anything after.
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return 'the arguments hold a string with a lone UTF-16 surrogate (invalid text).';
    } else if (item !== null && typeof item === 'object') {
      if (depth > RUN_MAX_ARGS_DEPTH) return `the arguments are nested more than ${RUN_MAX_ARGS_DEPTH} levels deep.`;
      for (const [key, child] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return 'the arguments hold a key with a lone UTF-16 surrogate (invalid text).';
        stack.push([child, depth + 1]);
      }
    }
  }
  return value as Record<string, unknown>;
}

/** console output, kept in order up to `maxChars`; later lines are dropped with one notice. */
function createLogSink(maxChars: number) {
  const lines: string[] = [];
  let chars = 0;
  let cut = false;
  let closed = false;
  return {
    add(level: LogLevel, text: string): void {
      if (closed || typeof text !== 'string') return; // the sandbox could send anything
      const line = level === 'log' || typeof level !== 'string' ? text : `[${level}] ${text}`;
      if (!cut && chars + line.length <= maxChars) {
        lines.push(line);
        chars += line.length + 1;
      } else cut = true;
    },
    close: () => void (closed = true),
    lines: () => (cut ? [...lines, `[console output cut at ${maxChars} characters; later lines left out]`] : lines),
    chars: () => chars,
  };
}
