// MCP Tasks from the client side, for tests.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';

/** tools/call with task augmentation: the task, at once. */
export async function startTask(client: Client, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) {
  const created = await client.request({ method: 'tools/call', params: { name, arguments: args, task: { ttl: 60_000 }, ...(meta ? { _meta: meta } : {}) } }, CreateTaskResultSchema);
  return created.task;
}
