// Plans over real stdio: search_tools and describe_tools say which tool produces a value a result needs.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

const traccar = fileURLToPath(new URL('../fixtures/multistep/specs/traccar.json.br', import.meta.url));
let session: Awaited<ReturnType<typeof connectStdio>>;

before(async () => {
  session = await connectStdio(['serve', '--openapi', `traccar=${traccar}`]);
});
after(() => session.close());

interface Result {
  name: string;
  summary: string;
  route?: string;
  namespace: string;
  needs?: Array<{ param: string; from: string }>;
}

test('search_tools: a result that needs an id carries needs, its producer follows, the text says so', async () => {
  const result = await call(session.client, 'search_tools', { query: 'delete the geofence around the old office', limit: 5 });
  const { results } = result.structuredContent as { results: Result[] };
  const i = results.findIndex((r) => r.route === 'DELETE /geofences/{id}');
  assert.ok(i >= 0 && i < 3, JSON.stringify(results.map((r) => r.route)));
  const consumer = results[i]!;
  assert.deepEqual(consumer.needs, [{ param: 'id', from: 'traccar.get_geofences' }]);
  const producer = results.findIndex((r) => r.name === 'traccar.get_geofences');
  assert.ok(producer >= 0 && producer <= i + 1, `producer at ${producer}, consumer at ${i}`);
  // The fields results always had are all there, unchanged; `needs` is added beside them.
  assert.deepEqual({ ...consumer, needs: undefined, signature: undefined }, { name: 'traccar.delete_geofences_by_id', summary: 'Delete a Geofence', route: 'DELETE /geofences/{id}', namespace: 'traccar', needs: undefined, signature: undefined });
  assert.match(textOf(result), /\n {3}needs id: from traccar\.get_geofences\n/);
  // A result that needs nothing has no needs field.
  assert.ok(results.some((r) => r.needs === undefined));
});

test('search_tools: a value the request gives is not needed', async () => {
  const result = await call(session.client, 'search_tools', { query: 'delete geofence #42', limit: 5 });
  const { results } = result.structuredContent as { results: Result[] };
  const consumer = results.find((r) => r.route === 'DELETE /geofences/{id}');
  assert.ok(consumer);
  assert.equal(consumer.needs, undefined);
});

test('describe_tools shows the same needs', async () => {
  const result = await call(session.client, 'describe_tools', { names: ['traccar.delete_geofences_by_id', 'traccar.get_geofences'] });
  const { tools } = JSON.parse(textOf(result)) as { tools: Array<{ name: string; needs?: unknown }> };
  assert.deepEqual(tools[0]!.needs, [{ param: 'id', from: 'traccar.get_geofences' }]);
});
