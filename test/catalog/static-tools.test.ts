// Static MCP sources: LiveMCPBench's real tools.json (527 tools of 70 servers) and tools/list files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadStaticTools, staticToolCatalogs } from '../../src/catalog/static-tools.js';
import { planCodegen } from '../../src/codegen/codegen-plan.js';
import { emitCatalogDeclarations } from '../../src/codegen/declarations.js';
import { CatalogLoadError } from '../../src/errors.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { describeTools } from '../../src/server/describe-tools.js';
import { compileErrors } from '../codegen/ts-compile.js';

const LIVEMCPBENCH = fileURLToPath(new URL('../fixtures/livemcpbench/tools.json', import.meta.url));

describe("LiveMCPBench's tools.json as a static source", async () => {
  const catalogs = await loadStaticTools({ source: LIVEMCPBENCH });
  const tools = catalogs.flatMap((c) => c.tools);

  test('70 servers become 70 namespaces holding all 527 tools, with unique ids', () => {
    assert.equal(catalogs.length, 70);
    assert.equal(tools.length, 527);
    assert.equal(new Set(tools.map((t) => t.id)).size, 527);
    assert.ok(tools.every((t) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.namespace) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.name)));
    const arxiv = catalogs.find((c) => c.namespace === 'arxiv_mcp_server');
    assert.ok(arxiv, catalogs.map((c) => c.namespace).join(', '));
    assert.ok(arxiv.tools.some((t) => t.name === 'search_papers' && t.binding.kind === 'mcp' && t.binding.upstreamName === 'search_papers'));
    assert.ok(catalogs.some((c) => c.namespace === 'ant_design_components'), 'names with spaces become identifiers');
  });

  test('search finds the tools a task needs', async () => {
    const index = await buildSearchIndex(tools);
    const top = (query: string, n: number) => searchTools(index, query, n).map((h) => h.entry.id);
    assert.ok(top('search arxiv for papers about transformers', 5).some((id) => id.startsWith('arxiv_mcp_server.') || id.startsWith('mcp_simple_arxiv.')), top('search arxiv', 5).join());
    assert.ok(top('current weather forecast for a city', 5).some((id) => id.startsWith('weather.')), top('weather forecast', 5).join());
    assert.ok(top('convert between currencies exchange rate', 5).some((id) => id.startsWith('exchange_rate_mcp.')));
  });

  test('describe_tools works on static tools: schemas, no route, auth says it is not connected', () => {
    const entry = tools.find((t) => t.id === 'arxiv_mcp_server.search_papers')!;
    const { tools: [described] } = describeTools([entry], () => 'none');
    assert.equal(described!.route, undefined);
    assert.ok((described!.input.required as string[]).includes('query'));
  });

  test('Code Mode declarations for every namespace compile under strict TypeScript', () => {
    const plan = planCodegen(tools);
    const declarations = catalogs.map((c) => emitCatalogDeclarations(c.namespace, c.tools, { plan })).join('\n');
    assert.match(declarations, /declare namespace arxiv_mcp_server/);
    assert.deepEqual(compileErrors({ '/catalog.d.ts': declarations }), []);
  });
});

describe('tools/list files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-static-'));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const listing = { tools: [{ name: 'read-graph', description: 'Read the whole knowledge graph.', inputSchema: { type: 'object', properties: {} } }] };

  test('a tools/list result takes its namespace from NAME or from the file name', async () => {
    const [named] = await loadStaticTools({ source: write('memory-server.json', listing), namespace: 'mem' });
    assert.equal(named!.tools[0]!.id, 'mem.read_graph');
    const [unnamed] = await loadStaticTools({ source: write('memory-server.json', listing) });
    assert.equal(unnamed!.namespace, 'memory_server');
    assert.equal(unnamed!.tools[0]!.summary, 'Read the whole knowledge graph');
  });

  test('a bare array of tools is accepted too', () => {
    const [catalog] = staticToolCatalogs(listing.tools, { source: 'x.json', namespace: 'x' });
    assert.equal(catalog!.tools.length, 1);
  });

  test('mistakes are load errors naming the file and where', async () => {
    await assert.rejects(loadStaticTools({ source: join(dir, 'missing.json') }), (e: unknown) => e instanceof CatalogLoadError && /missing\.json: cannot read/.test(e.message));
    assert.throws(() => staticToolCatalogs({ servers: [] }, { source: 'x.json' }), /x\.json: expected a tools\/list result/);
    assert.throws(() => staticToolCatalogs({ tools: [{ description: 'no name' }] }, { source: 'x.json' }), /x\.json at \/tools\/0: a tool needs a "name"/);
    assert.throws(() => staticToolCatalogs([{ tools: { a: { tools: [] } } }], { source: 'x.json', namespace: 'n' }), /each loaded as its own namespace: give the file without NAME=/);
    assert.throws(() => staticToolCatalogs([{ tools: { a: { nope: 1 } } }], { source: 'x.json' }), /x\.json at \/0\/tools\/a: expected \{"tools"/);
  });
});
