// A hand-made catalog that exercises what real specs rarely combine in one place: recursion (direct,
// through a map, and an alias cycle TypeScript would reject), kebab names that collide once
// PascalCased, globals as def names, enums, nullables, unions, intersections, maps, no-input tools.
import type { JsonSchema, ToolEntry } from '../../src/catalog/tool-entry.js';

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

const USER: JsonSchema = {
  type: 'object',
  required: ['login', 'id'],
  properties: { login: { type: 'string' }, id: { type: 'integer' }, name: { type: ['string', 'null'] }, url: { type: 'string' } },
};

export const DEMO_DEFS: Record<string, JsonSchema> = {
  'tree-node': {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      children: { type: 'array', items: ref('tree-node') },
      parent: { anyOf: [ref('tree-node'), { type: 'null' }] },
      status: ref('status'),
    },
  },
  status: { type: 'string', enum: ['active', 'archived'] },
  'json-value': {
    oneOf: [
      { type: ['string', 'number', 'boolean', 'null'] },
      { type: 'array', items: ref('json-value') },
      { type: 'object', additionalProperties: ref('json-value') },
    ],
  },
  // An alias cycle: `type A = B | null; type B = A & {...}` does not compile, so one edge must give.
  'cycle-a': { anyOf: [ref('cycle-b'), { type: 'null' }] },
  'cycle-b': { allOf: [ref('cycle-a'), { type: 'object', properties: { x: { type: 'integer' } } }] },
  'foo-bar': { type: 'object', properties: { kebab: { type: 'boolean' } } },
  foo_bar: { type: 'object', properties: { snake: { type: 'boolean' } } },
  error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
  record: { type: 'object', properties: { key: { type: 'string' } } },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  // The same shape copied out with null added, as GitHub does: emitted as `User | null`.
  user: USER,
  'nullable-user': { ...USER, type: ['object', 'null'] },
};

function tool(name: string, summary: string, input: JsonSchema, output?: JsonSchema): ToolEntry {
  return {
    namespace: 'demo',
    name,
    id: `demo.${name}`,
    summary,
    description: '',
    tags: [],
    input: { root: input, defs: DEMO_DEFS },
    ...(output ? { output: { root: output, defs: DEMO_DEFS } } : {}),
    annotations: {},
    binding: { kind: 'mcp', upstreamName: name },
  };
}

export const DEMO_TOOLS: ToolEntry[] = [
  tool(
    'get_node',
    'Get a node',
    { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The node id. Opaque.' } } },
    ref('tree-node'),
  ),
  tool(
    'list_nodes',
    'List nodes, newest first',
    {
      type: 'object',
      properties: {
        status: { ...ref('status'), description: 'Only nodes in this state' },
        sort: { type: 'string', enum: ['created', 'updated'], description: 'What to sort by' },
        since: { type: 'string', format: 'date-time', description: 'Only nodes updated after this time. ISO 8601.' },
        per_page: { type: 'integer', description: 'Results per page (max 100)' },
        page: { type: 'integer', description: 'Page number of the results to fetch' },
      },
    },
    {
      type: 'object',
      required: ['total_count', 'items'],
      properties: { total_count: { type: 'integer' }, items: { type: 'array', items: ref('tree-node') }, next_cursor: { type: ['string', 'null'] } },
    },
  ),
  tool('ping', 'Check the service is up', { type: 'object', properties: {} }),
  tool('get_owner', 'Get the owner of a node, if any', { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, ref('nullable-user')),
  tool(
    'put_value',
    'Store a JSON value under a key',
    {
      type: 'object',
      required: ['key', 'body'],
      properties: {
        key: { type: 'string' },
        body: {
          type: 'object',
          required: ['value'],
          properties: { value: ref('json-value'), labels: ref('labels'), 'x-trace': { type: 'string', description: 'Free text' } },
        },
      },
    },
    { oneOf: [ref('record'), ref('error')] },
  ),
  tool(
    'odd_names',
    'Types whose names collide or shadow globals',
    {
      type: 'object',
      required: ['a'],
      properties: { a: ref('foo-bar'), b: ref('foo_bar'), c: ref('cycle-a') },
    },
    { type: 'array', items: { anyOf: [ref('foo-bar'), ref('foo_bar')] } },
  ),
];

/** Exercises the declarations from a program, as run_code would; `@ts-expect-error` lines must fail. */
export const DEMO_USAGE = `
async function main(): Promise<void> {
  const node = await demo.get_node({ id: 'n1' });
  const name: string = node.name;
  const kids: demo.TreeNode[] | undefined = node.children;
  const parentName: string | undefined = node.parent?.name;
  const status: 'active' | 'archived' | undefined = node.status;
  const page = await demo.list_nodes({ status: 'active', per_page: 10 });
  const total: number = page.total_count;
  await demo.list_nodes();
  await demo.ping();
  const stored = await demo.put_value({ key: 'k', body: { value: { a: [1, 'x', null, { b: true }] }, 'x-trace': 't' } });
  if ('message' in stored) { const m: string = stored.message; }
  const odd = await demo.odd_names({ a: { kebab: true }, b: { snake: false } });
  const owner: demo.User | null = await demo.get_owner({ id: 'n1' });
  // @ts-expect-error id is required
  await demo.get_node({});
  // @ts-expect-error status is an enum
  await demo.list_nodes({ status: 'deleted' });
  // @ts-expect-error ping takes no input
  await demo.ping({ x: 1 });
  void [name, kids, parentName, status, total, odd, owner];
}
void main;
`;
