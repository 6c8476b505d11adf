// Structured JSON logs, on stderr only: stdout carries the MCP stdio transport.
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVEL_DEFAULT = 'info';

/** A warning or error record, as connected clients may see it (logging/setLevel). */
export interface WarningRecord {
  level: 'warning' | 'error' | 'critical';
  msg: string;
  fields: Record<string, unknown>;
}

/** Warnings kept for sessions that ask for logs later (a catalog that failed at start-up, say). */
const WARNINGS_KEPT = 50;

interface WarningTap {
  recent: WarningRecord[];
  listeners: Set<(record: WarningRecord) => void>;
}
// Keyed by logger: a process may hold several (tests do), each with its own listeners.
const taps = new WeakMap<Logger, WarningTap>();

/** `mixin` adds fields to every line (tracing adds the active trace_id and span_id). */
export function createLogger(level: string = process.env.TOOLSHED_LOG_LEVEL ?? LOG_LEVEL_DEFAULT, options: { mixin?: () => object } = {}): Logger {
  const tap: WarningTap = { recent: [], listeners: new Set() };
  // Synchronous writes: a crash or a fast exit must not drop the line that explains it.
  const streams = pino.multistream([
    { level: 'trace', stream: pino.destination({ dest: 2, sync: true }) },
    { level: 'warn', stream: { write: (line: string) => tapWarning(tap, line) } },
  ]);
  const log = pino({ level, base: { app: 'toolshed' }, ...(options.mixin ? { mixin: options.mixin } : {}), redact: { paths: ['*.authorization', '*.token', '*.password', '*.apiKey'], censor: '[redacted]' } }, streams);
  taps.set(log, tap);
  return log;
}

/** Calls `listener` with the warnings logged so far (the last few) and every later one; returns a stop. */
export function onWarnings(log: Logger, listener: (record: WarningRecord) => void): () => void {
  const tap = taps.get(log);
  if (!tap) return () => undefined;
  for (const record of tap.recent) listener(record);
  tap.listeners.add(listener);
  return () => void tap.listeners.delete(listener);
}

function tapWarning(tap: WarningTap, line: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, app: _app, pid: _pid, hostname: _host, ...fields } = parsed;
  const record: WarningRecord = { level: Number(level) >= 60 ? 'critical' : Number(level) >= 50 ? 'error' : 'warning', msg: String(msg ?? ''), fields };
  tap.recent.push(record);
  if (tap.recent.length > WARNINGS_KEPT) tap.recent.shift();
  for (const listener of tap.listeners) listener(record);
}
