// Issue 14's budgets for describe_tools, counted as the results cross the wire (o200k tokens of the
// JSON-RPC result) from the real bin serving the embedded GitHub catalog over stdio. The figures with the
// measured baseline beside them: bench/lean-goals.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { median } from '../../src/bench/step-table.js';
import { parseTasks, toolsOf } from '../../src/bench/task-file.js';
import { call, connectStdio, textOf } from '../helpers/mcp-client.js';

/** The median describe_tools result for one tool (the suite's tools), in either format. */
const DESCRIBE_ONE_MEDIAN_MAX_TOKENS = 400;
/** describe_tools format typescript for one common GitHub tool. */
const DESCRIBE_TS_MAX_TOKENS = 600;
const COMMON = ['github.issues_create', 'github.repos_get', 'github.pulls_list'];
const SUITE_TOOLS = [...new Set(parseTasks(JSON.parse(readFileSync('bench/tasks/github.json', 'utf8'))).flatMap(toolsOf))];

const wireTokens = (result: CallToolResult) => encode(JSON.stringify(result)).length;

describe('describe_tools within its budgets (GitHub, --mode both)', () => {
  let session: Awaited<ReturnType<typeof connectStdio>>;
  before(async () => {
    session = await connectStdio(['serve', '--mode', 'both']);
  });
  after(async () => {
    await session?.close();
  });

  test(`typescript for ${COMMON.join(', ')}: at most ${DESCRIBE_TS_MAX_TOKENS} tokens each, deeper types named and not declared`, async () => {
    for (const name of COMMON) {
      const result = await call(session.client, 'describe_tools', { names: [name], format: 'typescript' });
      assert.ok(!result.isError, textOf(result));
      const tokens = wireTokens(result);
      assert.ok(tokens <= DESCRIBE_TS_MAX_TOKENS, `${name}: ${tokens} tokens`);
      assert.match(textOf(result), /describe_tools depth 2 declares/);
      assert.doesNotMatch(textOf(result), /interface (NullableSimpleUser|SimpleUser) /, `${name}: a type two steps away is named, not declared`);
    }
  });

  test('depth 2 shows what depth 1 left out: API links, nested objects and the named types', async () => {
    const text = textOf(await call(session.client, 'describe_tools', { names: ['github.repos_get'], format: 'typescript', depth: 2 }));
    assert.match(text, /interface FullRepository \{ id: number; node_id: string; [^\n]*url: string; [^\n]*permissions\?: \{ admin: boolean;/);
    assert.match(text, /\n {2}interface SimpleUser \{ /);
  });

  for (const format of ['json_schema', 'typescript']) {
    test(`${format}: the median result for one of the suite's ${SUITE_TOOLS.length} tools is at most ${DESCRIBE_ONE_MEDIAN_MAX_TOKENS} tokens`, async () => {
      const tokens: number[] = [];
      for (const name of SUITE_TOOLS) {
        const result = await call(session.client, 'describe_tools', { names: [name], format });
        assert.ok(!result.isError, `${name}: ${textOf(result)}`);
        tokens.push(wireTokens(result));
      }
      assert.ok(median(tokens) <= DESCRIBE_ONE_MEDIAN_MAX_TOKENS, `median ${median(tokens)} of ${tokens.join(', ')}`);
    });
  }
});
