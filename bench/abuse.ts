// Load and abuse (issue 19): while 64 well-behaved sessions search continuously against the real
// `toolshed serve --http` (embedded GitHub + petstore), it sends oversized arguments, slow initialize
// floods, malformed JSON and batches, huge stdio lines (to a stdio server), and finally a SIGTERM. It
// prints, for a calm phase (the baseline, same run) and the abuse phase: /healthz latency (p50, p99, max,
// probed from a worker thread), the server's longest event-loop stall (bench/event-loop-probe.mjs inside
// it), sessions open against the cap, and errors seen by the well-behaved sessions; then the shutdown.
//   npm run build && node --import tsx bench/abuse.ts [--sessions 64] [--calm-s 8] [--abuse-s 15] [--max-sessions 100]
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const { values } = parseArgs({ options: { sessions: { type: 'string' }, 'calm-s': { type: 'string' }, 'abuse-s': { type: 'string' }, 'max-sessions': { type: 'string' } } });
const SESSIONS = Number(values.sessions ?? 64);
const CALM_MS = Number(values['calm-s'] ?? 8) * 1000;
const ABUSE_MS = Number(values['abuse-s'] ?? 15) * 1000;
const CAP = Number(values['max-sessions'] ?? 100);
const SHUTDOWN_MS = 3000;
const BIN = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./event-loop-probe.mjs', import.meta.url));
const QUERIES = (JSON.parse(readFileSync(new URL('../test/fixtures/github-dev-queries.json', import.meta.url), 'utf8')) as Array<{ query: string }>).map((q) => q.query);
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'abuse', version: '1' } } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

type Phase = 'start-up' | 'calm' | 'abuse' | 'shutdown';
/** Start-up (loading catalogs, building the index, the first searches) is not measured. */
let phase: Phase = 'start-up';
const stalls: Record<Phase, number> = { 'start-up': 0, calm: 0, abuse: 0, shutdown: 0 };
const wellBehaved: Record<Phase, { calls: number; errors: number }> = { 'start-up': { calls: 0, errors: 0 }, calm: { calls: 0, errors: 0 }, abuse: { calls: 0, errors: 0 }, shutdown: { calls: 0, errors: 0 } };
const errorSamples: string[] = [];

/** Spawns a server with the event-loop probe; resolves once `ready` shows on stderr. */
function startServer(args: string[], ready: RegExp, onProbe: (maxMs: number) => void): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', PROBE, BIN, 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const probe = /^\{"probe":"event-loop","maxMs":([\d.]+)\}$/.exec(line);
      if (probe) onProbe(Number(probe[1]));
      else stderr += `${line}\n`;
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(stderr)) {
        clearInterval(timer);
        resolve({ child, stderr: () => stderr });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited:\n${stderr.slice(-2000)}`));
      }
    }, 50);
  });
}

/** /healthz probed every 20 ms from a worker thread, so the bench's own load does not skew it. */
function startHealthProbe(base: string): { worker: Worker; take: () => Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads'); const http = require('node:http');
     let samples = []; let stop = false;
     parentPort.on('message', (m) => { if (m === 'take') { parentPort.postMessage(samples); samples = []; } if (m === 'stop') stop = true; });
     (async () => { while (!stop) { const t = performance.now();
       const ok = await new Promise((r) => http.get(workerData + '/healthz', { agent: false }, (res) => { res.resume(); res.on('end', () => r(res.statusCode === 200)); }).on('error', () => r(false)));
       if (ok) samples.push(performance.now() - t); await new Promise((r) => setTimeout(r, 20)); } })();`,
    { eval: true, workerData: base },
  );
  return { worker, take: () => new Promise((resolve) => (worker.once('message', resolve), worker.postMessage('take'))) };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'abuse-bench', version: '1.0.0' });
  client.onerror = () => undefined;
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** One well-behaved session: search after search until `running()` turns false; errors counted per phase. */
async function behave(client: Client, offset: number, running: () => boolean): Promise<void> {
  for (let i = offset; running(); i++) {
    const at = phase;
    try {
      const result = (await client.callTool({ name: 'search_tools', arguments: { query: QUERIES[i % QUERIES.length]!, limit: 5 } })) as CallToolResult;
      wellBehaved[at].calls++;
      if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 200));
    } catch (e) {
      wellBehaved[at].errors++;
      if (at !== 'shutdown' && errorSamples.length < 5) errorSamples.push(`${at}: ${(e as Error).message.slice(0, 200)}${(e as Error).cause ? ` (${String((e as Error).cause).slice(0, 200)})` : ''}`);
      if (at === 'shutdown') return;
    }
  }
}

