// A counting semaphore with a bounded, abortable FIFO queue: at most `max` holders at once, at most
// `maxQueue` waiting, anyone beyond told "busy" at once. Shared by the tool-call gate and the isolate
// pool. Hand-written: p-limit and p-queue queue without bound and cannot turn a caller away.

export type SlotGrant = 'granted' | 'busy' | 'cancelled' | 'closed';

export interface BoundedSlots {
  /** A slot now, one handed over by a finishing holder later, or why not. */
  acquire(signal?: AbortSignal): Promise<SlotGrant>;
  /** Hands the slot to the next waiter, or frees it. */
  release(): void;
  /** Wakes every waiter with 'closed'; later acquires get 'closed' too. */
  close(): void;
  readonly active: number;
  readonly waiting: number;
}

export function createBoundedSlots(max: number, maxQueue: number): BoundedSlots {
  if (!(max >= 1) || !(maxQueue >= 0)) throw new RangeError(`need max >= 1 and maxQueue >= 0, got ${max} and ${maxQueue}`);
  let active = 0;
  let closed = false;
  // Each waiter is woken with true (the slot passes straight to it: `active` is unchanged) or false.
  const waiters: Array<(go: boolean) => void> = [];

  return {
    async acquire(signal) {
      if (closed) return 'closed';
      if (signal?.aborted) return 'cancelled';
      if (active < max) {
        active++;
        return 'granted';
      }
      if (waiters.length >= maxQueue) return 'busy';
      const go = await new Promise<boolean>((resolve) => {
        const onAbort = () => {
          const at = waiters.indexOf(wake);
          if (at >= 0) waiters.splice(at, 1);
          resolve(false);
        };
        const wake = (granted: boolean) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(granted);
        };
        waiters.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (go) return 'granted';
      return closed ? 'closed' : 'cancelled';
    },
    release() {
      const next = waiters.shift();
      if (next) next(true);
      else active--;
    },
    close() {
      closed = true;
      for (const wake of waiters.splice(0)) wake(false);
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
