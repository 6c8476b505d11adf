import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { API_LINK_KEYWORD } from '../../src/catalog/schema-converter.js';
import { CatalogLoadError } from '../../src/errors.js';

const OAS = 'node_modules/@readme/oas-examples';
const VENDORED = 'test/fixtures/openapi'; // real documents with their licences (LICENSES.md there)
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Operation count straight from the raw document, independent of the loader's mapping. */
function countOperations(doc: { paths: Record<string, Record<string, unknown>> }): number {
  return Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).filter((k) => METHODS.includes(k)).length, 0);
}
const readJson = (path: string) => JSON.parse(path.endsWith('.br') ? brotliDecompressSync(readFileSync(path)).toString() : readFileSync(path, 'utf8'));

describe('real documents load with the right operation counts', () => {
  const cases: Array<[string, string, number?]> = [
    ['GitHub REST (bundled)', 'catalogs/github.json.br', 1223],
    ['petstore Swagger 2.0', `${OAS}/2.0/json/petstore.json`],
    ['petstore OpenAPI 3.0', `${OAS}/3.0/json/petstore.json`],
    ['petstore OpenAPI 3.1', `${OAS}/3.1/json/petstore.json`],
    ['petstore OpenAPI 3.0 YAML', `${OAS}/3.0/yaml/petstore.yaml`],
    ['star-trek (no operationIds)', `${OAS}/3.0/json/star-trek.json`],
    ['Stripe', `${VENDORED}/stripe.com.json.br`],
    ['Slack', `${VENDORED}/slack.com.json.br`],
    ['Kubernetes', `${VENDORED}/kubernetes.io.json.br`],
    ['AWS SQS (#Action= paths)', `${VENDORED}/amazonaws.com-sqs.json.br`],
    ['Apideck CRM', `${VENDORED}/apideck.com-crm.json.br`],
  ];
  for (const [label, source, expected] of cases) {
    test(label, async () => {
      const catalog = await loadOpenApiCatalog({ source });
      const independent = source.endsWith('.yaml') ? countOperations(readJson(source.replace(/yaml/g, 'json'))) : countOperations(readJson(source));
      if (expected !== undefined) assert.equal(independent, expected);
      assert.equal(catalog.tools.length, independent);
      assert.equal(new Set(catalog.tools.map((t) => t.id)).size, catalog.tools.length, 'tool ids are unique');
      for (const tool of catalog.tools) {
        assert.match(tool.name, /^[a-z_][a-z0-9_]*$/, `${tool.name} is snake_case`);
        assert.ok(!tool.summary.includes('\n'), `${tool.id} summary is one line`);
        JSON.stringify(tool.input); // finite: a cycle would throw here
        if (tool.output) JSON.stringify(tool.output);
      }
    });
  }
});

test('GitHub operations map to the expected entries', async () => {
  const catalog = await loadOpenApiCatalog({ source: 'catalogs/github.json.br', namespace: 'github' });
  const create = catalog.tools.find((t) => t.id === 'github.issues_create');
  assert.ok(create && create.binding.kind === 'http');
  assert.equal(create.binding.method, 'POST');
  assert.equal(create.binding.path, '/repos/{owner}/{repo}/issues');
  assert.equal(create.binding.servers[0]!.url, 'https://api.github.com');
  assert.deepEqual(create.input.root.required, ['owner', 'repo', 'body']);
  assert.equal(create.input.root.additionalProperties, false);
  assert.deepEqual(create.binding.body, { property: 'body', contentType: 'application/json', required: true });
  assert.equal(create.output?.root.$ref, '#/$defs/issue', 'the 201 response schema, by name');
  assert.ok(create.output?.defs['simple-user'], 'output defs hold the referenced types transitively');
  assert.deepEqual(create.annotations, { title: create.summary, readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
  const get = catalog.tools.find((t) => t.id === 'github.repos_get')!;
  assert.equal(get.annotations.readOnlyHint, true);
  assert.equal(get.annotations.idempotentHint, true);
  const del = catalog.tools.find((t) => t.id === 'github.repos_delete')!;
  assert.equal(del.annotations.destructiveHint, true);
});

test('operations without operationId get stable names from method and path', async () => {
  const catalog = await loadOpenApiCatalog({ source: `${OAS}/3.0/json/star-trek.json` });
  const names = catalog.tools.map((t) => t.name);
  assert.ok(names.includes('get_animal'), names.slice(0, 5).join());
  assert.ok(names.includes('post_animal_search'));
  const again = await loadOpenApiCatalog({ source: `${OAS}/3.0/json/star-trek.json` });
  assert.deepEqual(again.tools.map((t) => t.name), names, 'names are stable across loads');
});

test('Swagger 2.0 parameters, bodies, servers and security map onto the OpenAPI 3 shape', async () => {
  const catalog = await loadOpenApiCatalog({ source: `${OAS}/2.0/json/petstore.json` });
  const add = catalog.tools.find((t) => t.name === 'add_pet')!;
  assert.ok(add.binding.kind === 'http');
  assert.equal(add.binding.servers[0]!.url, 'http://petstore.swagger.io/v2');
  assert.equal(add.binding.body?.contentType, 'application/json');
  assert.deepEqual(add.input.root.properties, { body: { $ref: '#/$defs/Pet', description: 'Pet object that needs to be added to the store' } });
  assert.deepEqual(add.binding.security, [[{ scheme: 'petstore_auth', scopes: ['write:pets', 'read:pets'] }]]);
  assert.deepEqual(catalog.securitySchemes.api_key, { type: 'apiKey', in: 'header', name: 'api_key' });
  const byStatus = catalog.tools.find((t) => t.name === 'find_pets_by_status')!;
  assert.ok(byStatus.binding.kind === 'http');
  assert.deepEqual(byStatus.binding.parameters.map((p) => [p.name, p.in, p.style, p.explode]), [['status', 'query', 'form', true]]);
  const upload = catalog.tools.find((t) => t.name === 'upload_file')!;
  assert.ok(upload.binding.kind === 'http');
  assert.equal(upload.binding.body?.contentType, 'multipart/form-data');
});

test('circular schemas survive and stay finite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-circular-'));
  const path = join(dir, 'tree.json');
  writeFileSync(path, JSON.stringify({
    openapi: '3.1.0', info: { title: 'Tree', version: '1' }, servers: [{ url: 'https://tree.example' }],
    paths: { '/nodes': { post: { operationId: 'addNode', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } }, responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } } },
    components: { schemas: { Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, parent: { $ref: '#/components/schemas/Node' } } } } },
  }));
  const [tool] = (await loadOpenApiCatalog({ source: path })).tools;
  assert.equal(tool!.name, 'add_node');
  assert.deepEqual(tool!.input.defs.Node, { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } }, parent: { $ref: '#/$defs/Node' } } });
  assert.ok(JSON.stringify(tool!.output).length < 400);
});

