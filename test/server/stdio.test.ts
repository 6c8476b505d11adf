// The SDK's own Client over real stdio, spawning `toolshed serve` as a user's agent would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { ITEMS_KEY, ITEMS_LISTED, startItemsApi, type ItemsApi } from '../helpers/items-api.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

describe('toolshed serve (embedded default, dynamic mode) over stdio', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    session = await connectStdio(['serve', '--mode', 'dynamic']);
  });
  after(() => session.close());

  test('tools/list shows exactly the meta-tools, under 1,000 tokens', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['describe_tools', 'execute_tool', 'search_tools']);
    for (const tool of tools) {
      assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name} input schema is closed`);
      assert.ok(tool.annotations, `${tool.name} has annotations`);
    }
    const tokens = encode(JSON.stringify({ tools })).length;
    console.log(`tools/list: ${tokens} tokens (o200k)`);
    assert.ok(tokens < 1000, `${tokens} tokens`);
  });

  test('search_tools ranks the issue-creating operation first, with structured results', async () => {
    const result = await call(session.client, 'search_tools', { query: 'create an issue', limit: 3 });
    assert.ok(!result.isError);
    const { results } = result.structuredContent as { results: Array<Record<string, string>> };
    assert.equal(results.length, 3);
    assert.deepEqual(results[0], { name: 'github.issues_create', summary: 'Create an issue', route: 'POST /repos/{owner}/{repo}/issues', namespace: 'github' });
    assert.match(textOf(result), /1\. github\.issues_create: Create an issue \(POST \/repos\/\{owner\}\/\{repo\}\/issues\)/);
  });

  test('describe_tools gives the exact input schema, required fields, auth and output shape', async () => {
    const result = await call(session.client, 'describe_tools', { names: ['github.issues_create', 'petstore.get_pet_by_id', 'petstore.add_pet', 'petstore.update_pet'] });
    assert.ok(!result.isError, textOf(result));
    const described = JSON.parse(textOf(result));
    const [issue, pet] = described.tools;
    assert.equal(issue.route, 'POST /repos/{owner}/{repo}/issues');
    assert.deepEqual(issue.input.required, ['owner', 'repo', 'body']);
    assert.equal(issue.required, undefined, 'required is printed once, in the input schema');
    assert.deepEqual(issue.input.properties.body.required, ['title']);
    assert.equal(issue.output['number'], 'integer');
    assert.match(pet.auth, /^missing \(put an API key \(header "api_key"\) in an environment variable and name it: --auth petstore=ENV_VAR, or "credentials": \{ "api_key": \{ "env": "NAME_OF_ENV_VAR" \} \} for the "petstore" catalog\)$/);
    assert.deepEqual(pet.input.properties.petId.type, 'integer');
    assert.ok(described.$defs.Category, 'shared sub-schemas are named once under $defs');
    assert.equal(JSON.stringify(described).split('"Category":').length, 2, 'Category is printed once for the two tools that use it');
    assert.equal(described.tools[2].input.properties.body.$ref, '#/$defs/Pet');
  });

  test('each meta-tool result reports its own o200k tokens in _meta when the request asks', async () => {
    const asked = (await session.client.callTool({ name: 'search_tools', arguments: { query: 'create an issue' }, _meta: { 'toolshed/tokens': true } })) as CallToolResult;
    const counts = asked._meta?.['toolshed/tokens'] as { text: number; structured?: number };
    assert.equal(counts.text, encode(textOf(asked)).length);
    assert.equal(counts.structured, encode(JSON.stringify(asked.structuredContent)).length);
    const described = (await session.client.callTool({ name: 'describe_tools', arguments: { names: ['github.issues_create'] }, _meta: { 'toolshed/tokens': true } })) as CallToolResult;
    assert.deepEqual(described._meta?.['toolshed/tokens'], { text: encode(textOf(described)).length }, 'no structuredContent: text only');
    const unasked = await call(session.client, 'search_tools', { query: 'create an issue' });
    assert.equal(unasked._meta?.['toolshed/tokens'], undefined, 'not counted unless asked');
  });

  test('search results carry each answer once: text lines and the documented structuredContent, no signatures', async () => {
    const result = await call(session.client, 'search_tools', { query: 'get a repository', limit: 3 });
    const { results } = result.structuredContent as { results: Array<Record<string, string>> };
    for (const r of results) assert.deepEqual(Object.keys(r).filter((k) => !['name', 'summary', 'route', 'namespace', 'needs'].includes(k)), [], JSON.stringify(r));
    // One line per result (a result's needs, when it has some, follow on an indented line).
    const lines = textOf(result).split('\n').filter((l) => !l.startsWith('   '));
    assert.deepEqual(lines, results.map((r, i) => `${i + 1}. ${r.name}: ${r.summary}${r.route ? ` (${r.route})` : ''}`));
    assert.doesNotMatch(textOf(result), /\(input|Promise<|Next:/);
  });

  test('an unknown name is an isError result suggesting the closest names', async () => {
    const result = await call(session.client, 'describe_tools', { names: ['github.issue_create'] });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /unknown tool "github\.issue_create"\. Did you mean github\.issues_create/);
  });

  test('meta-tool arguments are checked: a clear error, and the server keeps serving', async () => {
    const result = await call(session.client, 'search_tools', { query: 'x', limit: 99 });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /limit must be <= 20/);
    const extra = await call(session.client, 'search_tools', { query: 'x', verbose: true });
    assert.equal(extra.isError, true);
    assert.match(textOf(extra), /must NOT have additional properties/);
    assert.ok(!(await call(session.client, 'search_tools', { query: 'list releases' })).isError);
  });
});

describe('execute_tool over stdio against a real HTTP API', () => {
  let api: ItemsApi;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  const requests = () => api.requests;

  before(async () => {
    api = await startItemsApi({ maxResponseTokens: 2000 });
    session = await connectStdio(['serve', '--config', api.configPath], { ITEMS_KEY });
  });
  after(async () => {
    await session.close();
    await api.close();
  });

  test('calls the real API with host-side credentials and returns status and body', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 7 } });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /^HTTP 200\n/);
    assert.deepEqual(JSON.parse(textOf(result).split('\n').slice(1).join('\n')), { id: 7, label: 'item 7' });
    const last = requests().at(-1)!;
    assert.equal(last.url, '/items/7');
    assert.equal(last.headers['x-api-key'], ITEMS_KEY);
    const created = await call(session.client, 'execute_tool', { name: 'create_item', arguments: { body: { label: 'new', kind: 'a' } } });
    assert.match(textOf(created), /^HTTP 201/);
    assert.deepEqual(JSON.parse(requests().at(-1)!.body), { label: 'new', kind: 'a' });
  });

  test('bad arguments: wrong type, missing required, extra field, bad enum; the server keeps serving', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ itemId: 'seven' }, 'items.get_item', /itemId.*must be integer/],
      [{}, 'items.get_item', /itemId/],
      [{ itemId: 1, color: 'red' }, 'items.get_item', /color/],
      [{ body: { label: 'x', kind: 'z' } }, 'items.create_item', /kind.*"a", "b"/],
    ];
    for (const [args, name, message] of cases) {
      const result = await call(session.client, 'execute_tool', { name, arguments: args });
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(textOf(result), message);
      assert.match(textOf(result), /describe_tools/);
    }
    assert.ok(!(await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 1 } })).isError);
  });

  test('non-2xx is isError with the status and the API message', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /404/);
    assert.match(textOf(result), /Item 404 not found/);
  });

  test('an oversized response is cut to valid JSON with a notice', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.list_items', arguments: {} });
    assert.ok(!result.isError);
    const text = textOf(result);
    assert.ok(text.length < 2000 * 4 + 1000, `${text.length} chars`);
    assert.match(text, new RegExp(String(ITEMS_LISTED)), 'the notice says how many items there were');
  });

  test('select keeps only the named fields, applied before the cut; a bad path is an error before any request', async () => {
    const selected = await call(session.client, 'execute_tool', { name: 'items.list_items', arguments: {}, select: ['id'] });
    assert.ok(!selected.isError, textOf(selected));
    const [status, body] = textOf(selected).split('\n');
    assert.equal(status, 'HTTP 200');
    const items = JSON.parse(body!) as Array<Record<string, unknown>>;
    assert.deepEqual(items.slice(0, 3), [{ id: 0 }, { id: 1 }, { id: 2 }]);
    const whole = JSON.parse(textOf(await call(session.client, 'execute_tool', { name: 'items.list_items', arguments: {} })).split('\n')[1]!) as unknown[];
    assert.ok(items.length > whole.length * 2, `select before the cut: ${items.length} ids shown against ${whole.length} whole items`);
    const missed = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 3 }, select: ['id', 'name'] });
    assert.match(textOf(missed), /^HTTP 200\n\{"id":3\}\n\[select: "name" matched nothing; the result's fields: id, label\]$/);
    const sent = requests().length;
    const bad = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 3 }, select: ['label..x'] });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /invalid_arguments.*empty field name/);
    assert.equal(requests().length, sent, 'nothing was sent');
  });

  test('a redirect to an undeclared host is refused', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.get_moved', arguments: {} });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /refused_host/);
    assert.match(textOf(result), /example\.com/);
  });

  test('no secret in results or logs', async () => {
    await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } });
    assert.ok(!session.stderr().includes(ITEMS_KEY), 'stderr logs hold no secret');
    const described = await call(session.client, 'describe_tools', { names: ['items.get_item'] });
    assert.ok(!textOf(described).includes(ITEMS_KEY));
    assert.match(textOf(described), /configured/);
  });
});


test('the server exits when the client closes its stdin, stopping upstream servers with it', { timeout: 60_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../helpers/mcp-client.js');
  const child = spawn(process.execPath, [BIN, 'serve', '--mode', 'dynamic', '--mcp', `mem=${process.execPath} node_modules/@modelcontextprotocol/server-memory/dist/index.js`], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  await new Promise<void>((resolve) => {
    const wait = setInterval(() => stderr.includes('"msg":"ready"') && (clearInterval(wait), resolve()), 50);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  assert.equal(await exited, 0, stderr.slice(-2000));
  clearTimeout(timer);
});
