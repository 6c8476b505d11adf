// Load over loopback Streamable HTTP: 10,000 search_tools calls at concurrency 64 against the real
// `toolshed serve --http` (embedded GitHub + petstore catalogs), then the same load against a minimal SDK
// server with one echo tool, both spawned here. Prints requests/s, p50/p99 latency, errors and each
// server's peak RSS, and toolshed's ratio to the baseline. A plain script, not a test:
//   npm run build && node --import tsx bench/http-load.ts [--calls N] [--concurrency N] [--stateless]
// (--stateless runs toolshed with --stateless: a fresh MCP server per request; the baseline stays stateful)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const { values } = parseArgs({ options: { calls: { type: 'string' }, concurrency: { type: 'string' }, stateless: { type: 'boolean' } } });
const CALLS = Number(values.calls ?? 10_000);
const CONCURRENCY = Number(values.concurrency ?? 64);
const WARMUP_CALLS = 500;
const BIN = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUERIES = (JSON.parse(readFileSync(new URL('../test/fixtures/github-queries.json', import.meta.url), 'utf8')) as Array<{ query: string }>).map((q) => q.query);

// The baseline: the SDK's own high-level server, one echo tool, one transport per session, as in the
// SDK's Streamable HTTP example. Plain JS run by plain node, so its RSS carries no loader of ours.
const ECHO_SERVER = `
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
const transports = new Map();
const httpServer = http.createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  let transport = id && transports.get(id);
  if (!transport) {
    const server = new McpServer({ name: 'echo', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echo the text', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => transports.set(sid, transport) });
    transport.onclose = () => transports.delete(transport.sessionId);
    await server.connect(transport);
  }
  await transport.handleRequest(req, res);
});
httpServer.listen(0, '127.0.0.1', () => process.stderr.write('echo at http://127.0.0.1:' + httpServer.address().port + '/mcp\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

interface Figures {
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  peakRssMb: number | undefined;
}

async function main(): Promise<void> {
  console.log(`${CALLS} calls at concurrency ${CONCURRENCY} over loopback${values.stateless ? ', toolshed --stateless' : ''} (after ${WARMUP_CALLS} warm-up calls), Node ${process.version}\n`);
  const toolshed = await start([BIN, 'serve', '--http', '--port', '0', ...(values.stateless ? ['--stateless'] : [])], /at (http:\S+\/mcp)/, /"msg":"ready"/);
  const ours = await load(toolshed.url, callTool((i) => ({ name: 'search_tools', arguments: { query: QUERIES[i % QUERIES.length]!, limit: 5 } })), toolshed.child);
  print('toolshed search_tools', ours);
  // The same server answering tools/list, which does no work: what the HTTP and session layers cost alone.
  const floor = await load(toolshed.url, async (client) => (await client.listTools()).tools.length > 0, toolshed.child);
  await stop(toolshed.child);
  print('toolshed tools/list  ', floor);

  const echo = await start(['--input-type=module', '-e', ECHO_SERVER], /echo at (http:\S+\/mcp)/);
  const base = await load(echo.url, callTool((i) => ({ name: 'echo', arguments: { text: QUERIES[i % QUERIES.length]! } })), echo.child);
  await stop(echo.child);
  print('SDK echo server      ', base);
  console.log('');

  console.log(`toolshed tools/list / echo: throughput ${(floor.rps / base.rps).toFixed(2)}x, p50 ${(floor.p50 / base.p50).toFixed(2)}x`);
  console.log(
    `toolshed / echo: throughput ${(ours.rps / base.rps).toFixed(2)}x, p50 ${(ours.p50 / base.p50).toFixed(2)}x, p99 ${(ours.p99 / base.p99).toFixed(2)}x` +
      (ours.peakRssMb && base.peakRssMb ? `, peak RSS ${(ours.peakRssMb / base.peakRssMb).toFixed(2)}x` : ''),
  );
  if (ours.errors + floor.errors + base.errors > 0) process.exitCode = 1;
}

/** One operation of the load: true when it succeeded. */
type Operation = (client: Client, i: number) => Promise<boolean>;

function callTool(request: (i: number) => { name: string; arguments: Record<string, unknown> }): Operation {
  return async (client, i) => !(await client.callTool(request(i))).isError;
}

async function load(url: string, operation: Operation, server: ChildProcess): Promise<Figures> {
  // One client (one session) per concurrent caller, each calling in turn: CONCURRENCY calls in flight.
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    }),
  );
  const run = async (total: number, latencies: number[]): Promise<number> => {
    let next = 0;
    let errors = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < total) {
          const i = next++;
          const started = performance.now();
          try {
            if (!(await operation(client, i))) errors++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - started);
        }
      }),
    );
    return errors;
  };
  await run(WARMUP_CALLS, []);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(CALLS, latencies);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = peakRss(server.pid!);
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
  return { seconds, rps: CALLS / seconds, p50: at(0.5), p99: at(0.99), errors, peakRssMb };
}

function print(label: string, f: Figures): void {
  console.log(`${label}: ${f.rps.toFixed(0)} req/s (${f.seconds.toFixed(1)} s), p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, errors ${f.errors}, peak RSS ${f.peakRssMb?.toFixed(0) ?? 'n/a'} MB`);
}

/** The kernel's high-water mark of the process's resident set (Linux), so no sampling is needed. */
function peakRss(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function start(args: string[], urlLine: RegExp, readyLine?: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 60_000);
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = urlLine.exec(stderr)?.[1];
      if (url && (!readyLine || readyLine.test(stderr))) {
        clearTimeout(timer);
        // From here on the server's request logs are drained unread: this process is the load generator.
        child.stderr!.off('data', onData).resume();
        resolve({ child, url });
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

await main();
