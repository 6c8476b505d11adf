// Readable namespaces and callable names: from the title split on CamelCase and stripped of filler, from the
// server host when the title says nothing; reserved words and sandbox globals made safe, end to end in run_code.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { namespaceFor, safeNamespace, safeToolName } from '../../src/catalog/naming.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

describe('namespaces', () => {
  const cases: Array<[string, string[], string]> = [
    ['GitHub v3 REST API', [], 'github'],
    ['Swagger Petstore', [], 'petstore'],
    ['Star Trek API', [], 'star_trek'],
    ['SqlManagementClient', [], 'sql_management'],
    ["GitHub's official REST API OpenAPI description", [], 'github'],
    ['OData Service for namespace microsoft.graph', ['https://graph.microsoft.com/v1.0/'], 'microsoft_graph'],
    ['API', ['https://api.example-shop.com/v2'], 'example_shop'],
    ['The API', ['http://sqs.{region}.amazonaws.com'], 'amazonaws_sqs'],
    ['API', ['/relative'], 'api'],
  ];
  for (const [title, servers, expected] of cases) {
    test(`${JSON.stringify(title)} ${servers.join(' ')} → ${expected}`, () => assert.equal(namespaceFor(title, servers), expected));
  }
});

test('reserved words and sandbox globals get a trailing _', () => {
  assert.deepEqual(['delete', 'default', 'list', 'new'].map(safeToolName), ['delete_', 'default_', 'list', 'new_']);
  assert.deepEqual(['console', 'Math', 'globalThis', 'default', 'github'].map(safeNamespace), ['console_', 'Math_', 'globalThis_', 'default_', 'github']);
});

describe('run_code with a catalog titled "Console" whose operations are named delete and default', () => {
  let api: http.Server;
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    api = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url })));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const spec = {
      openapi: '3.0.3',
      info: { title: 'Console', version: '1' },
      servers: [{ url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` }],
      paths: {
        '/things/{id}': {
          delete: { operationId: 'delete', summary: 'Delete a thing', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
          get: { operationId: 'default', summary: 'Get the default thing', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
        },
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'toolshed-names-'));
    writeFileSync(join(dir, 'console.json'), JSON.stringify(spec));
    session = await connectStdio(['serve', '--openapi', join(dir, 'console.json'), '--embeddings', 'none']);
  });
  after(async () => {
    await session?.close();
    api?.close();
  });

  test('search shows the callable names, and a program calls them', async () => {
    const found = textOf(await call(session.client, 'search_tools', { query: 'delete a thing' }));
    assert.match(found, /console_\.delete_/);
    const result = await call(session.client, 'run_code', { code: 'const a = await console_.delete_({ id: "x" }); const b = await console_.default_({ id: "y" }); console.log("ok"); return [a, b];' });
    assert.ok(!result.isError, textOf(result));
    assert.match(textOf(result), /"method":"DELETE","url":"\/things\/x"/);
    assert.match(textOf(result), /"method":"GET","url":"\/things\/y"/);
  });
});
