// Real upstream MCP servers for tests: the reference servers installed as dev dependencies, our paged
// fixture server, a log sink to read what toolshed logged, and process-tree helpers to kill an upstream.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { McpServerConfig } from '../../src/config-types.js';
import type { Logger } from '../../src/log.js';

const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
export const PAGED_SERVER = fileURLToPath(new URL('../fixtures/mcp/paged-server.mjs', import.meta.url));

export const everythingServer = (): McpServerConfig => ({ command: process.execPath, args: [bin('mcp-server-everything')] });
export const filesystemServer = (dir: string): McpServerConfig => ({ command: process.execPath, args: [bin('mcp-server-filesystem'), dir] });
export const memoryServer = (file: string): McpServerConfig => ({ command: process.execPath, args: [bin('mcp-server-memory')], env: { MEMORY_FILE_PATH: file } });
export const pagedServer = (extraTools = 0): McpServerConfig => ({ command: process.execPath, args: [PAGED_SERVER], env: { PAGED_SERVER_TOOLS: String(extraTools) } });

/** A debug-level logger whose JSON lines are kept for assertions. */
export function captureLog(): { log: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void raw.push(line) });
  return { log, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>), text: () => raw.join('') };
}

/** Polls `check` every 20 ms until it is truthy; throws after `ms` (a bound, not a timing assertion). */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The everything server in Streamable HTTP mode (on a free port unless given); resolves once it listens. */
export async function startEverythingHttp(port?: number): Promise<{ url: string; port: number; child: ChildProcess; stop: () => Promise<void> }> {
  port ??= await freePort();
  const child = spawn(process.execPath, [bin('mcp-server-everything'), 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`listening on port ${port}`)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`everything (HTTP) exited with ${code}: ${stderr}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  return { url: `http://127.0.0.1:${port}/mcp`, port, child, stop };
}

/** Descendant processes of `pid` whose command line matches `pattern` (Linux `ps`). */
export function descendants(pid: number, pattern: RegExp): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const row of rows.filter((r) => r.ppid === parent)) {
      if (pattern.test(row.args)) found.push(row.pid);
      walk(row.pid);
    }
  };
  walk(pid);
  return found;
}
