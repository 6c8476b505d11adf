// toolshed as a full gateway, end to end: the real toolshed bin fronting the reference `everything`
// server, driven by the SDK client over real stdio (and once over Streamable HTTP), with a client that
// declares sampling, elicitation and roots and one that declares none.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type CreateMessageRequest,
  type ElicitRequest,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { BIN, call, textOf } from '../helpers/mcp-client.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { everythingServer, waitFor } from '../helpers/upstream-servers.js';
import { UPSTREAM_META_KEY } from '../../src/gateway/client-requests.js';
import { quoteWord } from '../../src/config-mcp.js';

const everything = everythingServer() as { command: string; args?: string[] };
const MCP_ARG = `everything=${[everything.command, ...(everything.args ?? [])].map(quoteWord).join(' ')}`;
const CAPABLE = { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } };
const ROOT = { uri: 'file:///tmp/toolshed-project', name: 'project' };

interface Seen {
  sampling: CreateMessageRequest['params'][];
  elicitations: ElicitRequest['params'][];
  elicitSignals: AbortSignal[];
  logs: LoggingMessageNotification['params'][];
  updated: string[];
  /** When set, elicitation requests are left unanswered (to test cancellation). */
  holdElicitations: boolean;
}

function capableClient(seen: Seen, capabilities: Record<string, unknown> = CAPABLE): Client {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, { capabilities });
  if ('sampling' in capabilities) {
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      seen.sampling.push(request.params);
      const first = request.params.messages[0]?.content;
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: `sampled: ${first && 'text' in first ? first.text : '?'}` } };
    });
  }
  if ('elicitation' in capabilities) {
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => {
      seen.elicitations.push(request.params);
      seen.elicitSignals.push(extra.signal);
      if (seen.holdElicitations) return new Promise(() => undefined);
      return { action: 'accept', content: { name: 'Ada Lovelace' } };
    });
  }
  if ('roots' in capabilities) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [ROOT] }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.logs.push(n.params));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen.updated.push(n.params.uri));
  return client;
}

const newSeen = (): Seen => ({ sampling: [], elicitations: [], elicitSignals: [], logs: [], updated: [], holdElicitations: false });

async function connectStdioWith(client: Client, args: string[]): Promise<() => Promise<void>> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env: process.env as Record<string, string>, stderr: 'pipe' });
  await client.connect(transport);
  return () => client.close();
}

