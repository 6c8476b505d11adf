// A small real HTTP API with an OpenAPI spec and a toolshed config pointing at it, for tests that need
// execute_tool to reach something. GET /slow is held open until the test releases it, so a test can have
// a call in flight for as long as it needs, without sleeping.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ITEMS_KEY = 'sk-items-secret-456';

export interface ItemsApi {
  base: string;
  /** toolshed.config.json with the `items` catalog and its key read from ITEMS_KEY. */
  configPath: string;
  /** Every request, `at` when it arrived (ms since the epoch). */
  requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string; at: number }>;
  /** Resolves when the next GET /slow has arrived; `release()` answers every held /slow request. */
  slowArrived(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

/** GET /items answers this many items: a response far over any sensible limit, to exercise the cut. */
export const ITEMS_LISTED = 5000;

/** `slowMs`: GET /slow answers after that long instead of being held (benchmarks: long calls without a test driving them). */
export async function startItemsApi(options: { maxResponseTokens?: number; slowMs?: number } = {}): Promise<ItemsApi> {
  const requests: ItemsApi['requests'] = [];
  const held: http.ServerResponse[] = [];
  let onSlow: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, at: Date.now() });
      const item = /^\/items\/(\d+)$/.exec(req.url ?? '');
      if (req.url === '/slow' && options.slowMs !== undefined) {
        setTimeout(() => json(res, 200, { report: 'done' }), options.slowMs);
        return;
      }
      if (req.url === '/slow') {
        held.push(res);
        onSlow?.();
        return;
      }
      if (req.url === '/items' && req.method === 'GET') return json(res, 200, Array.from({ length: ITEMS_LISTED }, (_, i) => ({ id: i, label: `item ${i} `.repeat(4) })));
      if (req.url === '/items' && req.method === 'POST') return json(res, 201, { id: 1, ...JSON.parse(body) });
      if (req.url === '/moved') return res.writeHead(302, { location: 'http://example.com/elsewhere' }).end();
      if (item) return item[1] === '404' ? json(res, 404, { message: 'Item 404 not found' }) : json(res, 200, { id: Number(item[1]), label: `item ${item[1]}` });
      json(res, 404, { message: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Items API', version: '1' },
    servers: [{ url: base }],
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ key: [] }],
    paths: {
      '/items': {
        get: { operationId: 'listItems', summary: 'List all items', responses: { 200: { description: 'ok' } } },
        post: { operationId: 'createItem', summary: 'Create an item', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] } } } } } }, responses: { 201: { description: 'created' } } },
      },
      '/moved': { get: { operationId: 'getMoved', summary: 'A redirect elsewhere', responses: { 200: { description: 'ok' } } } },
      '/items/{itemId}': { get: { operationId: 'getItem', summary: 'Fetch one item by its id', parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } },
      '/slow': { get: { operationId: 'getSlow', summary: 'A slow report that takes a while', responses: { 200: { description: 'ok' } } } },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-http-'));
  writeFileSync(join(dir, 'items.json'), JSON.stringify(spec));
  const configPath = join(dir, 'toolshed.config.json');
  const limits = options.maxResponseTokens ? { limits: { maxResponseTokens: options.maxResponseTokens } } : {};
  writeFileSync(configPath, JSON.stringify({ catalogs: { items: { openapi: 'items.json', credentials: { key: { env: 'ITEMS_KEY' } } } }, ...limits }));
  const release = () => {
    for (const res of held.splice(0)) json(res, 200, { report: 'done' });
  };
  return {
    base,
    configPath,
    requests,
    slowArrived: () => new Promise<void>((resolve) => (onSlow = resolve)),
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
