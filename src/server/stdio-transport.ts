// MCP over stdio, one JSON-RPC message per line, implementing the SDK's Transport interface. Our own
// rather than the SDK's StdioServerTransport because that one closes the whole transport (and so ends
// the server, silently, exit 0) when a line passes its buffer cap, answers nothing to a malformed line
// (the client waits for its own timeout), and re-concatenates its buffer on every chunk (quadratic on a
// large line). Here a line over `maxLineBytes` is skipped without being buffered, a bad line gets a
// JSON-RPC error when its id can be found and a log line otherwise, and serving goes on.
import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log.js';

import { MAX_LINE_BYTES_DEFAULT } from './stdio-defaults.js';

export { MAX_LINE_BYTES_DEFAULT } from './stdio-defaults.js';
/** How much of an oversized line's start and end is kept to find its id. */
const EDGE_BYTES = 1024;

export interface LineTransportOptions {
  log: Logger;
  maxLineBytes?: number;
  stdin?: Readable;
  stdout?: Writable;
}

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly log: Logger;
  private readonly maxLineBytes: number;
  private readonly stdin: Readable;
  private readonly stdout: Writable;
  /** The current line's parts while it fits; its first and last EDGE_BYTES once it does not. */
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer | undefined;
  private tail = Buffer.alloc(0);

  constructor(options: LineTransportOptions) {
    this.log = options.log;
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES_DEFAULT;
    this.stdin = options.stdin ?? process.stdin;
    this.stdout = options.stdout ?? process.stdout;
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStreamError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.stdout.write(`${JSON.stringify(message)}\n`)) return;
    await new Promise<void>((resolve) => this.stdout.once('drain', resolve));
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStreamError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.parts = [];
    this.onclose?.();
  }

  private readonly onStreamError = (error: Error) => this.onerror?.(error);

  private readonly onData = (chunk: Buffer | string) => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < data.length) {
      const newline = data.indexOf(0x0a, start);
      this.append(data.subarray(start, newline === -1 ? data.length : newline));
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  };

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.size += part.length;
    if (!this.head && this.size <= this.maxLineBytes) {
      this.parts.push(part);
      return;
    }
    if (!this.head) {
      // Over the cap: keep only the edges (to find an id) and count the rest.
      const sofar = Buffer.concat(this.parts);
      this.head = sofar.subarray(0, EDGE_BYTES);
      this.tail = sofar.subarray(-EDGE_BYTES);
      this.parts = [];
    }
    this.tail = Buffer.concat([this.tail, part]).subarray(-EDGE_BYTES);
  }

  private endLine(): void {
    const { head, tail, size } = this;
    const line = head ? undefined : Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.size = 0;
    this.head = undefined;
    this.tail = Buffer.alloc(0);
    if (line === undefined) {
      const limit = `a line must not exceed ${this.maxLineBytes} bytes (--max-line-bytes)`;
      return this.refuse(idAtEdges(head!.toString('utf8'), tail.toString('utf8')), -32600, `Invalid Request: ${limit}; this one had ${size}`);
    }
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return this.refuse(idAtEdges(line.slice(0, EDGE_BYTES), line.slice(-EDGE_BYTES)), -32700, 'Parse error: the line is not valid JSON');
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (message.success) return void this.onmessage?.(message.data);
    const id = isObject(parsed) && isRequestId(parsed.id) ? parsed.id : undefined;
    this.refuse(id, -32600, 'Invalid Request: not a JSON-RPC 2.0 request, notification or response');
  }

  /** A JSON-RPC error for the sender when the line's id is known; otherwise only the log hears of it. */
  private refuse(id: RequestId | undefined, code: number, message: string): void {
    if (id === undefined) {
      this.log.warn({ code, error: message }, 'stdio: line dropped (no id to answer)');
      return;
    }
    this.log.warn({ code, error: message, id: String(id) }, 'stdio: line refused');
    void this.send({ jsonrpc: '2.0', id, error: { code, message } }).catch((e: unknown) => this.onerror?.(e as Error));
  }
}

/**
 * The id of a line that cannot be parsed whole: as the first member of the top-level object (after an
 * optional "jsonrpc"), or as the last (the SDK's own clients write it last). Best effort by design: an
 * "id" nested in the params is never taken for it.
 */
export function idAtEdges(head: string, tail: string): RequestId | undefined {
  const value = String.raw`("(?:[^"\\]|\\.){0,256}"|-?\d{1,16})`;
  const first = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${value}\s*[,}]`).exec(head);
  const last = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${value}\s*\}\s*$`).exec(tail);
  const raw = first?.[1] ?? last?.[1];
  if (raw === undefined) return undefined;
  try {
    const id: unknown = JSON.parse(raw);
    return isRequestId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
