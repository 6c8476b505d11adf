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

test('the GET of the collection a path parameter indexes produces it, not a list of another kind sharing its last noun', () => {
  // Asana: a team's memberships, not a portfolio's (both end in "memberships").
  assert.deepEqual(needsAt('asana', 'GET /team_memberships/{team_membership_gid}'), ['team_membership_gid ← GET /team_memberships']);
  assert.notDeepEqual(needsAt('asana', 'GET /project_memberships/{project_membership_gid}'), ['project_membership_gid ← GET /portfolio_memberships']);
});

test('of two lists that each need one more value, the one scoped by what most of the catalog needs (all teams of a workspace, not one user\'s)', () => {
  assert.deepEqual(needsAt('asana', 'POST /teams/{team_gid}/addUser'), ['team_gid ← GET /workspaces/{workspace_gid}/teams']);
  assert.deepEqual(needsAt('asana', 'GET /teams/{team_gid}/users'), ['team_gid ← GET /workspaces/{workspace_gid}/teams']);
});

test('a parameter declared with an enum is picked by the caller, not needed from a lookup', () => {
  // Discourse's user lists take a flag (active, new, staff, …): a list that needs nothing else.
  assert.deepEqual(needsAt('discourse', 'GET /admin/users/list/{flag}.json'), []);
});

test('GitHub: issue and pull-request comments come from their own lists, reviews from the reviews list', async () => {
  const { tools: gh } = await loadTools(['github=catalogs/github.json.br'], []);
  const g = buildProducerGraph(gh);
  const at = (r: string) => {
    const t = gh.find((x) => x.binding.kind === 'http' && `${x.binding.method} ${x.binding.path}` === r)!;
    return Object.fromEntries((g.needs[t.id] ?? []).map((n) => {
      const from = gh.find((x) => x.id === n.from)!;
      return [n.param, from.binding.kind === 'http' ? `${from.binding.method} ${from.binding.path}` : from.id];
    }));
  };
  assert.equal(at('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}').comment_id, 'GET /repos/{owner}/{repo}/issues/comments');
  assert.equal(at('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}').comment_id, 'GET /repos/{owner}/{repo}/pulls/comments');
  assert.equal(at('PATCH /repos/{owner}/{repo}/comments/{comment_id}').comment_id, 'GET /repos/{owner}/{repo}/comments');
  assert.equal(at('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}').review_id, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews');
});

test('a list is paired with the read of one of its items (the details an answer often needs)', () => {
  const detail = (namespace: string, at: string) => {
    const t = tools.find((x) => x.namespace === namespace && x.binding.kind === 'http' && `${x.binding.method} ${x.binding.path}` === at)!;
    const item = graph.details?.[t.id];
    return item === undefined ? undefined : route(item);
  };
  assert.equal(detail('airflow', 'GET /dags'), 'GET /dags/{dag_id}');
  assert.equal(detail('airflow', 'GET /dags/{dag_id}/dagRuns'), 'GET /dags/{dag_id}/dagRuns/{dag_run_id}');
  assert.equal(detail('asana', 'GET /projects'), 'GET /projects/{project_gid}');
  assert.equal(detail('traccar', 'GET /devices'), undefined, 'Traccar reads no single device');
});

test('a search of the resource is the other way to a value: the thing named in words', () => {
  const searchesAt = (namespace: string, at: string) => {
    const t = tools.find((x) => x.namespace === namespace && x.binding.kind === 'http' && `${x.binding.method} ${x.binding.path}` === at)!;
    return (graph.searches?.[t.id] ?? []).map((n) => `${n.param} ← ${route(n.from)}`);
  };
  assert.deepEqual(needsAt('asana', 'PUT /tasks/{task_gid}'), ['task_gid ← GET /tasks']);
  assert.deepEqual(searchesAt('asana', 'PUT /tasks/{task_gid}'), ['task_gid ← GET /workspaces/{workspace_gid}/tasks/search']);
  // Nothing lists Discourse's topics (`/t/{id}`): the catalog-wide search is the way to one.
  assert.deepEqual(needsAt('discourse', 'PUT /t/{id}/status.json'), ['id ← GET /search.json']);
  // A list that a wide search returns (`posts`) makes it the search for a post.
  assert.ok(searchesAt('discourse', 'PUT /posts/{id}.json').includes('id ← GET /search.json'));
  assert.deepEqual(searchesAt('traccar', 'PUT /devices/{id}'), [], 'no search in the catalog, none named');
});

test('searches on catalogs not used while building: a search of the same resource, in the same catalog, taking free text', async () => {
  const { tools: others } = await loadTools(
    ['stripe.com', 'apideck.com-crm', 'slack.com'].map((f) => `${f.split(/[.-]/)[0]}=${fileURLToPath(new URL(`../fixtures/openapi/${f}.json.br`, import.meta.url))}`),
    [],
  );
  const g = buildProducerGraph(others);
  const byId = new Map(others.map((t) => [t.id, t]));
  const entries = Object.entries(g.searches ?? {});
  assert.ok(entries.length > 20, `searches found: ${entries.length}`);
  for (const [id, list] of entries) {
    for (const need of list) {
      const search = byId.get(need.from)!;
      assert.equal(search.namespace, byId.get(id)!.namespace);
      assert.ok(search.binding.kind === 'http' && /search|query|find/i.test(`${search.name} ${search.binding.path}`), need.from);
      assert.ok(g.needs[id]!.some((n) => n.param === need.param && n.from !== need.from), `${id}: ${need.param} also has a list`);
    }
  }
  const customer = others.find((t) => t.binding.kind === 'http' && t.binding.method === 'GET' && t.binding.path === '/v1/customers/{customer}')!;
  assert.deepEqual(g.searches?.[customer.id]?.map((n) => byId.get(n.from)!.binding.kind === 'http' && (byId.get(n.from)!.binding as { path: string }).path), ['/v1/customers/search']);
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
