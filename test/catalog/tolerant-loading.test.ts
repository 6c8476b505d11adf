// Tolerant loading on documents that reproduce the defects real specs carry (test/fixtures/openapi/tolerant):
// each unusable part costs only itself, with a warning naming its JSON pointer and what was done instead.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { loadOpenApiSources } from '../../src/catalog/load-sources.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';

const TOLERANT = 'test/fixtures/openapi/tolerant';
const silent = createLogger('silent');

test('$refs inside x- extensions are never followed: the Spotify class loads whole, without warnings', async () => {
  const catalog = await loadOpenApiCatalog({ source: `${TOLERANT}/vendor-extension.yaml` });
  assert.deepEqual(catalog.tools.map((t) => t.name), ['get_an_album', 'get_an_albums_tracks', 'save_albums_user']);
  assert.deepEqual(catalog.warnings, [], 'an unused component with a broken $ref is not a problem either');
  const album = catalog.tools[0]!;
  assert.equal(album.output?.root.$ref, '#/$defs/Album');
  assert.ok(album.output?.defs.Track, 'the internal refs beside the extension still resolve');
});

test('one broken part per operation costs that part only, each with its pointer and reason', async () => {
  const catalog = await loadOpenApiCatalog({ source: `${TOLERANT}/broken-parts.yaml` });
  assert.deepEqual(catalog.tools.map((t) => t.name), ['list_orders', 'create_order', 'get_order', 'cancel_order', 'get_order_note', 'health_check']);
  assert.equal(catalog.openSchemas, 3);
  assert.equal(catalog.skipped, 1);
  const warnings = new Map(catalog.warnings!.map((w) => [w.pointer, w]));
  const expect = (pointer: string, effect: string, reason: RegExp) => {
    const w = warnings.get(pointer);
    assert.ok(w, `a warning at ${pointer}; got ${[...warnings.keys()].join(', ')}`);
    assert.equal(w.effect, effect, pointer);
    assert.match(w.reason, reason);
  };
  expect('#/paths/~1orders/get/parameters/1', 'ignored', /broken \$ref "#\/components\/parameters\/PageSize".*left out/);
  expect('#/paths/~1orders/post/requestBody/content/application~1json/schema', 'open_schema', /missing-file\.yaml/);
  expect('#/paths/~1orders~1{orderId}/get/responses/200/content/application~1json/schema', 'open_schema', /#\/components\/schemas\/OrderView/);
  expect('#/paths/~1orders~1{orderId}~1notes~1{noteId}/get', 'open_schema', /path parameter "noteId".*required string/);
  expect('#/paths/~1customers', 'skipped', /#\/components\/pathItems\/Customers/);
  expect('line 65, column 5', 'ignored', /duplicated key "get"/);
  assert.equal(catalog.warnings!.length, 6, 'one warning per problem');

  const byName = new Map(catalog.tools.map((t) => [t.name, t]));
  // The external file that exists is bundled; the one that does not leaves an open body.
  const list = byName.get('list_orders')!;
  assert.deepEqual(Object.keys(list.input.root.properties as object), ['status']);
  assert.equal(JSON.stringify(list.output).includes('sku'), true, 'schemas/order.yaml was bundled');
  const create = byName.get('create_order')!;
  assert.deepEqual(Object.keys((create.input.root.properties as Record<string, object>).body!), ['description']);
  assert.equal(create.output?.root.type, 'object');
  const note = byName.get('get_order_note')!;
  assert.deepEqual(note.input.root.required, ['orderId', 'noteId']);
  assert.equal(byName.get('health_check')!.summary, 'The duplicated key wins, as in JSON');
});

test('a Swagger 2.0 document with broken refs is tolerated the same way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-tolerant-'));
  const path = join(dir, 'pets.json');
  writeFileSync(path, JSON.stringify({
    swagger: '2.0', info: { title: 'Pets', version: '1' }, host: 'pets.example', basePath: '/v1',
    paths: {
      '/pets': { get: { operationId: 'listPets', parameters: [{ $ref: '#/parameters/Nope' }, { name: 'limit', in: 'query', type: 'integer' }], responses: { 200: { $ref: '#/responses/Gone' } } } },
      '/owners': { $ref: '#/x-missing' },
    },
  }));
  const catalog = await loadOpenApiCatalog({ source: path });
  assert.deepEqual(catalog.tools.map((t) => t.name), ['list_pets']);
  assert.deepEqual(Object.keys(catalog.tools[0]!.input.root.properties as object), ['limit']);
  assert.deepEqual(catalog.warnings!.map((w) => [w.pointer, w.effect]), [
    ['#/paths/~1pets/get/parameters/0', 'ignored'],
    ['#/paths/~1pets/get/responses/200', 'open_schema'],
    ['#/paths/~1owners', 'skipped'],
  ]);
});

test('one failing source does not stop the others; --strict refuses any problem', async () => {
  const sources = () => [
    { openapi: `${TOLERANT}/vendor-extension.yaml` },
    { openapi: `${TOLERANT}/does-not-exist.yaml` },
    { openapi: `${TOLERANT}/broken-parts.yaml` },
  ];
  const { loaded, notes } = await loadOpenApiSources(sources(), { log: silent });
  assert.deepEqual(loaded.map((l) => l.catalog.namespace), ['music_catalog', 'shop_orders']);
  assert.deepEqual(notes.map((n) => n.state), ['failed', 'partial']);
  assert.match(notes[0]!.message, /does-not-exist\.yaml: cannot read the file/);
  assert.match(notes[1]!.message, /shop_orders: 6 operations \(3 with open schemas, 1 skipped, 6 warnings\)/);
  await assert.rejects(loadOpenApiSources(sources(), { log: silent, strict: true }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /--strict: 2 catalog problem\(s\)/);
    return true;
  });
  // Without problems, --strict changes nothing.
  const clean = await loadOpenApiSources([{ openapi: `${TOLERANT}/vendor-extension.yaml` }], { log: silent, strict: true });
  assert.equal(clean.loaded.length, 1);
});

test('two documents with one title get distinct namespaces with a warning, never a crash', async () => {
  const { loaded, notes } = await loadOpenApiSources(
    [{ openapi: `${TOLERANT}/vendor-extension.yaml` }, { openapi: `${TOLERANT}/vendor-extension.yaml` }, { namespace: 'music_catalog_2', openapi: `${TOLERANT}/vendor-extension.yaml` }],
    { log: silent },
  );
  assert.deepEqual(loaded.map((l) => l.catalog.namespace), ['music_catalog', 'music_catalog_3', 'music_catalog_2']);
  assert.deepEqual(loaded[1]!.catalog.tools.map((t) => t.id).slice(0, 1), ['music_catalog_3.get_an_album']);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!.message, /music_catalog_3/);
  assert.equal(loaded[1]!.catalog.warnings!.at(-1)!.effect, 'renamed');
});
