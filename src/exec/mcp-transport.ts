// An upstream's config → an SDK client transport: stdio (a child process) or Streamable HTTP.
// `${VAR}` and `${VAR:-default}` in command, args, env, cwd, url and headers are read from toolshed's
// environment at connect time, as Claude Code and VS Code do, so a pasted config need not hold secrets.
import type { ChildProcess } from 'node:child_process';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../config-types.js';

/** The last bytes of an upstream's stderr kept for error reports (why it exited). */
export const STDERR_TAIL_CHARS = 2_000;

export interface UpstreamTransport {
  transport: Transport;
  /** What the process last wrote on stderr (stdio only): the reason it would not start, usually. */
  stderrTail(): string;
  /** `command args` or the URL, for messages (never env or header values). */
  label: string;
  /**
   * Ends the process now (stdio). The SDK client closes itself in the background when initialize
   * fails, so awaiting its close() proves nothing; a failed or abandoned upstream is killed with this.
   */
  kill(): void;
}

/**
 * Upstream processes still running. However toolshed ends — a shutdown that overran its deadline and
 * exits from its watchdog, a fatal error — none outlives it: a wedged server that ignores stdin closing
 * and SIGTERM would otherwise be orphaned, still running.
 */
const liveUpstreams = new Set<() => void>();
let killOnExit = false;
function killUpstreamsOnExit(): void {
  if (killOnExit) return;
  killOnExit = true;
  process.once('exit', () => {
    for (const kill of [...liveUpstreams]) kill();
  });
}

export function createUpstreamTransport(server: McpServerConfig, env: NodeJS.ProcessEnv = process.env, onStderr?: (line: string) => void): UpstreamTransport {
  const expand = (text: string) => expandEnv(text, env);
  if ('url' in server) {
    const url = new URL(expand(server.url));
    const headers = Object.fromEntries(Object.entries(server.headers ?? {}).map(([k, v]) => [k, expand(v)]));
    return { transport: new StreamableHTTPClientTransport(url, { requestInit: { headers } }), stderrTail: () => '', label: url.origin + url.pathname, kill: () => undefined };
  }
  const command = expand(server.command);
  const args = (server.args ?? []).map(expand);
  killUpstreamsOnExit();
  const transport = new StdioClientTransport({
    command,
    args,
    ...(server.env ? { env: Object.fromEntries(Object.entries(server.env).map(([k, v]) => [k, expand(v)])) } : {}),
    ...(server.cwd ? { cwd: expand(server.cwd) } : {}),
    // Piped, not inherited: upstream chatter is logged as ours at debug level and kept for error reports.
    stderr: 'pipe',
  });
  let pid: number | undefined;
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    pid = transport.pid ?? undefined;
    if (pid === undefined) return;
    liveUpstreams.add(kill);
    // The SDK keeps the child private; when it is there, its exit clears the pid (never kill a reused one).
    (transport as unknown as { _process?: ChildProcess })._process?.once('exit', () => {
      pid = undefined;
      liveUpstreams.delete(kill);
    });
  };
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-STDERR_TAIL_CHARS);
    for (const line of text.split('\n')) if (line.trim()) onStderr?.(line.trimEnd());
  });
  const kill = () => {
    try {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    pid = undefined;
    liveUpstreams.delete(kill);
  };
  return { transport, stderrTail: () => tail.trim(), label: [command, ...args].join(' '), kill };
}

/** `${VAR}` → env value; `${VAR:-fallback}` when unset or empty. An unset variable without fallback is an error. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`environment variable ${name} is not set`);
  });
}
