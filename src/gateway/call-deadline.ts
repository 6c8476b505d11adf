// The time an upstream tool call may take, as an AbortSignal that can be paused. The SDK's own request
// timeout cannot be paused, and a call that relays an elicitation waits for a person: the clock stops
// while the client answers a relayed request and restarts (in full) on progress and after each answer.
export interface CallDeadline {
  readonly signal: AbortSignal;
  /** True once the deadline (not a cancellation) ended the call. */
  expired(): boolean;
  reset(): void;
  /** Stops the clock until the returned function is called (nested pauses are counted). */
  pause(): () => void;
  clear(): void;
}

export function createCallDeadline(timeoutMs: number): CallDeadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let paused = 0;
  let expired = false;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (paused > 0 || controller.signal.aborted) return;
    timer = setTimeout(() => {
      expired = true;
      controller.abort(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  };
  arm();
  return {
    signal: controller.signal,
    expired: () => expired,
    reset: arm,
    pause() {
      paused++;
      arm();
      let resumed = false;
      return () => {
        if (resumed) return;
        resumed = true;
        paused--;
        arm();
      };
    },
    clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      paused = Number.POSITIVE_INFINITY;
    },
  };
}
