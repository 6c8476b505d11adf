// What team serving costs per call: the same toolshed HTTP server (same catalog, same API behind it)
// measured in one run with nothing on, with OAuth (JWTs from a real oidc-provider, verified with jose),
// with Prometheus metrics, with OpenTelemetry tracing (OTLP/HTTP to a local receiver, batched as in
// production), and with all three. Rounds are interleaved across the configurations, so drift on a
// shared machine hits them alike. Prints median and mean per call and the difference to the baseline.
// Run: scripts/with-node.sh 24 node --import tsx bench/team-overhead.ts [--calls N] [--rounds N]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { pino } from 'pino';
import { serverFactoryFromFlags } from '../src/cli-code-mode.js';
import { readConfigFile } from '../src/config.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createObserver, type Observer } from '../src/observability/observer.js';
import { startTracing } from '../src/observability/tracing.js';
import { serveHttp, type HttpServing } from '../src/server/http-server.js';
import { createOAuthAuth } from '../src/server/oauth/oauth-auth.js';
import { resolveOAuthOptions } from '../src/server/oauth/oauth-options.js';
import { openToolshed } from '../src/toolshed.js';
import { CLIENTS, startAuthServer } from '../test/helpers/auth-server.js';
import { ITEMS_KEY, startItemsApi } from '../test/helpers/items-api.js';
import { freePort } from '../test/helpers/upstream-servers.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '50' }, rounds: { type: 'string', default: '8' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const log = pino({ level: 'silent' });

// A local OTLP/HTTP receiver: the exporter's real work (serialising, posting) is part of the cost.
let exportedBatches = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    exportedBatches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
const tracing = await startTracing();

process.env.ITEMS_KEY = ITEMS_KEY;
const [items, authServer] = await Promise.all([startItemsApi(), startAuthServer()]);
const config = await readConfigFile(items.configPath);

interface Setup {
  label: string;
  oauth?: boolean;
  metrics?: boolean;
  tracing?: boolean;
}
const SETUPS: Setup[] = [
  { label: 'baseline (all off)' },
  { label: 'OAuth (JWT)', oauth: true },
  { label: 'metrics', metrics: true },
  { label: 'tracing (OTLP)', tracing: true },
  { label: 'all three', oauth: true, metrics: true, tracing: true },
];

interface Running {
  setup: Setup;
  serving: HttpServing;
  client: Client;
  close(): Promise<void>;
  samples: { execute: number[]; search: number[] };
  /** Process CPU (user + system, µs) spent over the kept calls: client and server share the process, the client's part is the same in every set-up. */
  cpu: { execute: number; search: number };
}

