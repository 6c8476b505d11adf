// The SDK's own Client over real stdio, spawning `toolshed serve` as a user's agent would.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
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
    assert.deepEqual(issue.required, ['owner', 'repo', 'body']);
    assert.deepEqual(issue.input.properties.body.required, ['title']);
    assert.equal(issue.output['number'], 'integer');
    assert.equal(pet.auth, 'API key in header "api_key" (not configured: set credentials.api_key in toolshed.config.json)');
    assert.deepEqual(pet.input.properties.petId.type, 'integer');
    assert.ok(described.$defs.Category, 'shared sub-schemas are named once under $defs');
    assert.equal(JSON.stringify(described).split('"Category":').length, 2, 'Category is printed once for the two tools that use it');
    assert.equal(described.tools[2].input.properties.body.$ref, '#/$defs/Pet');
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
  let api: http.Server;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  const requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  before(async () => {
    api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, headers: req.headers, body });
        const item = /^\/items\/(\d+)$/.exec(req.url ?? '');
        if (req.url === '/items' && req.method === 'GET') return json(res, 200, Array.from({ length: 5000 }, (_, i) => ({ id: i, label: `item ${i} `.repeat(4) })));
        if (req.url === '/moved') return res.writeHead(302, { location: 'http://example.com/elsewhere' }).end();
        if (item && req.method === 'GET') return item[1] === '404' ? json(res, 404, { message: 'Item 404 not found' }) : json(res, 200, { id: Number(item[1]), label: `item ${item[1]}` });
        if (req.url === '/items' && req.method === 'POST') return json(res, 201, { id: 1, ...JSON.parse(body) });
        json(res, 404, { message: 'no route' });
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const spec = {
      openapi: '3.0.3',
      info: { title: 'Items API', version: '1' },
      servers: [{ url: base }],
      components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
      security: [{ key: [] }],
      paths: {
        '/items': {
          get: { operationId: 'listItems', summary: 'List all items', responses: { 200: { description: 'ok' } } },
          post: { operationId: 'createItem', summary: 'Create an item', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] } } } } } }, responses: { 201: { description: 'created' } } },
        },
        '/items/{itemId}': { get: { operationId: 'getItem', summary: 'Fetch one item by its id', parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } },
        '/moved': { get: { operationId: 'getMoved', summary: 'A redirect elsewhere', responses: { 200: { description: 'ok' } } } },
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'toolshed-stdio-'));
    writeFileSync(join(dir, 'items.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'toolshed.config.json'), JSON.stringify({ catalogs: { items: { openapi: 'items.json', credentials: { key: { env: 'ITEMS_KEY' } } } }, limits: { maxResponseTokens: 2000 } }));
    session = await connectStdio(['serve', '--config', join(dir, 'toolshed.config.json')], { ITEMS_KEY: 'sk-test-secret-123' });
  });
  after(async () => {
    await session.close();
    api.close();
  });

  test('calls the real API with host-side credentials and returns status and body', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 7 } });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /^HTTP 200\n/);
    assert.deepEqual(JSON.parse(textOf(result).split('\n').slice(1).join('\n')), { id: 7, label: 'item 7' });
    const last = requests.at(-1)!;
    assert.equal(last.url, '/items/7');
    assert.equal(last.headers['x-api-key'], 'sk-test-secret-123');
    const created = await call(session.client, 'execute_tool', { name: 'create_item', arguments: { body: { label: 'new', kind: 'a' } } });
    assert.match(textOf(created), /^HTTP 201/);
    assert.deepEqual(JSON.parse(requests.at(-1)!.body), { label: 'new', kind: 'a' });
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
    assert.match(text, /5000/, 'the notice says how many items there were');
  });

  test('a redirect to an undeclared host is refused', async () => {
    const result = await call(session.client, 'execute_tool', { name: 'items.get_moved', arguments: {} });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /refused_host/);
    assert.match(textOf(result), /example\.com/);
  });

  test('no secret in results or logs', async () => {
    await call(session.client, 'execute_tool', { name: 'items.get_item', arguments: { itemId: 404 } });
    assert.ok(!session.stderr().includes('sk-test-secret-123'), 'stderr logs hold no secret');
    const described = await call(session.client, 'describe_tools', { names: ['items.get_item'] });
    assert.ok(!textOf(described).includes('sk-test-secret-123'));
    assert.match(textOf(described), /configured/);
  });
});

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

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