describe('a client that declares sampling, elicitation and roots, over stdio', () => {
  const seen = newSeen();
  const client = capableClient(seen);
  let close: () => Promise<void>;
  before(async () => {
    // The broken upstream makes toolshed log a warning at start-up, for the logging case.
    close = await connectStdioWith(client, ['serve', '--mcp', MCP_ARG, '--mcp', 'broken=/nonexistent/mcp-server']);
  });
  after(() => close?.());

  test('tools that need the client are in the catalog', async () => {
    const results = (await call(client, 'search_tools', { query: 'trigger a sampling request', limit: 10 })).structuredContent as { results: Array<{ name: string }> };
    assert.ok(results.results.some((r) => r.name === 'everything.trigger_sampling_request'), JSON.stringify(results));
  });

  test('sampling is relayed to this client, with the upstream named, and its answer reaches the tool', async () => {
    const result = await call(client, 'execute_tool', { name: 'everything.trigger_sampling_request', arguments: { prompt: 'say hello', maxTokens: 20 } });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /sampled: .*say hello/);
    const request = seen.sampling.at(-1)!;
    assert.equal(request._meta?.[UPSTREAM_META_KEY], 'everything');
  });

  test('elicitation is relayed with the upstream named in the message the person sees', async () => {
    const result = await call(client, 'execute_tool', { name: 'everything.trigger_elicitation_request', arguments: {} });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /Name: Ada Lovelace/);
    assert.match(seen.elicitations.at(-1)!.message, /^\[everything\] /);
  });

  test('run_code programs relay too', async () => {
    const before = seen.sampling.length;
    const result = await call(client, 'run_code', { code: 'const r = await everything.trigger_sampling_request({ prompt: "from code" }); return r;' });
    assert.ok(!result.isError, textOf(result));
    assert.equal(seen.sampling.length, before + 1);
    assert.match(textOf(result), /sampled: .*from code/);
  });

  test('roots come from this client', async () => {
    const result = await call(client, 'execute_tool', { name: 'everything.get_roots_list', arguments: {} });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /file:\/\/\/tmp\/toolshed-project/);
  });

  test('cancelling the call cancels the relayed request at the client', async () => {
    seen.holdElicitations = true;
    const controller = new AbortController();
    const pending = client.callTool({ name: 'execute_tool', arguments: { name: 'everything.trigger_elicitation_request', arguments: {} } }, undefined, { signal: controller.signal });
    const count = seen.elicitSignals.length;
    await waitFor(() => seen.elicitSignals.length > count, 'the relayed elicitation');
    controller.abort('changed my mind');
    await assert.rejects(pending);
    await waitFor(() => seen.elicitSignals.at(-1)!.aborted, 'the relayed request to be cancelled');
    seen.holdElicitations = false;
  });

  test('logging/setLevel: toolshed warnings and upstream logs arrive, named', async () => {
    await client.setLoggingLevel('debug');
    // toolshed's own start-up warning (the broken upstream) is replayed to a session that asks for logs.
    await waitFor(() => seen.logs.find((l) => l.logger === 'toolshed' && JSON.stringify(l.data).includes('upstream unavailable')), 'toolshed warning');
    const toggled = await call(client, 'execute_tool', { name: 'everything.toggle_simulated_logging', arguments: {} });
    assert.ok(!toggled.isError, textOf(toggled));
    await waitFor(() => seen.logs.find((l) => l.logger?.startsWith('everything')), 'an upstream log message', 30_000);
    await call(client, 'execute_tool', { name: 'everything.toggle_simulated_logging', arguments: {} });
  });

  test('resources: listed and read under the namespace; originals still readable; templates mapped', async () => {
    const { resources } = await client.listResources();
    const doc = resources.find((r) => r.uri.startsWith('toolshed://everything/demo://resource/static/document/'));
    assert.ok(doc, JSON.stringify(resources.map((r) => r.uri)));
    const read = await client.readResource({ uri: doc.uri });
    assert.equal(read.contents[0]!.uri, doc.uri);
    assert.ok('text' in read.contents[0]! && read.contents[0].text.length > 0);
    const original = doc.uri.slice('toolshed://everything/'.length);
    const direct = await client.readResource({ uri: original });
    assert.equal(direct.contents[0]!.uri, original);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'toolshed://everything/demo://resource/dynamic/text/{resourceId}'), JSON.stringify(resourceTemplates));
    const dynamic = await client.readResource({ uri: 'toolshed://everything/demo://resource/dynamic/text/3' });
    assert.ok('text' in dynamic.contents[0]!);
    await assert.rejects(client.readResource({ uri: 'toolshed://nosuch/demo://x' }), /not connected/);
  });

  test('resource subscriptions: updates arrive with the URI subscribed to', async () => {
    const uri = 'toolshed://everything/demo://resource/dynamic/text/1';
    await client.subscribeResource({ uri });
    await call(client, 'execute_tool', { name: 'everything.toggle_subscriber_updates', arguments: {} });
    await waitFor(() => seen.updated.includes(uri), 'a resources/updated notification', 30_000);
    await call(client, 'execute_tool', { name: 'everything.toggle_subscriber_updates', arguments: {} });
    await client.unsubscribeResource({ uri });
  });

  test('prompts: listed, got and completed under the namespace', async () => {
    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'everything.simple-prompt'), JSON.stringify(prompts.map((p) => p.name)));
    const got = await client.getPrompt({ name: 'everything.args-prompt', arguments: { city: 'Lisbon' } });
    assert.match(JSON.stringify(got.messages), /Lisbon/);
    const completed = await client.complete({ ref: { type: 'ref/prompt', name: 'everything.completable-prompt' }, argument: { name: 'department', value: 'E' } });
    assert.ok(completed.completion.values.length > 0, JSON.stringify(completed));
  });
});

describe('a client that declares none of them', () => {
  const seen = newSeen();
  const client = capableClient(seen, {});
  let close: () => Promise<void>;
  before(async () => {
    close = await connectStdioWith(client, ['serve', '--mcp', MCP_ARG]);
  });
  after(() => close?.());

  test('the tools stay searchable and say what the client lacks when called', async () => {
    const results = (await call(client, 'search_tools', { query: 'trigger elicitation request', limit: 10 })).structuredContent as { results: Array<{ name: string }> };
    assert.ok(results.results.some((r) => r.name === 'everything.trigger_elicitation_request'));
    for (const [tool, kind] of [['trigger_elicitation_request', 'elicitation'], ['trigger_sampling_request', 'sampling']] as const) {
      const result: CallToolResult = await call(client, 'execute_tool', { name: `everything.${tool}`, arguments: tool === 'trigger_sampling_request' ? { prompt: 'x' } : {} });
      assert.equal(result.isError, true);
      const asked = /asked the client for (.+), which the MCP client connected to toolshed does not support/.exec(textOf(result))?.[1];
      assert.ok(asked, textOf(result));
      // Answer first: this call may come within the 350 ms after which the upstream asks for roots on its
      // own, and a roots request refused during a call is reported with it (before or after the other).
      assert.deepEqual(asked.split(' and ').filter((k) => k !== 'roots'), [kind], textOf(result));
    }
    assert.equal(seen.sampling.length + seen.elicitations.length, 0);
  });
});

describe('over Streamable HTTP', () => {
  let serving: ServeProcess;
  before(async () => {
    serving = await spawnHttpServe(['--mcp', MCP_ARG]);
  });
  after(() => serving?.stop());

  test('sampling reaches the session that made the call, not another one', async () => {
    const seenA = newSeen();
    const seenB = newSeen();
    const a = capableClient(seenA);
    const b = capableClient(seenB);
    await a.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
    await b.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
    try {
      const result = await call(a, 'execute_tool', { name: 'everything.trigger_sampling_request', arguments: { prompt: 'over http' } });
      assert.ok(!result.isError, textOf(result));
      assert.match(textOf(result), /sampled: .*over http/);
      assert.equal(seenA.sampling.length, 1);
      assert.equal(seenB.sampling.length, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
