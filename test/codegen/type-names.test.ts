import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { isDeclarableName, pascalCase, planTypeNames } from '../../src/codegen/type-names.js';

const entry = (name: string, defs: string[], namespace = 'demo'): ToolEntry => ({
  namespace,
  name,
  id: `${namespace}.${name}`,
  summary: '',
  description: '',
  tags: [],
  input: { root: { type: 'object' }, defs: Object.fromEntries(defs.map((d) => [d, {}])) },
  annotations: {},
  binding: { kind: 'mcp', upstreamName: name },
});

test('pascalCase', () => {
  assert.equal(pascalCase('full-repository'), 'FullRepository');
  assert.equal(pascalCase('nullable-simple-user'), 'NullableSimpleUser');
  assert.equal(pascalCase('Pet'), 'Pet');
  assert.equal(pascalCase('pet.Category'), 'PetCategory');
  assert.equal(pascalCase('issues_create_input'), 'IssuesCreateInput');
  assert.equal(pascalCase('2fa-method'), 'T2faMethod');
  assert.equal(pascalCase('--'), 'T');
});

test('collisions are numbered, globals are suffixed, and tool order does not matter', () => {
  const tools = [entry('b', ['foo_bar', 'error', 'Promise']), entry('a', ['foo-bar', 'FooBar', 'FooBar2'])];
  const plan = planTypeNames(tools).get('demo')!;
  // Sorted raw names claim in order: FooBar, FooBar2, foo-bar, foo_bar.
  assert.deepEqual(Object.fromEntries(plan.defs), {
    FooBar: 'FooBar',
    FooBar2: 'FooBar2',
    'foo-bar': 'FooBar3',
    foo_bar: 'FooBar4',
    error: 'Error_',
    Promise: 'Promise_',
  });
  const reversed = planTypeNames([...tools].reverse()).get('demo')!;
  assert.deepEqual(Object.fromEntries(reversed.defs), Object.fromEntries(plan.defs));
  assert.equal(plan.toolTypes.get('a:input'), 'AInput');
});

test('tool type names yield to def names', () => {
  const plan = planTypeNames([entry('list_pets', ['list-pets-input'])]).get('demo')!;
  assert.equal(plan.defs.get('list-pets-input'), 'ListPetsInput');
  assert.equal(plan.toolTypes.get('list_pets:input'), 'ListPetsInput2');
});

test('namespaces are planned apart', () => {
  const names = planTypeNames([entry('a', ['user']), entry('b', ['user'], 'other')]);
  assert.equal(names.get('demo')!.defs.get('user'), 'User');
  assert.equal(names.get('other')!.defs.get('user'), 'User');
});

test('isDeclarableName', () => {
  assert.ok(isDeclarableName('repos_get'));
  assert.ok(!isDeclarableName('delete'));
  assert.ok(!isDeclarableName('2fa'));
  assert.ok(!isDeclarableName('a-b'));
});
