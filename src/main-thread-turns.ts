// Fair turns on the main thread for tool calls. A burst of requests (64 sessions searching at once)
// otherwise runs every handler's synchronous work — ranking, describing, building a request — inside the
// one event-loop iteration that read them, and /healthz, cancellations and timers wait for all of it
// (150-250 ms per iteration measured with 64 sessions on 2 cores). Here each call starts in a turn of its
// own; turns run back to back for at most SLICE_MS, then the rest wait for the next iteration, so I/O and
// timers get in between. Order is kept (FIFO). Hand-written: this is event-loop plumbing, ~20 lines, and
// no scheduling library yields on Node's check phase.

/**
 * Work the event loop may do back to back before it reads sockets and fires timers again. 2 ms, not 8:
 * bench/abuse.ts put /healthz p99 at 60-70 ms with 8, 38-52 with 4 and 26-50 with 2, with no fewer
 * searches served (a turn boundary costs one loop iteration, tens of microseconds).
 */
export const SLICE_MS = 2;

let sliceStart = 0;
let sliceOpen = false;

/**
 * Resolves when this call may run. Its continuation runs right after, in the same macrotask (microtasks
 * follow each setImmediate callback), so the time check before the next turn sees the work it did.
 */
export function mainThreadTurn(): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      const now = performance.now();
      if (!sliceOpen) {
        sliceOpen = true;
        sliceStart = now;
        // Queued now, it runs first in the next iteration's check phase: before every turn deferred below.
        setImmediate(() => (sliceOpen = false));
      } else if (now - sliceStart > SLICE_MS) {
        setImmediate(go); // the next iteration, after its I/O and timers
        return;
      }
      resolve();
    };
    setImmediate(go);
  });
}
