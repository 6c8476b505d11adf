// The producer graph on real catalogs (vendored specs, LiveMCPBench's MCP tools): which operation
// gives each value another one needs.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { loadTools } from '../../bench/search/run-bench.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { buildProducerGraph, type ProducerGraph } from '../../src/search/producer-graph.js';

const spec = (name: string) => `${name}=${fileURLToPath(new URL(`../fixtures/multistep/specs/${name}.json.br`, import.meta.url))}`;
const livemcp = fileURLToPath(new URL('../fixtures/livemcpbench/tools.json', import.meta.url));

let tools: ToolEntry[];
let graph: ProducerGraph;
const route = (id: string) => {
  const t = tools.find((x) => x.id === id)!;
  return t.binding.kind === 'http' ? `${t.binding.method} ${t.binding.path}` : t.id;
};
/** `param ← METHOD /path` for each need of the tool at `METHOD /path` in `namespace`. */
const needsAt = (namespace: string, at: string) => {
  const t = tools.find((x) => x.namespace === namespace && x.binding.kind === 'http' && `${x.binding.method} ${x.binding.path}` === at);
  assert.ok(t, `${namespace} has ${at}`);
  return (graph.needs[t.id] ?? []).map((n) => `${n.param} ← ${route(n.from)}`);
};

before(async () => {
  ({ tools } = await loadTools(['traccar', 'airflow', 'asana', 'discourse'].map(spec), [livemcp]));
  graph = buildProducerGraph(tools);
});

test('a bare {id} is produced by the list of the resource the path names', () => {
  assert.deepEqual(needsAt('traccar', 'PUT /devices/{id}'), ['id ← GET /devices']);
  assert.deepEqual(needsAt('traccar', 'DELETE /geofences/{id}'), ['id ← GET /geofences']);
  assert.deepEqual(needsAt('traccar', 'GET /devices'), []);
});

test('an optional id filter of a report is produced too (the report is about that thing)', () => {
  assert.deepEqual(needsAt('traccar', 'GET /reports/route'), ['deviceId ← GET /devices', 'groupId ← GET /groups']);
});

test('named ids: the response field of the same name, from the shortest plan the consumer can run', () => {
  assert.deepEqual(needsAt('airflow', 'POST /dags/{dag_id}/dagRuns/{dag_run_id}/clear'), ['dag_id ← GET /dags', 'dag_run_id ← GET /dags/{dag_id}/dagRuns']);
  assert.deepEqual(needsAt('asana', 'GET /projects/{project_gid}/tasks'), ['project_gid ← GET /projects']);
  assert.deepEqual(needsAt('asana', 'POST /sections/{section_gid}/addTask'), ['section_gid ← GET /projects/{project_gid}/sections']);
});

test('producers stay in their catalog', () => {
  for (const [id, needs] of Object.entries(graph.needs)) {
    const namespace = id.slice(0, id.indexOf('.'));
    for (const need of needs) assert.ok(need.from.startsWith(`${namespace}.`), `${id} ← ${need.from}`);
  }
});

test('MCP tools: an input named like a thing is produced by the tool that lists or searches it', () => {
  const needs = (id: string) => (graph.needs[id] ?? []).map((n) => `${n.param} ← ${n.from}`);
  assert.deepEqual(needs('arxiv_mcp_server.read_paper'), ['paper_id ← arxiv_mcp_server.search_papers']);
  assert.deepEqual(needs('met_museum.get_museum_object'), ['objectId ← met_museum.search_museum_objects']);
  assert.deepEqual(needs('docker_mcp.get_logs'), ['container_name ← docker_mcp.list_containers']);
});

test('values most of a catalog needs are its context, not lookups; the graph is plain JSON', async () => {
  const { tools: gh } = await loadTools(['github=catalogs/github.json.br'], []);
  const github = buildProducerGraph(gh);
  assert.ok(github.context.github?.some((key) => key.startsWith('repo<-')), JSON.stringify(github.context));
  assert.equal(graph.context.traccar, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(graph)), graph);
});
