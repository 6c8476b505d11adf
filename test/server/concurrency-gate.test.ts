// The gate in isolation: the cap, the FIFO queue, the busy answer beyond it, cancellation while waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGate, gateToolCall } from '../../src/server/concurrency-gate.js';

/** A task the test finishes by hand, so ordering is decided by the test, not by timers. */
function manual<T>(value: T) {
  let finish!: () => void;
  const started = { yes: false };
  const done = new Promise<void>((r) => (finish = r));
  return { started, finish, fn: async () => ((started.yes = true), await done, value) };
}

test('runs up to maxConcurrent at once, queues up to maxQueue in order, turns away the rest', async () => {
  const gate = createGate({ maxConcurrent: 2, maxQueue: 1, retryAfterMs: 500 });
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(manual);
  const ra = gate.run(a!.fn);
  const rb = gate.run(b!.fn);
  const rc = gate.run(c!.fn);
  assert.deepEqual(await gate.run(d!.fn), { status: 'busy', retryAfterMs: 500 });
  await Promise.resolve();
  assert.deepEqual([a!.started.yes, b!.started.yes, c!.started.yes, d!.started.yes], [true, true, false, false]);
  assert.deepEqual([gate.active, gate.queued], [2, 1]);
  a!.finish();
  assert.deepEqual(await ra, { status: 'done', value: 'a' });
  await new Promise((r) => setImmediate(r));
  assert.equal(c!.started.yes, true, 'the queued task takes the freed slot');
  assert.deepEqual([gate.active, gate.queued], [2, 0]);
  b!.finish();
  c!.finish();
  assert.deepEqual([await rb, await rc], [{ status: 'done', value: 'b' }, { status: 'done', value: 'c' }]);
  assert.deepEqual([gate.active, gate.queued], [0, 0]);
});

test('a failing task frees its slot and its error reaches the caller', async () => {
  const gate = createGate({ maxConcurrent: 1, maxQueue: 0 });
  await assert.rejects(gate.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(gate.active, 0);
  assert.deepEqual(await gate.run(() => 1), { status: 'done', value: 1 });
});

test('a waiter whose signal aborts leaves the queue and is reported cancelled', async () => {
  const gate = createGate({ maxConcurrent: 1, maxQueue: 1 });
  const running = manual('x');
  const first = gate.run(running.fn);
  const controller = new AbortController();
  const waiting = gate.run(() => 'never', controller.signal);
  assert.equal(gate.queued, 1);
  controller.abort();
  assert.deepEqual(await waiting, { status: 'cancelled' });
  assert.equal(gate.queued, 0);
  running.finish();
  await first;
  assert.equal(gate.active, 0);
});

test('gateToolCall turns busy into an isError result with code busy and a retry hint', async () => {
  const gate = createGate({ maxConcurrent: 1, maxQueue: 0, retryAfterMs: 1000 });
  const held = manual({ content: [{ type: 'text' as const, text: 'ok' }] });
  const first = gateToolCall(gate, held.fn);
  const busy = await gateToolCall(gate, () => ({ content: [] }));
  assert.equal(busy.isError, true);
  assert.match((busy.content[0] as { text: string }).text, /^Error \(busy\): .*\nNext: Retry after 1000 ms/);
  held.finish();
  assert.equal(((await first).content[0] as { text: string }).text, 'ok');
});

test('bad limits are a configuration error', () => {
  assert.throws(() => createGate({ maxConcurrent: 0 }), RangeError);
  assert.throws(() => createGate({ maxQueue: -1 }), RangeError);
});