async function start(setup: Setup): Promise<Running> {
  const observer: Observer | undefined = await createObserver({ ...(setup.metrics ? { metrics: createMetrics() } : {}), tracing: setup.tracing === true });
  const base = await openToolshed(config, log, observer ? { fetch: observer.fetch(globalThis.fetch) } : {});
  const toolshed = observer ? observer.toolshed(base) : base;
  const factory = serverFactoryFromFlags({ mode: 'dynamic' }, log, observer);
  const port = await freePort();
  const audience = `http://127.0.0.1:${port}/mcp`;
  const auth = setup.oauth ? createOAuthAuth({ ...resolveOAuthOptions({ issuer: authServer.issuer, audience }, {}, process.env)!, log }) : undefined;
  const serving = await serveHttp({ toolshed, log, port, createServer: (t, l, g) => factory.create(t, l, g), ...(auth ? { auth } : {}), ...(observer ? { observer } : {}) });
  const token = setup.oauth ? await authServer.clientCredentialsToken(CLIENTS.full, { resource: audience, scope: 'tools:search tools:call' }) : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(serving.url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  return {
    setup,
    serving,
    client,
    samples: { execute: [], search: [] },
    cpu: { execute: 0, search: 0 },
    async close() {
      await client.close();
      await serving.close(1000);
      await factory.close();
      await toolshed.close();
    },
  };
}

async function timeCalls(running: Running, kind: 'execute' | 'search', n: number, keep: boolean): Promise<void> {
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const result =
      kind === 'execute'
        ? await running.client.callTool({ name: 'execute_tool', arguments: { name: 'items.get_item', arguments: { itemId: i } } })
        : await running.client.callTool({ name: 'search_tools', arguments: { query: 'fetch one item by id' } });
    if (result.isError) throw new Error(`${running.setup.label}: ${JSON.stringify(result.content)}`);
    if (keep) running.samples[kind].push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (keep) running.cpu[kind] += cpu.user + cpu.system;
}

const runs: Running[] = [];
for (const setup of SETUPS) runs.push(await start(setup));
// Warm-up: JIT, the JWKS fetch, the tokenizer's first use, connection pools.
for (const r of runs) {
  await timeCalls(r, 'execute', 20, false);
  await timeCalls(r, 'search', 20, false);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const r of round % 2 ? [...runs].reverse() : runs) {
    await timeCalls(r, 'execute', CALLS, true);
    await timeCalls(r, 'search', CALLS, true);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const baseline = runs[0]!;
console.log(`toolshed team-serving overhead: ${ROUNDS} rounds x ${CALLS} calls per setup and kind (${ROUNDS * CALLS} samples each), Node ${process.version}`);
console.log('execute_tool = items.get_item over HTTP to a local API; search_tools = one query; times are client-side round trips in ms\n');
console.log('| setup | execute_tool median ms | Δ median | CPU µs/call | Δ CPU | search_tools median ms | Δ median | CPU µs/call | Δ CPU |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const cpuPerCall = (r: Running, kind: 'execute' | 'search') => r.cpu[kind] / r.samples[kind].length;
for (const r of runs) {
  const row = (kind: 'execute' | 'search') => {
    const m = median(r.samples[kind]);
    const dm = r === baseline ? '' : signed(m - median(baseline.samples[kind]));
    const c = cpuPerCall(r, kind);
    const dc = r === baseline ? '' : `${c >= cpuPerCall(baseline, kind) ? '+' : ''}${(c - cpuPerCall(baseline, kind)).toFixed(0)}`;
    return `${ms(m)} | ${dm} | ${c.toFixed(0)} | ${dc}`;
  };
  console.log(`| ${r.setup.label} | ${row('execute')} | ${row('search')} |`);
}
console.log(`\nmeans (ms): ${runs.map((r) => `${r.setup.label} ${ms(mean(r.samples.execute))} / ${ms(mean(r.samples.search))}`).join('; ')}`);

// The parts alone, in-process: the wall time each adds around one call, without the network's noise.
const PARTS = 2000;
const partTime = async (fn: () => Promise<unknown>) => {
  for (let i = 0; i < 200; i++) await fn();
  const started = performance.now();
  for (let i = 0; i < PARTS; i++) await fn();
  return (performance.now() - started) / PARTS;
};
const audience = 'http://127.0.0.1:1/mcp';
const jwt = await authServer.clientCredentialsToken(CLIENTS.full, { resource: audience, scope: 'tools:search tools:call' });
const oauth = createOAuthAuth({ ...resolveOAuthOptions({ issuer: authServer.issuer, audience }, {}, process.env)!, log });
const request = () => ({ headers: { authorization: `Bearer ${jwt}` } }) as unknown as http.IncomingMessage;
const refused = await oauth.authenticate(request());
if (refused) throw new Error(`bench token refused: ${refused.message}`);
const noop = async () => ({ content: [{ type: 'text' as const, text: 'HTTP 200\n{"id":1,"label":"item 1"}' }] });
const call = { tool: 'execute_tool', arguments: { name: 'items.get_item', arguments: { itemId: 1 } }, sessionId: 'a-session-id' };
const withMetrics = (await createObserver({ metrics: createMetrics(), tracing: false }))!;
const withTracing = (await createObserver({ tracing: true }))!;
const parts = [
  ['OAuth: verify a JWT (signature, claims; JWKS cached)', await partTime(() => oauth.authenticate(request()))],
  ['metrics: record one meta-tool call (incl. o200k token count)', await partTime(() => withMetrics.metaTool(call, noop))],
  ['tracing: one meta-tool span (exported in batches)', await partTime(() => withTracing.metaTool(call, noop))],
] as const;
console.log(`\nThe parts alone, in-process (${PARTS} iterations each, mean wall time per call):\n`);
console.log('| part | µs per call |');
console.log('| --- | ---: |');
for (const [label, msPerCall] of parts) console.log(`| ${label} | ${(msPerCall * 1000).toFixed(1)} |`);

for (const r of runs) await r.close();
await tracing.shutdown();
console.log(`\n(OTLP batches received by the local collector: ${exportedBatches})`);
await Promise.all([items.close(), authServer.close()]);
receiver.closeAllConnections();
receiver.close();
