// The HTTP listener, as several sockets on one port. libuv accepts one connection per event-loop
// iteration (libuv#3696), and a busy server's iteration lasts milliseconds: a burst of 200 new
// connections (a slow-initialize flood) then kept every connection behind it — a client's, a health
// probe's — waiting 200 iterations, 1-3 s measured. With SO_REUSEPORT the kernel spreads new connections
// over `count` listening sockets and each accepts one per iteration (64: p99 of a health probe during
// floods 2,000 -> 90 ms; 16: 170 ms). Where the platform has no SO_REUSEPORT (not Linux), one socket
// listens, as before. A port someone else holds is still an error: SO_REUSEPORT would otherwise let a
// second toolshed of the same user share the port silently, each answering half the clients.
import http, { type RequestListener } from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** Listening sockets on the port: accepts per event-loop iteration under a connection burst. */
export const ACCEPT_SOCKETS = 64;

export async function listenOnSockets(handler: RequestListener, port: number, host: string, count = ACCEPT_SOCKETS): Promise<http.Server[]> {
  const first = http.createServer(handler);
  const shared = process.platform === 'linux' && count > 1;
  if (shared && port !== 0) await assertPortFree(port, host);
  await listen(first, port, host, shared);
  if (!shared) return [first];
  const bound = (first.address() as AddressInfo).port; // port 0 means "any": the others join the one it got
  const rest = Array.from({ length: count - 1 }, () => http.createServer(handler));
  await Promise.all(rest.map((server) => listen(server, bound, host, true)));
  return [first, ...rest];
}

function listen(server: net.Server, port: number, host: string, reusePort: boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ...(reusePort ? { reusePort } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** EADDRINUSE (as a plain listen would report it) when anything already listens on the port. */
async function assertPortFree(port: number, host: string): Promise<void> {
  const probe = net.createServer();
  await listen(probe, port, host, false);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
