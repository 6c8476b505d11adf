import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPool, type PoolOptions } from '../../src/exec/isolate-pool.js';

interface Item {
  id: number;
  broken: boolean;
  destroyed: boolean;
}

function itemPool(overrides: Partial<PoolOptions<Item>> = {}) {
  let next = 0;
  const created: Item[] = [];
  const pool = createPool<Item>({
    size: 2,
    maxQueue: 1,
    create: async () => {
      const item = { id: ++next, broken: false, destroyed: false };
      created.push(item);
      return item;
    },
    isUsable: (item) => !item.broken && !item.destroyed,
    destroy: (item) => void (item.destroyed = true),
    ...overrides,
  });
  return { pool, created };
}

async function take(pool: ReturnType<typeof itemPool>['pool'], signal?: AbortSignal): Promise<Item> {
  const acquired = await pool.acquire(signal);
  assert.ok(acquired.ok, `expected an item, got ${JSON.stringify(acquired)}`);
  return acquired.item;
}

describe('isolate pool', () => {
  test('starts warm with `size` items and reuses a released one', async () => {
    const { pool, created } = itemPool();
    const a = await take(pool);
    pool.release(a);
    const b = await take(pool);
    const c = await take(pool);
    assert.equal(created.length, 2, 'no item beyond the warm ones');
    assert.deepEqual(new Set([b.id, c.id]), new Set([1, 2]));
    pool.close();
  });

  test('queues up to maxQueue, then answers busy; a release wakes the waiter', async () => {
    const { pool } = itemPool();
    const a = await take(pool);
    await take(pool);
    const queued = pool.acquire();
    assert.deepEqual(await pool.acquire(), { ok: false, reason: 'busy' });
    assert.equal(pool.stats().waiting, 1);
    pool.release(a);
    const woken = await queued;
    assert.ok(woken.ok);
    assert.equal(woken.item.id, a.id);
    pool.close();
  });

  test('an unusable item is destroyed on release and replaced', async () => {
    const { pool, created } = itemPool({ size: 1 });
    const a = await take(pool);
    a.broken = true;
    pool.release(a);
    assert.equal(a.destroyed, true);
    const b = await take(pool);
    assert.notEqual(b.id, a.id);
    assert.equal(created.length, 2);
    pool.close();
  });

  test('a waiter whose signal aborts leaves the queue', async () => {
    const { pool } = itemPool({ size: 1 });
    const a = await take(pool);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort();
    assert.deepEqual(await waiting, { ok: false, reason: 'cancelled' });
    assert.equal(pool.stats().waiting, 0);
    pool.release(a);
    assert.equal((await take(pool)).id, a.id, 'the slot is free again');
    pool.close();
  });

  test('close destroys idle items, wakes waiters and refuses new callers', async () => {
    const { pool, created } = itemPool({ size: 1 });
    const a = await take(pool);
    const waiting = pool.acquire();
    pool.close();
    assert.deepEqual(await waiting, { ok: false, reason: 'closed' });
    assert.deepEqual(await pool.acquire(), { ok: false, reason: 'closed' });
    pool.release(a);
    assert.ok(created.every((i) => i.destroyed));
  });

  test('a failed background creation is reported and retried on acquire', async () => {
    let fail = true;
    const errors: unknown[] = [];
    let next = 0;
    const pool = createPool<Item>({
      size: 1,
      maxQueue: 0,
      create: async () => {
        if (fail) {
          fail = false;
          throw new Error('no isolate today');
        }
        return { id: ++next, broken: false, destroyed: false };
      },
      isUsable: () => true,
      destroy: () => {},
      onCreateError: (e) => errors.push(e),
    });
    const item = await pool.acquire();
    assert.ok(item.ok);
    assert.equal(errors.length, 1);
    pool.close();
  });
});
