// The SDK's TaskStore for one session's server, over the shared backend: every task belongs to the
// session or principal that created it, and is "not found" for anyone else (the spec's isolation rule).
// The SDK passes the transport's session id; the owner is resolved by us instead, because in stateless
// mode there is none and a principal (an authenticated client) spans sessions and replicas.
import type { TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { TaskBackend } from './task-backend.js';

export function ownedTaskStore(backend: TaskBackend, owner: () => string, pollInterval: number): TaskStore {
  const mine = async (taskId: string) => {
    const record = await backend.get(taskId);
    return record && record.owner === owner() ? record : undefined;
  };
  return {
    createTask: (params) => backend.create({ owner: owner(), ttl: params.ttl ?? null, pollInterval: params.pollInterval ?? pollInterval }),
    getTask: async (taskId) => (await mine(taskId))?.task ?? null,
    async storeTaskResult(taskId, status, result) {
      if (await mine(taskId)) await backend.finish(taskId, status, result);
    },
    async getTaskResult(taskId) {
      const record = await mine(taskId);
      if (!record?.result) throw new Error(`task ${taskId} has no result`);
      return record.result;
    },
    async updateTaskStatus(taskId, status, statusMessage) {
      if (!(await mine(taskId))) throw new Error(`task ${taskId} not found`);
      await backend.update(taskId, status, statusMessage);
    },
    listTasks: (cursor) => backend.list(owner(), cursor),
  };
}