function post(url: string, body: string, headers: Record<string, string> = HEADERS): Promise<{ status: number; session?: string }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
      res.resume();
      const session = res.headers['mcp-session-id'];
      res.on('end', () => resolve({ status: res.statusCode!, ...(typeof session === 'string' ? { session } : {}) }));
    });
    req.on('error', () => resolve({ status: 0 }));
    req.end(body);
  });
}

/** `count` initialize requests whose bodies come only after the server has taken all their headers. */
async function slowInitializeFlood(url: string, count: number): Promise<Map<number, number>> {
  const body = JSON.stringify(INIT);
  const requests = Array.from({ length: count }, () => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { ...HEADERS, expect: '100-continue', 'content-length': String(body.length) } });
    const status = new Promise<{ status: number; session?: string }>((resolve) => {
      req.on('response', (res) => (res.resume(), res.on('end', () => resolve({ status: res.statusCode!, ...(res.headers['mcp-session-id'] ? { session: String(res.headers['mcp-session-id']) } : {}) }))));
      req.on('error', () => resolve({ status: 0 }));
    });
    const heard = new Promise<void>((resolve) => (req.on('continue', resolve), req.on('response', () => resolve()), req.once('error', () => resolve())));
    req.flushHeaders();
    return { req, status, heard };
  });
  await Promise.all(requests.map((r) => r.heard));
  await new Promise((r) => setTimeout(r, 500)); // the slow part: every slot-seeking request is waiting
  for (const r of requests) if (!r.req.writableEnded) r.req.end(body);
  const outcomes = await Promise.all(requests.map((r) => r.status));
  // The sessions that did open are ended, as a client would: the cap must hold, not starve the bench.
  await Promise.all(outcomes.flatMap((o) => (o.session ? [new Promise<void>((resolve) => http.request(url, { method: 'DELETE', agent: false, headers: { ...HEADERS, 'mcp-session-id': o.session!, 'mcp-protocol-version': '2025-06-18' } }, (res) => (res.resume(), res.on('end', resolve))).on('error', () => resolve()).end())] : [])));
  const counts = new Map<number, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return counts;
}

async function oversizedArguments(client: Client): Promise<{ sent: number; refused: number }> {
  const calls = [
    { name: 'search_tools', arguments: { query: 'create an issue '.repeat(65_536) } }, // 1 MB
    { name: 'describe_tools', arguments: { names: Array.from({ length: 20 }, (_, i) => `github.${'x'.repeat(190_000)}${i}`) } }, // 20 × 190 KB: just under the 4 MiB body cap
    { name: 'execute_tool', arguments: { name: `issues_create${'e'.repeat(100_000)}`, arguments: {} } },
  ];
  let refused = 0;
  for (const call of calls) {
    const result = (await client.callTool(call)) as CallToolResult;
    if (result.isError && JSON.stringify(result.content).includes('invalid_arguments')) refused++;
  }
  return { sent: calls.length, refused };
}

