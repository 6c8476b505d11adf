// A small bounded pool of warm, reusable resources (sandbox isolates): at most `size` in use at once,
// up to `maxQueue` callers waiting, everyone else told "busy" at once. Generic so it loads without the
// isolated-vm addon and can be tested with plain objects.
import { createBoundedSlots } from './bounded-slots.js';

export interface PoolOptions<T> {
  size: number;
  maxQueue: number;
  create(): Promise<T>;
  /** False for an item that was disposed or hit a limit: it is destroyed and replaced. */
  isUsable(item: T): boolean;
  destroy(item: T): void;
  /** Background creation failed (e.g. the addon cannot start an isolate); the next acquire retries. */
  onCreateError?(error: unknown): void;
}

export type Acquired<T> = { ok: true; item: T } | { ok: false; reason: 'busy' | 'cancelled' | 'closed' };

export interface Pool<T> {
  /** Waits for a free item when all are in use, unless the queue is full. */
  acquire(signal?: AbortSignal): Promise<Acquired<T>>;
  release(item: T): void;
  /** Destroys idle items now and in-use ones on release; waiting callers get 'closed'. */
  close(): void;
  stats(): { inUse: number; idle: number; waiting: number };
}

export function createPool<T>(options: PoolOptions<T>): Pool<T> {
  const { size, maxQueue } = options;
  // Idle items are promises so a background refill counts as idle while it is being created.
  const idle: Array<Promise<T | undefined>> = [];
  const slots = createBoundedSlots(size, maxQueue);
  let closed = false;

  function refill(): void {
    const created = options.create().then(
      (item) => {
        if (!closed) return item;
        options.destroy(item);
        return undefined;
      },
      (error: unknown) => {
        options.onCreateError?.(error);
        return undefined;
      },
    );
    idle.push(created);
  }

  async function take(): Promise<T> {
    for (let next = idle.shift(); next; next = idle.shift()) {
      const item = await next;
      if (item === undefined) continue;
      if (options.isUsable(item)) return item;
      options.destroy(item);
    }
    return options.create(); // a failure here is the caller's to report: the addon cannot start an isolate
  }

  async function grant(): Promise<Acquired<T>> {
    try {
      return { ok: true, item: await take() };
    } catch (error) {
      slots.release();
      throw error;
    }
  }

  for (let i = 0; i < size; i++) refill();

  return {
    async acquire(signal) {
      const granted = await slots.acquire(signal);
      if (granted !== 'granted') return { ok: false, reason: granted };
      if (closed) {
        slots.release();
        return { ok: false, reason: 'closed' };
      }
      return grant();
    },

    release(item) {
      if (closed || !options.isUsable(item)) {
        options.destroy(item);
        if (!closed) refill();
      } else {
        idle.push(Promise.resolve(item));
      }
      slots.release();
    },

    close() {
      closed = true;
      slots.close();
      for (const next of idle.splice(0)) {
        void next.then((item) => item !== undefined && options.destroy(item));
      }
    },

    stats: () => ({ inUse: slots.active, idle: idle.length, waiting: slots.waiting }),
  };
}
