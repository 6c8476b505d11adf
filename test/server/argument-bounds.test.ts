// Every meta-tool argument is bounded in its JSON Schema and the bound is enforced before any work: an
// oversized query or name comes back at once as an invalid_arguments result naming the bound (issue 19:
// a 1 MB query or name used to stall every session for seconds to minutes).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { RUN_MAX_WALL_MS } from '../../src/exec/code-runner.js';
import { boundQuery, MAX_QUERY_CHARS, MAX_QUERY_WORDS } from '../../src/search/search-index.js';
import { oversizedArgument } from '../../src/server/argument-bounds.js';
import { describeToolsDefinition, RUN_CODE_MAX_CHARS, RUN_TIMEOUT_MS_MAX, searchToolsDefinition } from '../../src/server/meta-tool-definitions.js';
import { TOOL_NAME_MAX_CHARS } from '../../src/server/resolve-name.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

/** Which bound a schema declares, or undefined: strings need maxLength or an enum, arrays maxItems, numbers a maximum. */
function unbounded(path: string, schema: Record<string, unknown>): string[] {
  const type = schema.type;
  if (type === 'string' && schema.maxLength === undefined && schema.enum === undefined) return [path];
  if (type === 'integer' || type === 'number') return schema.maximum === undefined ? [path] : [];
  if (type === 'array') return [...(schema.maxItems === undefined ? [path] : []), ...unbounded(`${path}[]`, (schema.items ?? {}) as Record<string, unknown>)];
  return [];
}

describe('meta-tool argument bounds', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  let tools: Tool[];
  before(async () => {
    session = await connectStdio(['serve', '--mode', 'both']);
    ({ tools } = await session.client.listTools());
  });
  after(() => session?.close());

  test('every string, array and number argument declares its bound in tools/list', () => {
    const missing = tools.flatMap((tool) =>
      Object.entries((tool.inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>).flatMap(([name, schema]) => unbounded(`${tool.name}.${name}`, schema)),
    );
    assert.deepEqual(missing, []);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema.properties as Record<string, Record<string, unknown>>]));
    assert.equal(byName.search_tools!.query!.maxLength, MAX_QUERY_CHARS);
    assert.equal((byName.describe_tools!.names!.items as Record<string, unknown>).maxLength, TOOL_NAME_MAX_CHARS);
    assert.equal(byName.execute_tool!.name!.maxLength, TOOL_NAME_MAX_CHARS);
    assert.equal(byName.run_code!.code!.maxLength, RUN_CODE_MAX_CHARS);
    assert.equal(RUN_TIMEOUT_MS_MAX, RUN_MAX_WALL_MS, 'the schema bound is the runner clamp');
  });

  const oversized: Array<[string, Record<string, unknown>, string]> = [
    ['search_tools', { query: 'create issue '.repeat(400_000 / 13) }, `NOT have more than ${MAX_QUERY_CHARS} characters`],
    ['describe_tools', { names: Array.from({ length: 20 }, (_, i) => `github.${'x'.repeat(200_000)}${i}`) }, `NOT have more than ${TOOL_NAME_MAX_CHARS} characters`],
    ['execute_tool', { name: `issues_create${'e'.repeat(100_000)}`, arguments: {} }, `NOT have more than ${TOOL_NAME_MAX_CHARS} characters`],
    ['run_code', { code: `return 1;${' '.repeat(RUN_CODE_MAX_CHARS)}` }, `NOT have more than ${RUN_CODE_MAX_CHARS} characters`],
    ['run_code', { code: 'return 1;', timeout_ms: RUN_TIMEOUT_MS_MAX + 1 }, `must be <= ${RUN_TIMEOUT_MS_MAX}`],
  ];
  for (const [tool, args, bound] of oversized) {
    test(`${tool}: an argument over its bound is invalid_arguments naming the bound`, async () => {
      const result = await call(session.client, tool, args);
      assert.equal(result.isError, true, textOf(result).slice(0, 200));
      assert.match(textOf(result), /^Error \(invalid_arguments\)/);
      assert.ok(textOf(result).includes(bound), textOf(result).slice(0, 300));
      assert.ok(textOf(result).length < 5000, 'the error does not echo the oversized value');
    });
  }

  test('names at the bound still get suggestions, and the session keeps answering', async () => {
    const result = await call(session.client, 'describe_tools', { names: ['github.isues_create'] });
    assert.match(textOf(result), /Did you mean github\.issues_create/);
    const long = await call(session.client, 'execute_tool', { name: 'q'.repeat(TOOL_NAME_MAX_CHARS), arguments: {} });
    assert.match(textOf(long), /^Error \(unknown_tool\)/);
    const search = await call(session.client, 'search_tools', { query: 'create an issue' });
    assert.match(textOf(search), /github\.issues_create/);
  });
});

describe('boundQuery: the searched part of a query', () => {
  test('keeps the first MAX_QUERY_WORDS words', () => {
    const words = Array.from({ length: MAX_QUERY_WORDS + 50 }, (_, i) => `w${i}`);
    const kept = boundQuery(words.join(' ')).split(' ');
    assert.equal(kept.length, MAX_QUERY_WORDS);
    assert.equal(kept.at(-1), `w${MAX_QUERY_WORDS - 1}`);
  });

  test('keeps at most MAX_QUERY_CHARS characters of one endless word', () => {
    assert.equal(boundQuery('a'.repeat(5_000_000)).length, MAX_QUERY_CHARS);
  });

  test('leaves an ordinary query as it is', () => {
    assert.equal(boundQuery('  open an issue on a repo '), '  open an issue on a repo ');
  });
});

describe('oversizedArgument: the bounds checked before the arguments are copied or counted', () => {
  const search = searchToolsDefinition.inputSchema as Record<string, unknown>;
  const describeSchema = describeToolsDefinition.inputSchema as Record<string, unknown>;

  test('a string certainly over its bound, an array over its count, an item over its length', () => {
    assert.equal(oversizedArgument(search, { query: 'x'.repeat(2 * MAX_QUERY_CHARS + 1) }), `arguments/query must NOT have more than ${MAX_QUERY_CHARS} characters`);
    assert.equal(oversizedArgument(describeSchema, { names: Array.from({ length: 21 }, () => 'a') }), 'arguments/names must NOT have more than 20 items');
    assert.equal(oversizedArgument(describeSchema, { names: ['a', 'b'.repeat(2 * TOOL_NAME_MAX_CHARS + 1)] }), `arguments/names/1 must NOT have more than ${TOOL_NAME_MAX_CHARS} characters`);
  });

  test('leaves to ajv what may be within the bound: astral characters count once but take two units', () => {
    const astral = '\u{1F600}'.repeat(MAX_QUERY_CHARS); // MAX_QUERY_CHARS code points, twice as many UTF-16 units
    assert.equal(oversizedArgument(search, { query: astral }), undefined);
    assert.equal(oversizedArgument(search, { query: 'create an issue', limit: 5 }), undefined);
    assert.equal(oversizedArgument(describeSchema, { names: 'not an array' }), undefined, 'type errors are ajv\'s to report');
  });
});
