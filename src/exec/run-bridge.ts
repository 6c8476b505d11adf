// The host side of one run's bridge: the sandbox's only way out. It checks the tool name, counts calls
// against the limit, parses the JSON arguments, forwards to the caller's `callTool`, times each call and
// keeps console output up to its budget. Nothing but JSON text goes back in.
import type { LogLevel } from '../../sandbox/bridge-protocol.js';
import type { SandboxBridge } from './isolate-runner.js';

export type ToolCallOutcome = { ok: true; value: unknown } | { ok: false; error: string };
/** Runs one catalog tool for the program. `toolId` is `namespace.name`; args are a JSON copy. */
export type CallTool = (toolId: string, args: unknown, signal: AbortSignal) => Promise<ToolCallOutcome>;

export interface CallRecord {
  tool: string;
  ok: boolean;
  ms: number;
}

export interface RunBridgeOptions {
  namespaces: Record<string, string[]>;
  callTool: CallTool;
  onCall?(info: CallRecord & { count: number }): void;
  maxCalls: number;
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
  logLines(): string[];
  logChars(): number;
  /** Calls still waiting for `callTool`. */
  pending(): number;
}

export function createRunBridge(options: RunBridgeOptions): RunBridge {
  const allowed = new Set(Object.entries(options.namespaces).flatMap(([ns, names]) => names.map((n) => `${ns}.${n}`)));
  const calls: CallRecord[] = [];
  const logs = createLogSink(options.maxLogChars);
  let started = 0;
  let pending = 0;
  let ended = false;
  const fail = (error: string) => JSON.stringify({ ok: false, error });

  async function callTool(tool: string, argsJson: string): Promise<string> {
    if (ended || options.signal.aborted) return fail('The run has ended.');
    if (typeof tool !== 'string' || !allowed.has(tool)) return fail(`Unknown tool ${String(tool)}.`);
    if (++started > options.maxCalls) {
      options.onCallLimit();
      return fail('API call limit reached.');
    }
    let args: unknown;
    try {
      args = JSON.parse(argsJson);
    } catch {
      return fail(`${tool}: the arguments are not valid JSON.`);
    }
    const start = performance.now();
    let reply: ToolCallOutcome;
    pending++;
    try {
      reply = await options.callTool(tool, args, options.signal);
    } catch (error) {
      options.log(`callTool threw for ${tool}: ${String(error)}`); // its contract is to return failures
      reply = { ok: false, error: `${tool} failed inside toolshed.` };
    } finally {
      pending--;
    }
    if (ended) return fail('The run has ended.');
    const record = { tool, ok: reply.ok, ms: Math.round(performance.now() - start) };
    calls.push(record);
    try {
      options.onCall?.({ ...record, count: calls.length });
    } catch (error) {
      options.log(`onCall threw: ${String(error)}`);
    }
    if (!reply.ok) return fail(reply.error);
    try {
      return JSON.stringify({ ok: true, value: reply.value });
    } catch {
      return fail(`${tool}: the response is not JSON-serializable.`);
    }
  }

  return {
    bridge: { callTool, log: logs.add },
    end() {
      ended = true;
      logs.close();
    },
    calls,
    logLines: logs.lines,
    logChars: logs.chars,
    pending: () => pending,
  };
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
