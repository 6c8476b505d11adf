// OpenTelemetry traces: the real HTTP server and SDK client in-process, spans collected with the SDK's
// in-memory exporter; the client's traceparent is honoured, the tree is request → meta-tool → search /
// describe / catalog call → outbound HTTP (with traceparent sent to the API), and log lines carry the
// ids. One more run spawns the CLI with OTEL_* pointing at an OTLP/HTTP receiver the test starts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { serverFactoryFromFlags } from '../../src/cli-code-mode.js';
import { readConfigFile } from '../../src/config.js';
import { createObserver } from '../../src/observability/observer.js';
import { startTracing, traceIdsMixin, type Tracing } from '../../src/observability/tracing.js';
import { serveHttp, type HttpServing } from '../../src/server/http-server.js';
import { openToolshed, type Toolshed } from '../../src/toolshed.js';
import { connectHttp, spawnHttpServe } from '../helpers/http-serve.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import { call } from '../helpers/mcp-client.js';
import { waitFor } from '../helpers/upstream-servers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const exporter = new InMemorySpanExporter();
const logLines: Array<Record<string, unknown>> = [];
const log = pino({ level: 'info', mixin: traceIdsMixin }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
let tracing: Tracing;
let items: ItemsApi;
let toolshed: Toolshed;
let serving: HttpServing;
const factory = { close: async () => undefined } as { close(): Promise<void> };

before(async () => {
  tracing = await startTracing({ exporter });
  items = await startItemsApi();
  process.env.ITEMS_KEY = ITEMS_KEY;
  const observer = (await createObserver({ tracing: true }))!;
  toolshed = observer.toolshed(await openToolshed(await readConfigFile(items.configPath), log, { fetch: observer.fetch(globalThis.fetch) }));
  const servers = serverFactoryFromFlags({ mode: 'both', 'run-pool-size': '1' }, log, observer);
  factory.close = servers.close;
  serving = await serveHttp({ toolshed, log, port: 0, observer, createServer: (t, l, g) => servers.create(t, l, g) });
});

after(async () => {
  await serving?.close(1000);
  await factory.close();
  await toolshed?.close();
  await items?.close();
  await tracing?.shutdown();
});

const spans = () => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (span: ReadableSpan, name?: string) => spans().filter((s) => parentOf(s) === span.spanContext().spanId && (name === undefined || s.name === name));
const only = (list: ReadableSpan[], what: string) => {
  assert.equal(list.length, 1, `one ${what}, got ${list.map((s) => s.name).join(', ') || 'none'}`);
  return list[0]!;
};
const metaSpan = (tool: string) => spans().filter((s) => s.name === `tools/call ${tool}`);

test('a call continues the client trace: request → meta-tool → catalog call → outbound HTTP, with traceparent sent to the API', async () => {
  const transport = new StreamableHTTPClientTransport(new URL(serving.url), { requestInit: { headers: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } } });
  const client = new Client({ name: 'traced', version: '1' });
  await client.connect(transport);
  try {
    exporter.reset();
    const before = items.requests.length;
    const result = await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 5 } });
    assert.equal(result.isError, undefined);
    await waitFor(() => metaSpan('execute_tool').length === 1 && spans().some((s) => s.name === 'POST /mcp'), 'the spans');

    const meta = only(metaSpan('execute_tool'), 'meta-tool span');
    assert.equal(meta.spanContext().traceId, TRACE_ID, 'the incoming traceparent is honoured');
    const request = only(spans().filter((s) => s.spanContext().spanId === parentOf(meta)), 'request span');
    assert.equal(request.name, 'POST /mcp');
    assert.equal(parentOf(request), CLIENT_SPAN, "the request span's parent is the client's span");
    assert.equal(request.attributes['http.status_code'], 200);
    assert.equal(meta.attributes['tool.name'], 'execute_tool');
    assert.match(String(meta.attributes['mcp.session.id']), /^[0-9a-f]{16}$/);
    assert.notEqual(meta.attributes['mcp.session.id'], transport.sessionId, 'the session id is hashed');
    assert.ok(Number(meta.attributes['tool.input.size']) > 10 && Number(meta.attributes['tool.output.size']) > 10, 'sizes in and out');

    const toolCall = only(childrenOf(meta, 'call items.get_item'), 'catalog call span');
    assert.equal(toolCall.attributes['http.status_code'], 200);
    const outbound = only(childrenOf(toolCall), 'outbound span');
    assert.equal(outbound.name, 'GET');
    assert.equal(outbound.attributes['http.status_code'], 200);
    assert.equal(outbound.attributes['server.address'], '127.0.0.1');
    const sent = items.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers.traceparent, `00-${TRACE_ID}-${outbound.spanContext().spanId}-01`, 'the API sees the outbound span as its parent');

    const line = logLines.find((l) => l.msg === 'tool call' && l.tool === 'execute_tool' && l.trace_id === TRACE_ID);
    assert.ok(line, 'the tool-call log line carries the trace id');
    assert.match(String(line.span_id), /^[0-9a-f]{16}$/);
    const access = await waitFor(() => logLines.find((l) => l.msg === 'http' && l.span_id === request.spanContext().spanId), "the request's access log line");
    assert.equal(access.trace_id, TRACE_ID, 'the access log line names the trace');
  } finally {
    await client.close();
  }
});

