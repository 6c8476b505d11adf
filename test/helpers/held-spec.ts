// An OpenAPI document served over HTTP that is held back until the test releases it: a catalog that is
// "still loading" for exactly as long as a test needs, whatever the machine's speed.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldSpec {
  url: string;
  release(): void;
  close(): Promise<void>;
}

export async function serveHeldSpec(file = 'catalogs/petstore.json'): Promise<HeldSpec> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const server = createServer((_req, res) => {
    void held.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${file.split('/').pop()}`,
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
