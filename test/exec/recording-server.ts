// A real HTTP server on 127.0.0.1 that records every request and answers through per-path handlers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpBinding, HttpParameter, JsonSchema, ToolEntry } from '../../src/catalog/tool-entry.js';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse) => void;

export interface RecordingServer {
  origin: string;
  requests: Recorded[];
  handle(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  const handlers = new Map<string, Handler>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const path = recorded.url.split('?')[0]!;
      const handler = handlers.get(path) ?? [...handlers.entries()].find(([p]) => p.endsWith('*') && path.startsWith(p.slice(0, -1)))?.[1];
      if (handler) return handler(recorded, res);
      json(res, 200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle: (path, handler) => handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(value));
}

/** A parameter with the defaults the loader would give it. */
export function param(name: string, where: HttpParameter['in'], schema: JsonSchema, extra: Partial<HttpParameter> = {}): HttpParameter {
  const style = { path: 'simple', query: 'form', header: 'simple', cookie: 'form' }[where];
  return { property: name, name, in: where, required: where === 'path', style, explode: style === 'form', schema, ...extra };
}

/** A hand-built HTTP tool whose input schema is derived from its parameters (and body schema). */
export function httpTool(
  id: string,
  binding: Omit<HttpBinding, 'kind' | 'security'> & { security?: HttpBinding['security'] },
  options: { bodySchema?: JsonSchema; strictRoot?: boolean; defs?: Record<string, JsonSchema> } = {},
): ToolEntry {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of binding.parameters) {
    properties[p.property] = p.schema;
    if (p.required) required.push(p.property);
  }
  if (binding.body) {
    properties[binding.body.property] = options.bodySchema ?? {};
    if (binding.body.required) required.push(binding.body.property);
  }
  const [namespace, name] = id.split('.') as [string, string];
  return {
    namespace,
    name,
    id,
    summary: name,
    description: '',
    tags: [],
    input: {
      root: { type: 'object', properties, ...(required.length ? { required } : {}), ...(options.strictRoot ? { additionalProperties: false } : {}) },
      defs: options.defs ?? {},
    },
    annotations: {},
    binding: { kind: 'http', security: [], ...binding },
  };
}