test('a string whose example is a URL on the API\'s own host is marked an API link; other URLs are not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-links-'));
  const path = join(dir, 'repos.json');
  const str = (example: string) => ({ type: 'string', example });
  writeFileSync(path, JSON.stringify({
    openapi: '3.0.3', info: { title: 'Repos', version: '1' }, servers: [{ url: 'https://api.repos.example/v1' }],
    paths: { '/repos/{id}': { get: { operationId: 'getRepo', parameters: [{ name: 'id', in: 'path', required: true, schema: str('42') }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Repo' } } } } } } } },
    components: { schemas: { Repo: { type: 'object', properties: {
      url: str('https://api.repos.example/v1/repos/42'),
      // Written http:// for an https:// API, and a URI template: still links back into the API.
      forks_url: str('http://api.repos.example/v1/repos/42/forks{/page}'),
      html_url: str('https://repos.example/octo/hello'),
      clone_url: str('git@repos.example:octo/hello.git'),
      name: str('hello'),
    } } } },
  }));
  const [tool] = (await loadOpenApiCatalog({ source: path })).tools;
  const props = tool!.output!.defs.Repo!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(props).filter((k) => props[k]![API_LINK_KEYWORD] === true), ['url', 'forks_url']);
  assert.deepEqual(props.html_url, { type: 'string' }, 'examples are still dropped');
});

describe('a bad document fails at start-up naming the file and the pointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-broken-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cases: Array<[string, string, RegExp]> = [
    ['invalid JSON', write('bad.json', '{"openapi": "3.0.0", "info": '), /bad\.json.*invalid JSON\/YAML/s],
    ['invalid YAML', write('bad.yaml', 'openapi: 3.0.0\ninfo: {title: x\n  paths: ['), /bad\.yaml.*invalid JSON\/YAML/s],
    ['no paths', write('nopaths.json', JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' } })), /nopaths\.json at #\/paths: the document has no paths/],
    ['unsupported version', write('old.json', JSON.stringify({ swagger: '1.2', info: {}, paths: {} })), /old\.json at #\/swagger: unsupported version "1\.2"/],
    ['missing file', join(dir, 'nowhere.json'), /nowhere\.json/],
  ];
  for (const [label, path, message] of cases) {
    test(label, async () => {
      await assert.rejects(loadOpenApiCatalog({ source: path }), (e: unknown) => {
        assert.ok(e instanceof CatalogLoadError, `a CatalogLoadError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

test('a document served over http(s) loads, YAML included, and relative servers resolve against its URL', async () => {
  const { createServer } = await import('node:http');
  const yaml = readFileSync(`${OAS}/3.0/yaml/petstore.yaml`, 'utf8').replace(/servers:\n(\s+- url: .*\n)+/, 'servers:\n  - url: /v3\n');
  const server = createServer((req, res) => {
    if (req.url === '/specs/petstore.yaml') res.writeHead(200, { 'content-type': 'application/yaml' }).end(yaml);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/specs/petstore.yaml`;
    const catalog = await loadOpenApiCatalog({ source: url, namespace: 'pets' });
    assert.equal(catalog.tools.length, 20);
    const tool = catalog.tools[0]!;
    assert.ok(tool.binding.kind === 'http');
    assert.equal(tool.binding.servers[0]!.url, new URL('/v3', url).toString());
  } finally {
    server.close();
  }
});
