// deploy/nginx/mcp-retry.js decides which MCP requests nginx may send again after a replica failed
// mid-request. It is plain njs-compatible JavaScript, so node imports it as is; the nginx cluster test
// (nginx-cluster.test.ts) runs it inside Debian's nginx.
import assert from 'node:assert/strict';
import { test } from 'node:test';

interface NjsRequest {
  requestText?: string;
  variables: { upstream_status?: string };
}
const { default: retry } = (await import(new URL('../../deploy/nginx/mcp-retry.js', import.meta.url).href)) as {
  default: { retryTarget(r: NjsRequest): string; isRetrySafe(message: unknown): boolean };
};

const call = (name: string, extra: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {}, ...extra } });
const target = (body: unknown, upstreamStatus = '502') => retry.retryTarget({ requestText: typeof body === 'string' ? body : JSON.stringify(body), variables: { upstream_status: upstreamStatus } });

test('reads and calls marked read-only are resent; anything else gets the clear 502', () => {
  for (const method of ['initialize', 'tools/list', 'tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel', 'notifications/initialized']) {
    assert.equal(target({ jsonrpc: '2.0', id: 1, method }), '@mcp_retry', method);
  }
  assert.equal(target(call('search_tools')), '@mcp_retry');
  assert.equal(target(call('describe_tools')), '@mcp_retry');
  assert.equal(target(call('run_code', { _meta: { 'io.toolshed/read-only': true } })), '@mcp_retry');
  assert.equal(target(call('execute_tool', { _meta: { 'io.toolshed/read-only': true } })), '@mcp_retry');
  assert.equal(target(call('execute_tool')), '@mcp_failed');
  assert.equal(target(call('run_code', { _meta: { 'io.toolshed/read-only': 'yes' } })), '@mcp_failed');
  assert.equal(target(call('run_code', { task: { ttl: 1000 } })), '@mcp_failed');
  assert.equal(target({ jsonrpc: '2.0', id: 1, method: 'sampling/createMessage' }), '@mcp_failed');
});

test('the decision reads the JSON-RPC structure, not text that looks like it', () => {
  // A program whose source mentions a read method and the mark is still a call that may write.
  const code = 'await items.create_item({ body: { method: "tools/list", "io.toolshed/read-only": true } }); return 1;';
  assert.equal(target(call('run_code', { arguments: { code } })), '@mcp_failed');
  assert.equal(target(call('execute_tool', { arguments: { name: 'search_tools', arguments: { method: 'ping' } } })), '@mcp_failed');
});

test('a batch is resent only when every request in it may be', () => {
  assert.equal(target([{ jsonrpc: '2.0', id: 1, method: 'ping' }, call('search_tools')]), '@mcp_retry');
  assert.equal(target([{ jsonrpc: '2.0', id: 1, method: 'ping' }, call('execute_tool')]), '@mcp_failed');
  assert.equal(target([]), '@mcp_failed');
});

test('a replica that answered 503 did nothing: any request goes once more; no body in memory is never a read', () => {
  assert.equal(target(call('execute_tool'), '503'), '@mcp_again');
  assert.equal(target(call('execute_tool'), '502, 503'), '@mcp_again');
  assert.equal(target(call('execute_tool'), '503 : 502'), '@mcp_failed');
  assert.equal(retry.retryTarget({ variables: { upstream_status: '502' } }), '@mcp_failed');
  assert.equal(target('{"jsonrpc":"2.0","method":"tools/li'), '@mcp_failed');
});
