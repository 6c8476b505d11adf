// A real toolshed for the benchmark to talk to: the `toolshed serve` bin in a child process, the SDK
// client over stdio, and every message recorded on the way.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fileURLToPath } from 'node:url';
import { recordingTransport, type RecordingTransport } from './wire-recorder.js';

const BIN = fileURLToPath(new URL('../../bin/toolshed.js', import.meta.url));
/** A catalog as large as Microsoft Graph's (11k operations) loads and indexes in ~5 s on 2 busy cores. */
export const SESSION_REQUEST_TIMEOUT_MS = 120_000;
/** How much of the child's stderr is kept for error messages. */
const STDERR_KEEP_CHARS = 4_000;

export interface BenchSession {
  client: Client;
  recorder: RecordingTransport;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** The child's last stderr lines (its logs), for error messages. */
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `toolshed serve ARGS` and connects to it. */
export async function openBenchSession(serveArgs: readonly string[]): Promise<BenchSession> {
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve', ...serveArgs],
    env: process.env as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  stdio.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_CHARS)));
  const recorder = recordingTransport(stdio);
  const client = new Client({ name: 'toolshed-bench', version: '1.0.0' });
  try {
    await client.connect(recorder, { timeout: SESSION_REQUEST_TIMEOUT_MS });
  } catch (e) {
    await client.close().catch(() => undefined);
    throw new Error(`toolshed serve ${serveArgs.join(' ')} did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return {
    client,
    recorder,
    call: async (name, args) => (await client.callTool({ name, arguments: args }, undefined, { timeout: SESSION_REQUEST_TIMEOUT_MS })) as CallToolResult,
    stderr: () => stderr,
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
