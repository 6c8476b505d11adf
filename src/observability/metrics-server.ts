// `--metrics-port N`: /metrics on a listener of its own, bound to loopback and without credentials, for
// a Prometheus (or an agent sidecar) on the same host while /mcp stays behind its token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_PATH, type Metrics } from './metrics.js';

export async function serveMetrics(metrics: Metrics, port: number, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? '/').split('?', 1)[0] !== METRICS_PATH) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: metrics are at ${METRICS_PATH}\n`);
    metrics.scrape().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(e as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}${METRICS_PATH}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
