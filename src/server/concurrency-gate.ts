// Backpressure for tool executions: at most `maxConcurrent` run at once, at most `maxQueue` wait their
// turn (FIFO); anything beyond is turned away at once with a "busy" answer instead of piling up in memory.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createBoundedSlots } from '../exec/bounded-slots.js';
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
  const retryAfterMs = options.retryAfterMs ?? BUSY_RETRY_AFTER_MS;
  const slots = createBoundedSlots(options.maxConcurrent ?? MAX_CONCURRENT_CALLS_DEFAULT, options.maxQueue ?? MAX_QUEUE_DEFAULT);
  return {
    async run(fn, signal) {
      const grant = await slots.acquire(signal);
      if (grant === 'busy') return { status: 'busy', retryAfterMs };
      if (grant !== 'granted') return { status: 'cancelled' };
      try {
        return { status: 'done', value: await fn() };
      } finally {
        slots.release();
      }
    },
    get active() {
      return slots.active;
    },
    get queued() {
      return slots.waiting;
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
