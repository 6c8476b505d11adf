import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mcpToolsToEntries, namespaceFromServerName } from '../../src/catalog/mcp-tools.js';
import { createArgsValidator } from '../../src/exec/validate-args.js';

test('names become unique snake_case identifiers; the upstream name stays in the binding', () => {
  const entries = mcpToolsToEntries({
    namespace: 'srv',
    tools: [{ name: 'get-sum' }, { name: 'getSum' }, { name: 'get_sum' }, { name: '12306-query' }, { name: 'search' }],
  });
  assert.deepEqual(entries.map((e) => e.name), ['get_sum', 'get_sum_2', 'get_sum_3', '_12306_query', 'search']);
  assert.deepEqual(entries.map((e) => e.id), ['srv.get_sum', 'srv.get_sum_2', 'srv.get_sum_3', 'srv._12306_query', 'srv.search']);
  assert.deepEqual(entries[1]!.binding, { kind: 'mcp', upstreamName: 'getSum' });
});

test('summary is the first sentence of the description, else the title, else the name in words', () => {
  const [a, b, c] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      { name: 'read_file', description: 'Read the complete contents of a file. Handles various encodings.\nMore text.' },
      { name: 'echo', title: 'Echo Tool', description: '' },
      { name: 'list_allowed_directories' },
    ],
  });
  assert.equal(a!.summary, 'Read the complete contents of a file');
  assert.equal(a!.description, 'Read the complete contents of a file. Handles various encodings.\nMore text.');
  assert.equal(b!.summary, 'Echo Tool');
  assert.equal(c!.summary, 'list allowed directories');
});

test('annotations keep the known hints and the title; null annotations (static files) are fine', () => {
  const [a, b] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      { name: 'a', title: 'A tool', annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: 'yes', custom: 1 } },
      { name: 'b', annotations: null },
    ],
  });
  assert.deepEqual(a!.annotations, { title: 'A tool', readOnlyHint: true, destructiveHint: false });
  assert.deepEqual(b!.annotations, {});
});

test('$schema is dropped, a missing input schema is an empty object, output schemas are kept', () => {
  const [a, b] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      {
        name: 'weather',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], $schema: 'http://json-schema.org/draft-07/schema#' },
        outputSchema: { type: 'object', properties: { temperature: { type: 'number' } }, $schema: 'http://json-schema.org/draft-07/schema#' },
      },
      { name: 'ping' },
    ],
  });
  assert.deepEqual(a!.input, { root: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, defs: {} });
  assert.deepEqual(a!.output, { root: { type: 'object', properties: { temperature: { type: 'number' } } }, defs: {} });
  assert.deepEqual(b!.input, { root: { type: 'object' }, defs: {} });
  assert.equal(b!.output, undefined);
});

test('$defs and definitions are lifted into defs and refs rewritten to #/$defs', () => {
  const [entry] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      {
        name: 'create',
        inputSchema: {
          type: 'object',
          properties: { entity: { $ref: '#/$defs/Entity' }, relation: { $ref: '#/definitions/Relation' } },
          $defs: { Entity: { type: 'object', properties: { name: { type: 'string' }, related: { type: 'array', items: { $ref: '#/definitions/Relation' } } } } },
          definitions: { Relation: { type: 'object', properties: { from: { type: 'string' } } } },
        },
      },
    ],
  });
  assert.deepEqual(entry!.input.root, { type: 'object', properties: { entity: { $ref: '#/$defs/Entity' }, relation: { $ref: '#/$defs/Relation' } } });
  assert.deepEqual(Object.keys(entry!.input.defs).sort(), ['Entity', 'Relation']);
  assert.deepEqual(entry!.input.defs.Entity!.properties, { name: { type: 'string' }, related: { type: 'array', items: { $ref: '#/$defs/Relation' } } });
});

test('JSON-pointer refs (zod-to-json-schema style) and root recursion become named defs', () => {
  // The shape of LiveMCPBench's mindmap tool: a recursive node referenced by pointer into the root.
  const [entry] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      {
        name: 'generate_mind_map',
        inputSchema: {
          type: 'object',
          properties: {
            data: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/properties/data' } } } },
            again: { $ref: '#' },
            external: { $ref: 'https://example.com/schema.json', description: 'kept, as any value' },
          },
        },
      },
    ],
  });
  const { root, defs } = entry!.input;
  const props = root.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(props.data!.properties, { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/generate_mind_map_data' } } });
  assert.deepEqual(props.again, { $ref: '#/$defs/generate_mind_map_input' });
  assert.deepEqual(props.external, { description: 'kept, as any value' });
  assert.deepEqual(Object.keys(defs).sort(), ['generate_mind_map_data', 'generate_mind_map_input']);
  // The lifted node refers to itself by its new name, so recursion stays finite.
  assert.deepEqual((defs.generate_mind_map_data!.properties as Record<string, unknown>).children, { type: 'array', items: { $ref: '#/$defs/generate_mind_map_data' } });
  // And the whole thing validates with the executor's validator.
  const validator = createArgsValidator();
  assert.equal(validator.validate(entry!, { data: { name: 'root', children: [{ name: 'leaf', children: [] }] } }), undefined);
  assert.match(validator.validate(entry!, { data: { name: 'root', children: [{ name: 7 }] } })?.message ?? '', /name.*must be string/);
});

test('one def name means one schema across the namespace: identical defs are shared, different ones renamed', () => {
  const item = { type: 'object', properties: { id: { type: 'string' } } };
  const other = { type: 'object', properties: { id: { type: 'integer' } } };
  const [a, b, c] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [
      { name: 'a', inputSchema: { type: 'object', properties: { x: { $ref: '#/$defs/Item' } }, $defs: { Item: item } } },
      { name: 'b', inputSchema: { type: 'object', properties: { x: { $ref: '#/$defs/Item' } }, $defs: { Item: item } } },
      { name: 'c', inputSchema: { type: 'object', properties: { x: { $ref: '#/$defs/Item' } }, $defs: { Item: other } } },
    ],
  });
  assert.deepEqual(Object.keys(a!.input.defs), ['Item']);
  assert.deepEqual(Object.keys(b!.input.defs), ['Item']);
  assert.deepEqual(Object.keys(c!.input.defs), ['Item_2']);
  assert.deepEqual(c!.input.root.properties, { x: { $ref: '#/$defs/Item_2' } });
  assert.deepEqual(c!.input.defs.Item_2, other);
});

test('server names become namespace identifiers as their users read them', () => {
  assert.equal(namespaceFromServerName('bing-cn-mcp'), 'bing_cn_mcp');
  assert.equal(namespaceFromServerName('GitHub'), 'github');
  assert.equal(namespaceFromServerName('Ant Design Components'), 'ant_design_components');
  assert.equal(namespaceFromServerName('12306-mcp'), '_12306_mcp');
});

test("draft-04 boolean exclusiveMinimum (LiveMCPBench's pdf reader) becomes the numeric form, so validation runs", () => {
  const [entry] = mcpToolsToEntries({
    namespace: 'srv',
    tools: [{ name: 'read_pdf', inputSchema: { type: 'object', properties: { page: { type: 'integer', minimum: 0, exclusiveMinimum: true }, n: { type: 'integer', exclusiveMaximum: false } } } }],
  });
  assert.deepEqual(entry!.input.root.properties, { page: { type: 'integer', exclusiveMinimum: 0 }, n: { type: 'integer' } });
  assert.match(createArgsValidator().validate(entry!, { page: 0 })?.message ?? '', /page.*must be > 0/);
});
