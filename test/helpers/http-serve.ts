// Spawns the real `toolshed serve --http --port 0`, reads the bound URL from stderr, and connects the
// official SDK client over Streamable HTTP. Raw requests go through node:http so any header (Host,
// Origin, a bad token) can be sent as is.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BIN } from './mcp-client.js';

/** Bound on waiting for the server's own output (start-up, a log line): generous for a loaded 2-core box. */
const WAIT_MS = 30_000;

export interface ServeProcess {
  url: string;
  base: string;
  child: ChildProcess;
  stderr(): string;
  /** Waits (bounded) until stderr matches. */
  waitForLog(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** SIGTERM (or `signal`), then the exit code; SIGKILL if it does not exit within the bound. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnHttpServe(args: string[], options: { env?: Record<string, string>; waitReady?: boolean } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0', ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedAlready = false;
  void exited.then(() => (exitedAlready = true));

  const waitForLog = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const match = pattern.exec(stderr);
      if (match) return match;
      if (exitedAlready || Date.now() > deadline) throw new Error(`no ${pattern} on stderr (${exitedAlready ? 'process exited' : 'timed out'}):\n${stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!exitedAlready) child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };

  try {
    const [, url] = await waitForLog(/over Streamable HTTP at (http:\/\/\S+\/mcp)/);
    const serving: ServeProcess = { url: url!, base: url!.replace(/\/mcp$/, ''), child, stderr: () => stderr, waitForLog, exited, stop };
    if (options.waitReady !== false) await waitForLog(/"msg":"ready"/);
    return serving;
  } catch (e) {
    await stop('SIGKILL');
    throw e;
  }
}

export async function connectHttp(url: string, options: { token?: string } = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), options.token ? { requestInit: { headers: { authorization: `Bearer ${options.token}` } } } : {});
  const client = new Client({ name: 'toolshed-http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): { jsonrpc?: string; error?: { code: number; message: string }; [key: string]: unknown };
}

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

/** One request with exactly these headers; `body` as a string is sent verbatim, chunked when `chunked`. */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'POST', headers: init.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    if (init.body !== undefined && !init.chunked) req.setHeader('content-length', Buffer.byteLength(init.body));
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** The JSON-RPC message in a response, whether sent as JSON or as one SSE `data:` event. */
export function messageOf(res: RawResponse): { result?: Record<string, unknown>; error?: { code: number; message: string } } {
  const data = /^data: (.+)$/m.exec(res.text);
  return JSON.parse(data ? data[1]! : res.text);
}
