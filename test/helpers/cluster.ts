// scripts/cluster.sh as tests and bench/cluster.ts run it: Redis, N replicas and nginx on free loopback
// ports, a state directory of their own; replicas found by their pid files; the whole process group
// ended with the test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './upstream-servers.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/cluster.sh', import.meta.url));
const NGINX_JS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';
/** Start-up of N replicas (catalogs loaded, /readyz 200) on a loaded 2-core machine: a bound, not a timing. */
const START_MS = 120_000;
/** The script's own stop: nginx finishes, replicas drain (--shutdown-timeout-ms), Redis stops. */
const STOP_MS = 60_000;

/** Why the cluster cannot run here (a missing Debian package), or undefined when it can. */
export function clusterUnavailable(): string | undefined {
  const missing = ['nginx', 'redis-server'].filter((bin) => spawnSync(bin, ['-v']).error);
  if (!existsSync(NGINX_JS_MODULE)) missing.push('libnginx-mod-http-js');
  return missing.length ? `needs Debian's ${missing.join(', ')} (apt-get install -y redis-server nginx libnginx-mod-http-js; .ci/run does)` : undefined;
}

export interface Cluster {
  /** http://127.0.0.1:PORT/mcp, nginx's. */
  url: string;
  dir: string;
  /** The script's stderr so far. */
  log(): string;
  replicaPid(replica: number): number;
  /** A replica's own MCP URL, past nginx (from its log). */
  replicaUrl(replica: number): string;
  /** Resolves once the script has logged `pattern` after `from` characters of its log. */
  waitForLog(pattern: RegExp, from?: number, ms?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export async function startCluster(options: { replicas?: number; serveArgs: string[]; env?: Record<string, string> }): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-cluster-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  const child = spawn('bash', [SCRIPT, ...options.serveArgs], {
    env: {
      ...process.env,
      ...options.env,
      // The replicas run on this Node (24), whatever `node` the PATH had.
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      TOOLSHED_CLUSTER_DIR: dir,
      TOOLSHED_CLUSTER_PORT: String(port),
      TOOLSHED_REDIS_PORT: String(redisPort),
      TOOLSHED_REPLICAS: String(options.replicas ?? 3),
      TOOLSHED_CLUSTER_PARENT_PID: String(process.pid), // if this process dies, the cluster stops too
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group: ended as one, whatever the script managed to do
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const waitForLog = async (pattern: RegExp, from = 0, ms = START_MS): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(stderr.slice(from));
      if (match) return match;
      if (exited || Date.now() > deadline) throw new Error(`cluster.sh: no ${pattern} (${exited ? 'it exited' : 'timed out'}):\n${stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    const killer = setTimeout(() => killGroup(child.pid!), STOP_MS);
    await exit;
    clearTimeout(killer);
    killGroup(child.pid!); // anything the script left behind
  };

  try {
    const [, url] = await waitForLog(/ready: (http:\/\/\S+\/mcp)/);
    const replicaUrl = (i: number) => {
      const found = /over Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(readFileSync(join(dir, `replica-${i}.log`), 'utf8'));
      if (!found) throw new Error(`replica ${i} has not printed its URL (${dir})`);
      return found[1]!;
    };
    return { url: url!, dir, log: () => stderr, replicaPid: (i) => Number(readFileSync(join(dir, `replica-${i}.pid`), 'utf8')), replicaUrl, waitForLog, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
