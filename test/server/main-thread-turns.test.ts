import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mainThreadTurn, SLICE_MS } from '../../src/main-thread-turns.js';

/** Holds the main thread for `ms`, as a ranking or a big JSON.parse would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('main-thread turns', () => {
  test('turns run in the order they were asked for', async () => {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 50 }, (_, i) => mainThreadTurn().then(() => order.push(i))));
    assert.deepEqual(order, Array.from({ length: 50 }, (_, i) => i));
  });

  test('a burst of heavy turns lets a timer in once a slice is spent', async () => {
    const events: string[] = [];
    // Each turn holds the thread for half a slice: whatever the machine's speed, three of them pass it.
    const turns = Array.from({ length: 12 }, (_, i) =>
      mainThreadTurn().then(() => {
        if (i === 0) setTimeout(() => events.push('timer'), 0); // due while the burst runs
        busy(SLICE_MS / 2);
        events.push(`turn ${i}`);
      }),
    );
    await Promise.all(turns);
    const timerAt = events.indexOf('timer');
    assert.ok(timerAt > 0 && timerAt < events.length - 1, `the timer ran between turns, not after all of them: ${events.join(', ')}`);
    assert.ok(timerAt <= 4, `the timer waited for at most one slice of turns: ${events.join(', ')}`);
  });

  test('socket I/O is read between slices of a long burst', async () => {
    const { createServer, connect } = await import('node:net');
    const server = createServer((socket) => socket.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const events: string[] = [];
      const reply = new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('data', () => (events.push('reply'), socket.destroy(), resolve()));
      });
      // 40 turns of half a slice each: about 20 slices, far longer than a loopback round trip on any machine.
      const turns = Array.from({ length: 40 }, (_, i) => mainThreadTurn().then(() => (busy(SLICE_MS / 2), events.push(`turn ${i}`))));
      await Promise.all([...turns, reply]);
      const replyAt = events.indexOf('reply');
      assert.ok(replyAt < events.length - 1, `the reply was read before the burst ended: ${events.slice(-3).join(', ')} (at ${replyAt} of ${events.length})`);
    } finally {
      server.close();
    }
  });
});
