// A real HTTP proxy on 127.0.0.1 that records every request's exact bytes (method, target, headers, body)
// and forwards it to a target origin (Prism), relaying the answer: what toolshed put on the wire, and
// what a validating mock made of it.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireRecord {
  method: string;
  /** The request target as sent: path and query, bytes unchanged. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The status the target answered with. */
  status?: number;
  answer?: string;
}

export interface RecordingProxy {
  origin: string;
  records: WireRecord[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const records: WireRecord[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: WireRecord = { method: req.method ?? '', target: req.url ?? '', headers: { ...req.headers }, body: Buffer.concat(chunks) };
      records.push(record);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: record.method, path: record.target, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          record.status = answer.statusCode;
          record.answer = Buffer.concat(body).toString('utf8');
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
        });
      });
      forward.on('error', (e) => res.writeHead(502).end(String(e)));
      forward.end(record.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
