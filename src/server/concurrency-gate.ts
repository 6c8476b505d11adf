// Backpressure for tool executions: at most `maxConcurrent` run at once, at most `maxQueue` wait their
// turn (FIFO); anything beyond is turned away at once with a "busy" answer instead of piling up in memory.
// Hand-written: a counter and a queue; the libraries for this (p-limit, p-queue) queue without bound.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { failure } from './tool-result.js';

export const MAX_CONCURRENT_CALLS_DEFAULT = 32;
export const MAX_QUEUE_DEFAULT = 128;
/** What a turned-away caller is told to wait before retrying; long enough for a typical call to finish. */
export const BUSY_RETRY_AFTER_MS = 1000;

export type GateOutcome<T> = { status: 'done'; value: T } | { status: 'busy'; retryAfterMs: number } | { status: 'cancelled' };

export interface Gate {
  /** Runs `fn` now, or after the calls ahead of it; never throws for capacity (fn's own errors propagate). */
  run<T>(fn: () => Promise<T> | T, signal?: AbortSignal): Promise<GateOutcome<T>>;
  readonly active: number;
  readonly queued: number;
}

export interface GateOptions {
  maxConcurrent?: number;
  maxQueue?: number;
  retryAfterMs?: number;
}

export function createGate(options: GateOptions = {}): Gate {
  const maxConcurrent = options.maxConcurrent ?? MAX_CONCURRENT_CALLS_DEFAULT;
  const maxQueue = options.maxQueue ?? MAX_QUEUE_DEFAULT;
  const retryAfterMs = options.retryAfterMs ?? BUSY_RETRY_AFTER_MS;
  if (!(maxConcurrent >= 1) || !(maxQueue >= 0)) throw new RangeError(`gate needs maxConcurrent >= 1 and maxQueue >= 0, got ${maxConcurrent} and ${maxQueue}`);
  let active = 0;
  // Each waiter is woken with `true` (its turn) or `false` (cancelled while waiting).
  const waiters: Array<(go: boolean) => void> = [];

  const release = () => {
    const next = waiters.shift();
    if (next) next(true);
    else active--;
  };

  const acquire = (signal: AbortSignal | undefined): Promise<boolean> | boolean | 'busy' => {
    if (active < maxConcurrent) {
      active++;
      return true;
    }
    if (waiters.length >= maxQueue) return 'busy';
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        const at = waiters.indexOf(wake);
        if (at >= 0) waiters.splice(at, 1);
        resolve(false);
      };
      // The slot passes straight from the finishing call to this one: `active` is unchanged.
      const wake = (go: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(go);
      };
      waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    async run(fn, signal) {
      if (signal?.aborted) return { status: 'cancelled' };
      const turn = await acquire(signal);
      if (turn === 'busy') return { status: 'busy', retryAfterMs };
      if (!turn) return { status: 'cancelled' };
      try {
        return { status: 'done', value: await fn() };
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
  };
}

/** A tool call through the gate: the handler's result, or an isError result the model can act on. */
export async function gateToolCall(gate: Gate, call: () => Promise<CallToolResult> | CallToolResult, signal?: AbortSignal): Promise<CallToolResult> {
  const outcome = await gate.run(call, signal);
  if (outcome.status === 'done') return outcome.value;
  if (outcome.status === 'cancelled') return failure({ code: 'cancelled', message: 'the call was cancelled while waiting for a free slot' });
  return failure({
    code: 'busy',
    message: `the server is at its limit of concurrent tool calls (${gate.active} running, ${gate.queued} waiting)`,
    next: `Retry after ${outcome.retryAfterMs} ms; run calls one after another rather than many at once.`,
  });
}