/** A stdio server fed a 12 MiB line, malformed lines, then a real request: does it answer and keep serving? */
async function stdioAbuse(): Promise<string> {
  let stall = 0;
  let ready = false; // start-up (loading the catalog) is not what is measured
  const { child } = await startServer(['--openapi', 'catalogs/petstore.json'], /"msg":"ready"/, (ms) => ready && (stall = Math.max(stall, ms)));
  ready = true;
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const write = (line: string) => child.stdin!.write(`${line}\n`);
  write(JSON.stringify(INIT));
  write(JSON.stringify({ method: 'tools/call', params: { name: 'search_tools', arguments: { query: 'q'.repeat(12 * 1024 * 1024) } }, jsonrpc: '2.0', id: 2 }));
  write('{"jsonrpc":"2.0","id":3,"method":"tools/list"');
  write('not json at all');
  write(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'search_tools', arguments: { query: 'find pet by id' } } }));
  const deadline = Date.now() + 60_000;
  while (!/"id":4/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const replies = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; error?: { code: number } });
  child.kill('SIGKILL');
  const code = (id: number) => replies.find((r) => r.id === id)?.error?.code ?? (replies.some((r) => r.id === id) ? 'result' : 'none');
  return `12 MiB line → ${code(2)}, malformed line with id → ${code(3)}, then a search → ${code(4)}; longest event-loop stall ${stall} ms`;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function main(): Promise<void> {
  console.log(`${SESSIONS} well-behaved sessions searching; --max-sessions ${CAP}; calm ${CALM_MS / 1000} s, abuse ${ABUSE_MS / 1000} s; Node ${process.version}\n`);
  const server = await startServer(['--http', '--port', '0', '--max-sessions', String(CAP), '--shutdown-timeout-ms', String(SHUTDOWN_MS)], /"msg":"ready"/, (ms) => (stalls[phase] = Math.max(stalls[phase], ms)));
  const url = /at (http:\S+\/mcp)/.exec(server.stderr())![1]!;
  const health = startHealthProbe(url.replace(/\/mcp$/, ''));
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => connect(url)));
  let running = true;
  const behaving = clients.map((c, i) => behave(c, i * 7, () => running));
  // Warm-up: every session's first searches, before anything is measured.
  while (wellBehaved['start-up'].calls < SESSIONS * 3) await new Promise((r) => setTimeout(r, 50));
  await health.take();
  phase = 'calm';

  await new Promise((r) => setTimeout(r, CALM_MS));
  const calmHealth = await health.take();
  phase = 'abuse';
  const abuser = await connect(url);
  // Malformed bodies go to a session of their own (outside one, a full server answers 503 before reading).
  const { session: junkSession } = await post(url, JSON.stringify(INIT));
  const junkHeaders = { ...HEADERS, 'mcp-session-id': junkSession!, 'mcp-protocol-version': '2025-06-18' };
  const abuseEnds = Date.now() + ABUSE_MS;
  const floods: Array<Map<number, number>> = [];
  const oversized = { sent: 0, refused: 0 };
  const malformed = new Map<number, number>();
  const rounds = async (work: () => Promise<void>) => {
    while (Date.now() < abuseEnds) await work();
  };
  const [stdio] = await Promise.all([
    stdioAbuse(),
    rounds(async () => void floods.push(await slowInitializeFlood(url, 200))),
    rounds(async () => {
      const r = await oversizedArguments(abuser);
      oversized.sent += r.sent;
      oversized.refused += r.refused;
    }),
    rounds(async () => {
      const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
      for (const body of ['{"jsonrpc":"2.0","id":1,"method":"tools/list"', '[]', 'x'.repeat(100_000), JSON.stringify([list, { ...list, id: 3 }])]) {
        const { status } = await post(url, body, junkHeaders);
        malformed.set(status, (malformed.get(status) ?? 0) + 1);
      }
    }),
  ]);
  const abuseHealth = await health.take();
  const mostOpen = Math.max(...[...server.stderr().matchAll(/"sessions":(\d+),"msg":"session opened"/g)].map((m) => Number(m[1])));

  // Shutdown: SIGTERM with the well-behaved sessions still searching.
  phase = 'shutdown';
  const sent = performance.now();
  const exited = new Promise<number>((resolve) => server.child.once('exit', () => resolve(performance.now() - sent)));
  server.child.kill('SIGTERM');
  const exitMs = await exited;
  running = false;
  const settled = await Promise.race([Promise.all(behaving).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
  health.worker.postMessage('stop');
  await health.worker.terminate();

  const row = (name: string, samples: number[], p: 'calm' | 'abuse') => {
    const sorted = [...samples].sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1);
    return `| ${name} | ${sorted.length} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 99))} | ${f(sorted.at(-1) ?? NaN)} | ${stalls[p]} | ${wellBehaved[p].calls} | ${wellBehaved[p].errors} |`;
  };
  console.log('| phase | /healthz probes | p50 ms | p99 ms | max ms | longest event-loop stall ms | well-behaved searches | their errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(row('calm (baseline)', calmHealth, 'calm'));
  console.log(row('abuse', abuseHealth, 'abuse'));
  const flood = new Map<number, number>();
  for (const f of floods) for (const [s, n] of f) flood.set(s, (flood.get(s) ?? 0) + n);
  console.log(`\nsessions open at most: ${mostOpen} (cap ${CAP}; ${SESSIONS} well-behaved + 1 abuser + floods)`);
  console.log(`slow initialize floods: ${floods.length} × 200 → ${[...flood].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  console.log(`oversized arguments: ${oversized.refused}/${oversized.sent} refused as invalid_arguments`);
  console.log(`malformed bodies in a session (truncated JSON, [], 100 KB junk, a batch under 2025-06-18): ${[...malformed].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  console.log(`stdio: ${stdio}`);
  console.log(`shutdown (--shutdown-timeout-ms ${SHUTDOWN_MS}): exit ${Math.round(exitMs)} ms after SIGTERM; every in-flight search ended with a result or an error: ${settled}; longest stall ${stalls.shutdown} ms`);
  if (errorSamples.length) console.log(`\nwell-behaved errors (samples):\n${errorSamples.join('\n')}`);
  await Promise.all([...clients, abuser].map((c) => c.close().catch(() => undefined)));
}

await main();