test('search and describe get child spans; a failed call carries error.type', async () => {
  const { client } = await connectHttp(serving.url);
  try {
    exporter.reset();
    await call(client, 'search_tools', { query: 'fetch one item' });
    await call(client, 'describe_tools', { names: ['items.get_item'] });
    const failed = await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } });
    assert.equal(failed.isError, true);
    await waitFor(() => metaSpan('execute_tool').length === 1, 'the spans');
    const search = only(metaSpan('search_tools'), 'search_tools span');
    assert.ok(Number(only(childrenOf(search, 'search'), 'search child').attributes['search.results']) > 0);
    only(childrenOf(only(metaSpan('describe_tools'), 'describe_tools span'), 'describe'), 'describe child');
    const meta = only(metaSpan('execute_tool'), 'execute_tool span');
    assert.equal(meta.attributes['error.type'], 'http_error');
    const toolCall = only(childrenOf(meta, 'call items.get_item'), 'catalog call span');
    assert.equal(toolCall.attributes['error.type'], 'http_error');
    assert.equal(toolCall.attributes['http.status_code'], 404);
  } finally {
    await client.close();
  }
});

test('run_code: each call the program makes is a child of the run, with its outbound request', async () => {
  const { client } = await connectHttp(serving.url);
  try {
    exporter.reset();
    const run = await call(client, 'run_code', { code: 'const a = await items.get_item({ itemId: 1 }); const b = await items.get_item({ itemId: 2 }); return [a, b].length;' });
    assert.equal(run.isError, undefined);
    await waitFor(() => metaSpan('run_code').length === 1, 'the spans');
    const calls = childrenOf(only(metaSpan('run_code'), 'run_code span'), 'call items.get_item');
    assert.equal(calls.length, 2);
    for (const c of calls) assert.equal(only(childrenOf(c), 'outbound span').name, 'GET');
  } finally {
    await client.close();
  }
});

test('the CLI exports over OTLP/HTTP to the endpoint in OTEL_EXPORTER_OTLP_ENDPOINT, with trace ids in its logs', async () => {
  const received: Array<{ path?: string; body: string }> = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const cli = await spawnHttpServe(['--config', items.configPath], { env: { ITEMS_KEY, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'toolshed-under-test' } });
  try {
    const { client } = await connectHttp(cli.url);
    await call(client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 9 } });
    await client.close();
  } finally {
    assert.equal(await cli.stop(), 0);
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
  const traces = received.filter((r) => r.path === '/v1/traces').map((r) => JSON.parse(r.body) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<{ name: string; traceId: string }> }> }> });
  assert.ok(traces.length > 0, 'the exporter posted to /v1/traces (flushed at shutdown)');
  const resourceSpans = traces.flatMap((t) => t.resourceSpans);
  assert.ok(resourceSpans.some((r) => r.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === 'toolshed-under-test')));
  const names = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)));
  for (const name of ['POST /mcp', 'tools/call execute_tool', 'call items.get_item', 'GET']) assert.ok(names.includes(name), `span ${name} exported (got ${names.join(', ')})`);
  const traceIds = new Set(resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.traceId))));
  const toolLine = cli
    .stderr()
    .split('\n')
    .filter((l) => l.includes('"msg":"tool call"'))
    .map((l) => JSON.parse(l) as { trace_id?: string })[0];
  assert.ok(toolLine?.trace_id && traceIds.has(toolLine.trace_id), 'the log line names an exported trace');
});
