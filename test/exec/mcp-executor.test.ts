// The MCP ToolExecutor: result mapping (pure) and calls through a real upstream (the everything server).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mcpToolsToEntries } from '../../src/catalog/mcp-tools.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createMcpExecutor, toExecResult } from '../../src/exec/mcp-executor.js';
import { createMcpUpstream, type McpUpstream } from '../../src/exec/mcp-upstream.js';
import { captureLog, everythingServer } from '../helpers/upstream-servers.js';

const [ENTRY] = mcpToolsToEntries({ namespace: 'srv', tools: [{ name: 'thing', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }] });
const entry = ENTRY!;

describe('toExecResult', () => {
  test('text content: value and text are the joined text; content passes through', () => {
    const content = [{ type: 'text' as const, text: 'line one' }, { type: 'text' as const, text: 'line two' }];
    assert.deepEqual(toExecResult(entry, { content }, 10_000), { ok: true, value: 'line one\nline two', text: 'line one\nline two', truncated: false, content });
  });

  test('structuredContent is the value (Code Mode returns it); text stays what the model reads', () => {
    const result = toExecResult(entry, { content: [{ type: 'text', text: '{"n":1}' }], structuredContent: { n: 1 } }, 10_000);
    assert.ok(result.ok);
    assert.deepEqual(result.value, { n: 1 });
    assert.equal(result.text, '{"n":1}');
    const bare = toExecResult(entry, { content: [], structuredContent: { n: 2 } }, 10_000);
    assert.ok(bare.ok && bare.text === '{"n":2}');
  });

  test('images and resources pass through unchanged; the text names them instead of inlining base64', () => {
    const content = [
      { type: 'image' as const, data: 'A'.repeat(4096), mimeType: 'image/png' },
      { type: 'resource' as const, resource: { uri: 'demo://a', mimeType: 'text/plain', text: 'resource body' } },
      { type: 'resource' as const, resource: { uri: 'demo://b', mimeType: 'application/gzip', blob: 'AAAA' } },
      { type: 'resource_link' as const, uri: 'demo://c', name: 'c' },
    ];
    const result = toExecResult(entry, { content }, 10_000);
    assert.ok(result.ok);
    assert.equal(result.content, content);
    assert.equal(result.text, '[image image/png, 3 KiB]\nresource body\n[resource demo://b (application/gzip)]\n[resource link demo://c "c"]');
    assert.equal(result.value, '', 'no text items: Code Mode gets an empty string');
  });

  test("an upstream isError is a failure carrying the upstream's message", () => {
    const result = toExecResult(entry, { isError: true, content: [{ type: 'text', text: 'Access denied - path outside allowed directories' }] }, 10_000);
    assert.deepEqual(result, { ok: false, failure: { code: 'upstream_error', message: 'srv.thing: Access denied - path outside allowed directories' } });
  });

  test('a long text is cut for the model with a notice; value keeps it whole', () => {
    const long = 'word '.repeat(5000);
    const result = toExecResult(entry, { content: [{ type: 'text', text: long }] }, 1000);
    assert.ok(result.ok && result.truncated);
    assert.ok(result.text.length < 1400, String(result.text.length));
    assert.equal(result.value, long);
  });
});

describe('createMcpExecutor', () => {
  test('a tool from a static list (no upstream) answers not_connected', async () => {
    const executor = createMcpExecutor({ upstream: () => undefined });
    const result = await executor.execute(entry, {});
    assert.ok(!result.ok);
    assert.equal(result.failure.code, 'not_connected');
    assert.match(result.failure.message, /srv\.thing comes from a static tool list/);
  });

  describe('against the everything server', () => {
    let upstream: McpUpstream;
    let tools: ToolEntry[] = [];
    before(async () => {
      upstream = createMcpUpstream({ name: 'everything', server: everythingServer(), log: captureLog().log, onTools: (t) => (tools = mcpToolsToEntries({ namespace: 'everything', tools: t })) });
      await upstream.start();
    });
    after(() => upstream.close());
    const tool = (name: string) => tools.find((t) => t.name === name)!;

    test('calls go through with the upstream name; arguments are checked first', async () => {
      const executor = createMcpExecutor({ upstream: () => upstream });
      const echo = await executor.execute(tool('echo'), { message: 'hello' });
      assert.ok(echo.ok);
      assert.equal(echo.value, 'Echo: hello');
      const bad = await executor.execute(tool('get_sum'), { a: 1, b: 'two' });
      assert.ok(!bad.ok);
      assert.equal(bad.failure.code, 'invalid_arguments');
      assert.match(bad.failure.message, /b.*must be number/);
    });

    test('an image passes through as image content', async () => {
      const result = await createMcpExecutor({ upstream: () => upstream }).execute(tool('get_tiny_image'), {});
      assert.ok(result.ok);
      const image = result.content?.find((c) => (c as { type: string }).type === 'image') as { mimeType: string; data: string } | undefined;
      assert.equal(image?.mimeType, 'image/png');
      assert.ok(image.data.length > 100);
      assert.match(result.text, /\[image image\/png/);
    });

    test('structured content is the value', async () => {
      const result = await createMcpExecutor({ upstream: () => upstream }).execute(tool('get_structured_content'), { location: 'New York' });
      assert.ok(result.ok);
      assert.deepEqual(Object.keys(result.value as object).sort(), ['conditions', 'humidity', 'temperature']);
    });

    test('a call over the time limit is a timeout', async () => {
      const executor = createMcpExecutor({ upstream: () => upstream, limits: { timeoutMs: 200 } });
      const result = await executor.execute(tool('trigger_long_running_operation'), { duration: 5, steps: 5 });
      assert.ok(!result.ok);
      assert.equal(result.failure.code, 'timeout');
    });
  });
});
