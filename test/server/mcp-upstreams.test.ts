// Upstream MCP servers behind the real toolshed, over real stdio with the SDK client: the reference
// servers (everything, filesystem, memory) from a pasted Claude Desktop block, a broken one beside
// them, an upstream killed mid-session, run_code chaining upstream calls, and a static tool file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';
import { quoteWord } from '../../src/config-mcp.js';
import { descendants, everythingServer, filesystemServer, memoryServer, PAGED_SERVER, waitFor } from '../helpers/upstream-servers.js';

const LIVEMCPBENCH = fileURLToPath(new URL('../fixtures/livemcpbench/tools.json', import.meta.url));

type Results = { results: Array<{ name: string; summary: string; route?: string; namespace: string }> };
const resultsOf = (r: CallToolResult) => (r.structuredContent as Results).results;

describe('toolshed fronting everything, filesystem, memory and a paged server (and one broken upstream)', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  let dir: string;
  let files: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'toolshed-mcp-'));
    files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'hello.txt'), 'hello from disk');
    // The shape of claude_desktop_config.json, pasted into toolshed.config.json.
    writeFileSync(join(dir, 'toolshed.config.json'), JSON.stringify({ mcpServers: { everything: everythingServer(), filesystem: filesystemServer(files), memory: memoryServer(join(dir, 'memory.jsonl')) } }));
    // A stand-in listing for the broken upstream: its tools stay searchable while it is down.
    writeFileSync(join(dir, 'broken-tools.json'), JSON.stringify({ tools: [{ name: 'frobnicate_widget', description: 'Frobnicate a widget by id.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } }] }));
    session = await connectStdio([
      'serve',
      '--config', join(dir, 'toolshed.config.json'),
      '--mcp', 'broken=/nonexistent/mcp-server --port 1',
      '--tools-json', `broken=${join(dir, 'broken-tools.json')}`,
      '--mcp', `paged=${quoteWord(process.execPath)} ${quoteWord(PAGED_SERVER)}`,
    ]);
  });
  after(() => session?.close());

  test('the broken upstream is reported on stderr and the others serve', async () => {
    // The first call waits for loading (answer first: initialize came before the upstreams started).
    const echo = await call(session.client, 'execute_tool', { name: 'everything.echo', arguments: { message: 'hi' } });
    assert.ok(!echo.isError, textOf(echo));
    assert.match(textOf(echo), /Echo: hi/);
    assert.match(session.stderr(), /"upstream":"broken".*"msg":"upstream unavailable"/);
    assert.match(session.stderr(), /"upstream":"memory".*"tools":9,"msg":"upstream connected"/);
  });

  test('search finds upstream tools, with no route', async () => {
    const cases: Array<[string, string]> = [
      ['echo a message back', 'everything.echo'],
      ['write text to a file', 'filesystem.write_file'],
      ['add entities to the knowledge graph', 'memory.create_entities'],
    ];
    for (const [query, expected] of cases) {
      const results = resultsOf(await call(session.client, 'search_tools', { query, limit: 5 }));
      const hit = results.find((r) => r.name === expected);
      assert.ok(hit, `${query} → ${results.map((r) => r.name).join(', ')}`);
      assert.equal(hit.route, undefined);
    }
  });

  test("the broken upstream's stand-in tools are marked unavailable in search and answer not_connected", async () => {
    const [hit] = resultsOf(await call(session.client, 'search_tools', { query: 'frobnicate widget', limit: 1 }));
    assert.deepEqual({ name: hit?.name, summary: hit?.summary, namespace: hit?.namespace, route: hit?.route }, { name: 'broken.frobnicate_widget', summary: '[unavailable] Frobnicate a widget by id', namespace: 'broken', route: undefined });
    const result = await call(session.client, 'execute_tool', { name: 'broken.frobnicate_widget', arguments: { id: 'w1' } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /not_connected.*upstream MCP server broken is unavailable: command not found/);
    const described = JSON.parse(textOf(await call(session.client, 'describe_tools', { names: ['broken.frobnicate_widget'] })));
    assert.match(described.tools[0].auth, /unavailable now: command not found/);
  });

  test('describe_tools shows an upstream tool exactly: schema, required, output shape', async () => {
    const described = JSON.parse(textOf(await call(session.client, 'describe_tools', { names: ['memory.create_entities'] })));
    const [tool] = described.tools;
    assert.equal(tool.summary, 'Create multiple new entities in the knowledge graph');
    assert.deepEqual(tool.input.required, ['entities']);
    assert.equal(tool.input.$schema, undefined);
    assert.equal(tool.auth, 'handled by the upstream server');
    assert.ok(tool.output['entities'], JSON.stringify(tool.output));
  });

  test('filesystem: write a file, read it back; an upstream isError passes through with its message', async () => {
    const path = join(files, 'note.txt');
    const written = await call(session.client, 'execute_tool', { name: 'filesystem.write_file', arguments: { path, content: 'written through toolshed' } });
    assert.ok(!written.isError, textOf(written));
    assert.equal(readFileSync(path, 'utf8'), 'written through toolshed');
    const read = await call(session.client, 'execute_tool', { name: 'filesystem.read_text_file', arguments: { path } });
    assert.match(textOf(read), /written through toolshed/);
    const denied = await call(session.client, 'execute_tool', { name: 'filesystem.read_text_file', arguments: { path: '/etc/hostname' } });
    assert.equal(denied.isError, true);
    assert.match(textOf(denied), /upstream_error.*filesystem\.read_text_file: .*(denied|outside allowed)/i);
  });

  test('an image from an upstream reaches the client', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'everything.get_tiny_image', arguments: {} });
    assert.ok(!result.isError, textOf(result));
    const image = result.content.find((c) => c.type === 'image');
    // Passed through as image content, or (until execute_tool passes content through) named in the text.
    assert.ok(image?.type === 'image' ? image.mimeType === 'image/png' : /\[image image\/png/.test(textOf(result)), JSON.stringify(result.content).slice(0, 300));
  });

  test('an upstream killed mid-session is restarted and serves the next call', async () => {
    const created = await call(session.client, 'execute_tool', { name: 'memory.create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } });
    assert.ok(!created.isError, textOf(created));
    const [pid] = descendants(process.pid, /mcp-server-memory/);
    assert.ok(pid, 'the memory server runs under toolshed');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => /"upstream":"memory".*"msg":"upstream unavailable"/.test(session.stderr()), 'toolshed to notice the exit');
    const graph = await call(session.client, 'execute_tool', { name: 'memory.read_graph', arguments: {} });
    assert.ok(!graph.isError, textOf(graph));
    assert.match(textOf(graph), /wrote the first program/, 'the restarted server read its file back');
    assert.notDeepEqual(descendants(process.pid, /mcp-server-memory/), [pid]);
  });

  test("an upstream's tools/list_changed re-indexes: a tool added at run time is found and callable", async () => {
    const added = await call(session.client, 'execute_tool', { name: 'paged.add_tool', arguments: { name: 'zebra_striper' } });
    assert.ok(!added.isError, textOf(added));
    await waitFor(async () => resultsOf(await call(session.client, 'search_tools', { query: 'zebra striper', limit: 3 })).some((r) => r.name === 'paged.zebra_striper'), 'the new tool in search');
    const ran = await call(session.client, 'execute_tool', { name: 'paged.zebra_striper', arguments: {} });
    assert.match(textOf(ran), /ran zebra_striper/);
  });

  test('run_code chains upstream calls: memory create then read; filesystem write then read back', async () => {
    const { tools } = await session.client.listTools();
    assert.ok(tools.some((t) => t.name === 'run_code'), 'run_code is listed (mode both)');
    const memory = await call(session.client, 'run_code', {
      code: `await memory.create_entities({ entities: [{ name: 'Grace', entityType: 'person', observations: ['found a moth'] }] });
const graph = await memory.read_graph();
return graph.entities.map((e) => e.name).sort();`,
    });
    assert.ok(!memory.isError, textOf(memory));
    assert.deepEqual((memory.structuredContent as { result: unknown }).result, ['Ada', 'Grace']);
    const path = join(files, 'from-code.txt');
    const fs = await call(session.client, 'run_code', {
      code: `await filesystem.write_file({ path: ${JSON.stringify(path)}, content: 'round trip' });
const back = await filesystem.read_text_file({ path: ${JSON.stringify(path)} });
return back;`,
    });
    assert.ok(!fs.isError, textOf(fs));
    assert.match(JSON.stringify((fs.structuredContent as { result: unknown }).result), /round trip/);
  });
});

describe("LiveMCPBench's tools.json served as a static source", () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    session = await connectStdio(['serve', '--tools-json', LIVEMCPBENCH]);
  });
  after(() => session?.close());

  test('search and describe work; executing says the server is not connected', async () => {
    const results = resultsOf(await call(session.client, 'search_tools', { query: 'search arxiv papers', limit: 5 }));
    assert.ok(results.some((r) => /arxiv/.test(r.namespace)), results.map((r) => r.name).join(', '));
    assert.ok(!results.some((r) => r.summary.startsWith('[unavailable]')), 'static tools are not marked');
    const described = JSON.parse(textOf(await call(session.client, 'describe_tools', { names: [results[0]!.name] })));
    assert.match(described.tools[0].auth, /static tool list/);
    const result = await call(session.client, 'execute_tool', { name: results[0]!.name, arguments: {} });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /Error \(not_connected\)/);
  });

  test('search_tools in code mode finds static tools, and describe_tools gives their TypeScript', async () => {
    const result = await call(session.client, 'search_tools', { query: 'current weather', limit: 3 });
    const { results } = result.structuredContent as { results: Array<{ name: string }> };
    const weather = results.find((r) => r.name.startsWith('weather.'));
    assert.ok(weather, textOf(result));
    assert.doesNotMatch(textOf(result), /\(input/, 'no signatures in search results: describe_tools gives them');
    const described = await call(session.client, 'describe_tools', { names: [weather.name], format: 'typescript' });
    assert.match(textOf(described), new RegExp(`function ${weather.name.split('.')[1]}\\(`));
  });
});
