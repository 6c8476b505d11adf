// A request that is a verb and a route's words names that route: "list users" is `GET /users`, not one of
// the many `/users/{id}/...` operations or "List lists".
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadTools } from '../../bench/search/run-bench.js';
import { routeOf, type ToolEntry } from '../../src/catalog/tool-entry.js';
import { createAnalyzer } from '../../src/search/analyze.js';
import { createRouteWords, namedRoutes } from '../../src/search/route-words.js';
import { buildSearchIndex, searchTools } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

const route = (t: ToolEntry) => routeOf(t) ?? '';

test('only a route whose words are the request, give or take its verbs, is named', async () => {
  const { tools } = await loadTools([`stripe=${fileURLToPath(new URL('../fixtures/openapi/stripe.com.json.br', import.meta.url))}`], []);
  const analyzer = createAnalyzer();
  const routes = createRouteWords(tools, analyzer);
  const named = (q: string) => namedRoutes(routes, analyzer.terms(q)).map((i) => route(tools[i]!)).sort();
  // Parameters are not words: the resource's item routes share its collection's.
  const customers = ['DELETE /v1/customers/{customer}', 'GET /v1/customers', 'GET /v1/customers/{customer}', 'POST /v1/customers', 'POST /v1/customers/{customer}'];
  assert.deepEqual(named('list customers'), customers);
  assert.deepEqual(named('show me all the customers'), customers);
  assert.ok(named('list payment intents').includes('GET /v1/payment_intents'));
  assert.deepEqual(named('list customers with an overdue invoice'), [], 'more than the route: not a name');
  assert.deepEqual(named('list'), [], 'a verb alone names nothing');
});

test('a catalog of many nested routes sharing the words: the route the request names comes first', async () => {
  const tools = [
    tool({ name: 'users_todo_list_lists', summary: 'List lists', path: '/users/{user-id}/todo/lists' }),
    tool({ name: 'me_todo_list_lists', summary: 'List lists', path: '/me/todo/lists' }),
    tool({ name: 'users_todo_get_lists', summary: 'Get lists from users', path: '/users/{user-id}/todo/lists/{list-id}' }),
    tool({ name: 'users_list_chats', summary: 'List chats', path: '/users/{user-id}/chats' }),
    tool({ name: 'users_list_people', summary: 'List people', path: '/users/{user-id}/people' }),
    tool({ name: 'education_list_users', summary: 'List educationUsers', path: '/education/users' }),
    tool({ name: 'users_user_list_user', summary: 'Get user', description: 'Retrieve the properties and relationships of user object.', path: '/users' }),
    tool({ name: 'users_user_get_user', summary: 'Get user', path: '/users/{user-id}' }),
  ];
  const index = await buildSearchIndex(tools);
  assert.equal(searchTools(index, 'list users', 3)[0]?.entry.name, 'users_user_list_user');
  assert.equal(searchTools(index, 'list todo lists', 3)[0]?.entry.name, 'me_todo_list_lists');
});
