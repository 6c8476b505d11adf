// The MCP Inspector's CLI (a client we did not write) lists and calls our tools, over HTTP and over stdio.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { spawnHttpServe, type ServeProcess } from '../helpers/http-serve.js';
import { BIN } from '../helpers/mcp-client.js';

const INSPECTOR_CLI = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/inspector-cli/build/cli.js', import.meta.url));
/** Bound on one Inspector run: it starts node twice (its launcher, its client) and, over stdio, toolshed. */
const INSPECTOR_TIMEOUT_MS = 60_000;

async function inspect(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [INSPECTOR_CLI, '--cli', ...args], { timeout: INSPECTOR_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.slice(stdout.indexOf('{')));
}

const META_TOOLS = ['describe_tools', 'execute_tool', 'search_tools'];
/** The meta-tools listed (run_code joins them when Code Mode is on). */
const metaToolsIn = (listed: Record<string, unknown>) => (listed.tools as Array<{ name: string }>).map((t) => t.name).filter((n) => META_TOOLS.includes(n)).sort();
const textOf = (result: Record<string, unknown>) => (result.content as Array<{ text: string }>).map((c) => c.text).join('\n');

describe('MCP Inspector CLI over Streamable HTTP', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnHttpServe([]);
  });
  after(() => serve?.stop());

  test('tools/list', async () => {
    assert.deepEqual(metaToolsIn(await inspect([serve.url, '--transport', 'http', '--method', 'tools/list'])), META_TOOLS);
  });

  test('tools/call search_tools', async () => {
    const result = await inspect([serve.url, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=create an issue']);
    assert.notEqual(result.isError, true);
    assert.match(textOf(result), /^1\. github\.issues_create: Create an issue/);
  });
});

describe('MCP Inspector CLI over stdio', () => {
  test('tools/list', async () => {
    assert.deepEqual(metaToolsIn(await inspect([process.execPath, BIN, 'serve', '--method', 'tools/list'])), META_TOOLS);
  });

  test('tools/call search_tools', async () => {
    const result = await inspect([process.execPath, BIN, 'serve', '--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=create an issue']);
    assert.match(textOf(result), /^1\. github\.issues_create: Create an issue/);
  });
});
