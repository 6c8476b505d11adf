import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { listenOnSockets } from '../../src/server/listeners.js';

const ok: http.RequestListener = (_req, res) => void res.end('ok');
const closeAll = (servers: net.Server[]) => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));

/** How many of `count` connections, all waiting in the kernel, are accepted in one event-loop iteration. */
async function acceptedInOneIteration(servers: http.Server[], count: number): Promise<number> {
  const { port } = servers[0]!.address() as AddressInfo;
  let accepted = 0;
  for (const server of servers) server.on('connection', () => accepted++);
  const clients = Array.from({ length: count }, () => net.connect(port, '127.0.0.1').on('error', () => undefined));
  // Hold the thread while the handshakes complete: every connection is then queued before the next poll.
  const until = performance.now() + 200;
  while (performance.now() < until);
  // From one check phase to the next there is exactly one poll phase: count what it accepted.
  const seen = await new Promise<number>((resolve) => setImmediate(() => {
    const before = accepted;
    setImmediate(() => resolve(accepted - before));
  }));
  for (const c of clients) c.destroy();
  return seen;
}

describe('HTTP listening sockets', () => {
  test('the port answers through every socket', async () => {
    const servers = await listenOnSockets(ok, 0, '127.0.0.1', 4);
    try {
      const { port } = servers[0]!.address() as AddressInfo;
      const bodies = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
      assert.deepEqual(new Set(bodies), new Set(['ok']));
      assert.equal(servers.length, process.platform === 'linux' ? 4 : 1);
    } finally {
      await closeAll(servers);
    }
  });

  test('a port another process already listens on is refused (no silent sharing)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = holder.address() as AddressInfo;
      await assert.rejects(listenOnSockets(ok, port, '127.0.0.1', 4), /EADDRINUSE/);
    } finally {
      await closeAll([holder]);
    }
  });

  test('a burst of connections is accepted several per event-loop iteration, not one', { skip: process.platform !== 'linux' && 'SO_REUSEPORT spreading is Linux-only' }, async () => {
    const one = await listenOnSockets(ok, 0, '127.0.0.1', 1);
    const single = await acceptedInOneIteration(one, 32).finally(() => closeAll(one));
    const many = await listenOnSockets(ok, 0, '127.0.0.1', 16);
    const spread = await acceptedInOneIteration(many, 32).finally(() => closeAll(many));
    assert.equal(single, 1, 'libuv accepts one connection per iteration on a socket');
    assert.ok(spread >= 4, `16 sockets accepted ${spread} of 32 queued connections in one iteration`);
  });
});
