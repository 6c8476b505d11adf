import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_LINK_KEYWORD } from '../../src/catalog/schema-converter.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { emitCatalogDeclarations, emitToolDeclarations, signatureLine } from '../../src/codegen/declarations.js';
import { planCodegen } from '../../src/codegen/codegen-plan.js';
import { DEMO_TOOLS, DEMO_USAGE } from './demo-catalog.js';
import { compileErrors } from './ts-compile.js';

const byName = (name: string) => DEMO_TOOLS.find((t) => t.name === name)!;

describe('hand-made catalog', () => {
  const declarations = emitCatalogDeclarations('demo', DEMO_TOOLS);

  test('compiles, and a program calling it type-checks (including expected errors)', () => {
    assert.deepEqual(compileErrors({ 'demo.d.ts': declarations, 'usage.ts': DEMO_USAGE }), []);
  });

  test('a wrong call is a type error', () => {
    const errors = compileErrors({ 'demo.d.ts': declarations, 'bad.ts': 'void demo.get_node({ id: 1 });' });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /bad\.ts\(1,\d+\): Type 'number' is not assignable to type 'string'/);
  });

  test('recursion stays finite and the alias cycle is cut', () => {
    assert.match(declarations, /interface TreeNode \{\n {4}name: string;\n {4}children\?: TreeNode\[\];/);
    assert.match(declarations, /type JsonValue = string \| number \| boolean \| JsonValue\[\] \| \{ \[key: string\]: JsonValue \} \| null;/);
    assert.match(declarations, /type CycleA = CycleB \| null;\n/);
    assert.match(declarations, /interface CycleB \{\n {4}x\?: number;\n {2}\}/); // was `CycleA & { x?: number }`
  });

  test('each shared type is declared once', () => {
    const declared = [...declarations.matchAll(/^ {2}(?:interface|type) (\w+)/gm)].map((m) => m[1]);
    assert.equal(new Set(declared).size, declared.length);
    assert.ok(declared.includes('TreeNode') && declared.includes('Record_') && declared.includes('FooBar2'));
  });

  test('no input → no parameter; all-optional input → optional parameter; no output → unknown', () => {
    assert.match(declarations, /function ping\(\): Promise<unknown>;/);
    assert.match(declarations, /function list_nodes\(input\?: \{/);
  });

  test('an input that is a map keeps its parameter', () => {
    const map: ToolEntry = { ...byName('ping'), name: 'set_tags', id: 'demo.set_tags', input: { root: { type: 'object', additionalProperties: { type: 'string' } }, defs: {} } };
    assert.equal(signatureLine(map), 'demo.set_tags(input?: Record<string, string>): Promise<unknown>');
    assert.equal(signatureLine({ ...map, input: { root: { type: 'object', additionalProperties: false }, defs: {} } }), 'demo.set_tags(): Promise<unknown>');
  });

  test('input property docs are one line after their member; output and shared types carry none', () => {
    assert.match(declarations, /\n {4}id: string; \/\/ The node id\n/);
    assert.doesNotMatch(declarations, /Opaque/);
    assert.equal(emitCatalogDeclarations('demo', DEMO_TOOLS, { inputDocs: false }).includes('The node id'), false);
  });

  test('a name that cannot be declared is a bug, reported by throwing', () => {
    const bad: ToolEntry = { ...byName('ping'), name: 'delete', id: 'demo.delete' };
    assert.throws(() => emitCatalogDeclarations('demo', [bad]), /'delete' is not a declarable identifier/);
    assert.throws(() => emitCatalogDeclarations('other', DEMO_TOOLS), /not in namespace 'other'/);
  });
});

describe('emitToolDeclarations', () => {
  test('only the named tools and the types they reach', () => {
    const text = emitToolDeclarations([byName('get_node')]);
    assert.match(text, /function get_node\(/);
    assert.doesNotMatch(text, /function ping|JsonValue|FooBar/);
    assert.deepEqual([...text.matchAll(/^ {2}(?:interface|type) (\w+)/gm)].map((m) => m[1]), ['TreeNode', 'Status']);
    assert.deepEqual(compileErrors({ 'one.d.ts': text }), []);
  });

  test('one block per namespace', () => {
    const other: ToolEntry = { ...byName('ping'), namespace: 'other', id: 'other.ping' };
    const text = emitToolDeclarations([byName('ping'), other]);
    assert.equal(text, 'declare namespace demo {\n  /** Check the service is up */\n  function ping(): Promise<unknown>;\n}\n\ndeclare namespace other {\n  /** Check the service is up */\n  function ping(): Promise<unknown>;\n}\n');
  });

  test('with the catalog plan, a subset prints names and shapes as the full catalog does', () => {
    const plan = planCodegen(DEMO_TOOLS);
    const defs = DEMO_TOOLS[0]!.input.defs;
    // A tool carrying only its own closure, as the loader builds it: it never mentions foo-bar or user.
    const sub: ToolEntry = {
      ...byName('ping'),
      name: 'sub',
      id: 'demo.sub',
      input: { root: { type: 'object', properties: { b: { $ref: '#/$defs/foo_bar' } } }, defs: { foo_bar: defs.foo_bar! } },
      output: { root: { $ref: '#/$defs/nullable-user' }, defs: { 'nullable-user': defs['nullable-user']! } },
    };
    const alone = emitToolDeclarations([sub]);
    assert.match(alone, /interface FooBar \{/);
    assert.match(alone, /type NullableUser = \{ login: string; id: number; name\?: string \| null; url\?: string \} \| null;/);
    const planned = emitToolDeclarations([sub], { plan });
    assert.match(planned, /interface FooBar2 \{/);
    assert.match(planned, /type NullableUser = User \| null;\n {2}interface User \{/);
    assert.equal(signatureLine(sub, { plan }), 'demo.sub(input?: { b?: FooBar2 }): Promise<NullableUser>');
    assert.deepEqual(compileErrors({ 'alone.d.ts': alone }), []);
    assert.deepEqual(compileErrors({ 'planned.d.ts': planned }), []);
  });

  test('a copied shape is shared; small coincidental shapes are not', () => {
    const text = emitCatalogDeclarations('demo', DEMO_TOOLS);
    assert.match(text, /type NullableUser = User \| null;/);
    assert.match(text, /interface FooBar \{\n {4}kebab\?: boolean;\n {2}\}/);
  });
});

describe('describe_tools view: depth levels of result fields', () => {
  const link = { type: 'string', [API_LINK_KEYWORD]: true };
  const defs = {
    repo: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'integer' }, url: link, forks_url: link, html_url: { type: 'string' }, owner: { $ref: '#/$defs/owner' }, permissions: { type: 'object', properties: { admin: { type: 'boolean' } } } },
    },
    owner: { type: 'object', properties: { login: { type: 'string' }, url: link, plan: { type: 'object', properties: { name: { type: 'string' } } } } },
  };
  const getRepo: ToolEntry = {
    ...byName('ping'),
    name: 'get_repo',
    id: 'demo.get_repo',
    input: {
      root: { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'The repository name' }, settings: { type: 'object', properties: { topics: { type: 'object', properties: { add: { type: 'array', items: { type: 'string' } } } } } } } },
      defs: {},
    },
    output: { root: { $ref: '#/$defs/repo' }, defs },
  };
  // The same owner type, but an argument: the model builds it, so it is printed whole at any depth.
  const setOwner: ToolEntry = { ...getRepo, name: 'set_owner', id: 'demo.set_owner', input: { root: { type: 'object', properties: { owner: { $ref: '#/$defs/owner' } } }, defs }, output: { root: { type: 'boolean' }, defs: {} } };

  test('depth 1: the result type\'s own fields; nested objects as `object`, API links counted, named types not declared, one comment', () => {
    const text = emitToolDeclarations([getRepo], { depth: 1 });
    assert.equal(
      text,
      [
        'declare namespace demo {',
        '  /** Check the service is up */',
        '  function get_repo(input: {',
        '    name: string; // The repository name',
        '    settings?: { topics?: { add?: string[] } };',
        '  }): Promise<Repo>;',
        '',
        '  interface Repo { id: number; html_url?: string; owner?: Owner; permissions?: object; /* +2 API links */ }',
        '  // describe_tools depth 2 declares the named types, nested objects and API links left out here.',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('depth 2: one level more of each, and the next comment', () => {
    const text = emitToolDeclarations([getRepo], { depth: 2 });
    assert.match(text, /\n {2}interface Repo \{ id: number; url\?: string; forks_url\?: string; html_url\?: string; owner\?: Owner; permissions\?: \{ admin\?: boolean \} \}\n/);
    assert.match(text, /\n {2}interface Owner \{ login\?: string; plan\?: object; \/\* \+1 API link \*\/ \}\n/);
    assert.match(text, /describe_tools depth 3 declares/);
  });

  test('without a depth (run_code\'s declarations) nothing is left out, and no comment', () => {
    const text = emitToolDeclarations([getRepo]);
    assert.match(text, /url\?: string;\n {4}forks_url\?: string;/);
    assert.match(text, /plan\?: \{ name\?: string \}/);
    assert.doesNotMatch(text, /object;|API link|describe_tools/);
    assert.deepEqual(compileErrors({ 'full.d.ts': text }), []);
  });

  test('a type an input reaches is printed whole, whatever the depth', () => {
    const text = emitToolDeclarations([setOwner], { depth: 1 });
    assert.match(text, /\n {2}interface Owner \{ login\?: string; url\?: string; plan\?: \{ name\?: string \} \}\n/);
    assert.doesNotMatch(text, /describe_tools depth/);
  });
});

describe('signatureLine', () => {
  test('one line, namespace-qualified, same types as the declaration', () => {
    assert.equal(signatureLine(byName('get_node')), 'demo.get_node(input: { id: string }): Promise<TreeNode>');
    assert.equal(signatureLine(byName('ping')), 'demo.ping(): Promise<unknown>');
    for (const tool of DEMO_TOOLS) assert.doesNotMatch(signatureLine(tool), /\n/);
  });

  test('a long input type is referred to by name, declared beside the function', () => {
    const wide: ToolEntry = {
      ...byName('get_node'),
      name: 'search_nodes',
      id: 'demo.search_nodes',
      input: {
        root: { type: 'object', properties: Object.fromEntries(['query', 'owner', 'repository', 'label', 'milestone', 'assignee'].map((k) => [k, { type: 'string', description: `The ${k}` }])) },
        defs: byName('get_node').input.defs,
      },
    };
    assert.equal(signatureLine(wide), 'demo.search_nodes(input?: SearchNodesInput): Promise<TreeNode>');
    const text = emitCatalogDeclarations('demo', [wide]);
    assert.match(text, /function search_nodes\(input\?: SearchNodesInput\): Promise<TreeNode>;\n {2}interface SearchNodesInput \{\n {4}query\?: string; \/\/ The query\n/);
    assert.deepEqual(compileErrors({ 'wide.d.ts': text }), []);
  });
});
