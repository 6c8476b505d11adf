// Keeps the main event loop polling for a moment after Code Mode answers a bridge call. isolated-vm
// hands each call from the sandbox's thread to the main thread through libuv's async handle; when the
// loop sleeps in epoll, waking it costs 50-70 µs on this kind of VM (measured: 100 sequential trivial
// calls took 9.2 ms with the loop asleep between them, 3.1 ms with it polling). A program calling APIs
// in sequence sends its next call within microseconds of the last reply, so for HOT_WINDOW_MS after
// each reply the loop runs setImmediate turns (epoll with a zero timeout: sockets and timers are still
// served every turn) instead of sleeping. The CPU spent is bounded by the window per call. Hand-written:
// this is event-loop plumbing, a few lines, with no library for it.

/** How long the loop stays awake after a reply; a sequential program's next call arrives well within it. */
export const HOT_WINDOW_MS = 0.2;

let hotUntil = 0;
let polling = false;

function poll(): void {
  if (performance.now() < hotUntil) setImmediate(poll);
  else polling = false;
}

/** Keeps the loop awake for the next HOT_WINDOW_MS (extends the window if it is already awake). */
export function keepLoopHot(): void {
  hotUntil = performance.now() + HOT_WINDOW_MS;
  if (polling) return;
  polling = true;
  setImmediate(poll);
}

/** Whether the loop is polling now (for tests and diagnostics). */
export function loopIsHot(): boolean {
  return polling;
}
