// nginx (njs): where a request goes when the replica it was sent to failed before answering (502, 504)
// or answered 503. nginx itself never resends a POST once a replica has it (every MCP request is a
// POST); this decides, from the JSON-RPC body, when resending is harmless:
//   @mcp_retry  the request only reads (see isRetrySafe): resent to another replica
//   @mcp_again  toolshed answered 503 (loading, draining, at its session limit): it did nothing, resend once
//   @mcp_failed anything else: a clear 502, never a second execution of a call that may have taken effect
// Loaded by toolshed.conf with js_import; checked by test/deploy/nginx-cluster.test.ts.

// Methods that change nothing on the server (tasks/cancel twice is one cancellation).
const READS = ['initialize', 'ping', 'tools/list', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list',
  'prompts/get', 'completion/complete', 'logging/setLevel', 'tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel'];
// Meta-tools that only read the catalog.
const READ_TOOLS = ['search_tools', 'describe_tools'];
// toolshed refuses a call carrying this mark if it could change data (execute_tool, run_code's calls).
const READ_ONLY_META = 'io.toolshed/read-only';

function isRetrySafe(message) {
  if (message === null || typeof message !== 'object') return false;
  const method = message.method;
  if (typeof method !== 'string') return false;
  if (READS.indexOf(method) >= 0 || method.indexOf('notifications/') === 0) return true;
  if (method !== 'tools/call' || !message.params) return false;
  const params = message.params;
  if (READ_TOOLS.indexOf(params.name) >= 0) return true;
  return params._meta !== null && typeof params._meta === 'object' && params._meta[READ_ONLY_META] === true;
}

function bodyIsRetrySafe(r) {
  let body;
  try {
    body = JSON.parse(r.requestText); // undefined or a throw when the body is not in memory: not safe
  } catch (e) {
    return false;
  }
  if (Array.isArray(body)) return body.length > 0 && body.every(isRetrySafe); // a batch (2025-03-26)
  return isRetrySafe(body);
}

function retryTarget(r) {
  if (bodyIsRetrySafe(r)) return '@mcp_retry';
  // $upstream_status lists every attempt ("502, 503"); the last one is the replica's answer, if any.
  const statuses = String(r.variables.upstream_status || '').split(/[,:]\s*/);
  return statuses[statuses.length - 1].trim() === '503' ? '@mcp_again' : '@mcp_failed';
}

export default { retryTarget, isRetrySafe };
