// A task's run, in process with a real toolshed, Code Mode and API: its calls wait until its task is known to
// be still working (the read that tells runs beside the program's compile and type-check), and are refused,
// never made, when the task was cancelled or expired before it ran. runTaskJob hands a run that answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { runTaskJobCall } from '../../src/cli-tasks.js';
import { readConfigFile } from '../../src/config.js';
import { createCodeRunner } from '../../src/exec/code-runner.js';
import { createCodeMode, type CodeMode } from '../../src/server/code-mode.js';
import { createMemoryTaskBackend } from '../../src/tasks/memory-task-backend.js';
import { runTaskJob, type TaskJob } from '../../src/tasks/task-queue.js';
import { openToolshed, type Toolshed } from '../../src/toolshed.js';
import { ITEMS_KEY, startItemsApi, type ItemsApi } from '../helpers/items-api.js';

const log = pino({ level: 'silent' });
const text = (result: { content: Array<{ type: string; text?: string }> }) => result.content.map((c) => c.text ?? '').join('\n');

describe('a task run waits for its task to be cleared', () => {
  let api: ItemsApi;
  let toolshed: Toolshed;
  let codeMode: CodeMode;
  const runner = createCodeRunner({ poolSize: 1 });
  before(async () => {
    api = await startItemsApi();
    process.env.ITEMS_KEY = ITEMS_KEY;
    toolshed = await openToolshed(await readConfigFile(api.configPath), log);
    await toolshed.ready;
    codeMode = createCodeMode({ toolshed, runner, typecheck: true });
    // Warm: the first run loads the compiler (seconds on a loaded machine); the wait below is for one program.
    await codeMode.run({ code: 'return 0;' }, { signal: new AbortController().signal, sendNotification: async () => undefined });
  });
  after(async () => {
    await runner.close();
    await toolshed?.close();
    await api?.close();
  });
  const run = (job: Omit<TaskJob, 'taskId' | 'idempotent'>, cleared: Promise<boolean>) =>
    runTaskJobCall({ taskId: 't', idempotent: false, ...job }, { toolshed, codeMode, signal: new AbortController().signal, cleared, gate: undefined });
  const requested = (url: string) => api.requests.some((r) => r.url === url);

  test('a program compiles while its task is read; its first call waits for the answer', async () => {
    let clear: (working: boolean) => void = () => undefined;
    const cleared = new Promise<boolean>((resolve) => (clear = resolve));
    const running = run({ tool: 'run_code', args: { code: 'const item = (await items.get_item({ itemId: 11 })) as { label: string }; return item.label;' } }, cleared);
    // Time enough to compile, type-check and reach the call (a warm runner takes well under this).
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!requested('/items/11'), 'the call was made before the task was cleared');
    clear(true);
    assert.match(text(await running), /item 11/);
  });

  test('a program whose task is no longer working makes no call', async () => {
    const result = await run({ tool: 'run_code', args: { code: 'await items.get_item({ itemId: 12 }); return 1;' } }, Promise.resolve(false));
    assert.equal(result.isError, true);
    assert.match(text(result), /cancelled/);
    assert.ok(!requested('/items/12'));
  });

  test('execute_tool likewise', async () => {
    const result = await run({ tool: 'execute_tool', args: { name: 'items.get_item', arguments: { itemId: 13 } } }, Promise.resolve(false));
    assert.equal(result.isError, true);
    assert.match(text(result), /cancelled/);
    assert.ok(!requested('/items/13'));
  });

  test('runTaskJob clears a working task, not a cancelled one, and records nothing for the latter', async () => {
    const backend = createMemoryTaskBackend();
    const seen: boolean[] = [];
    const runnerOf = async (_job: TaskJob, _signal: AbortSignal, cleared: Promise<boolean>) => (seen.push(await cleared), { content: [{ type: 'text' as const, text: 'ran' }] });
    const working = await backend.create({ owner: 'o', ttl: 60_000, pollInterval: 500 });
    assert.equal(await runTaskJob(backend, runnerOf, { taskId: working.taskId, tool: 'run_code', args: {}, idempotent: false }, log), 'settled');
    assert.equal((await backend.get(working.taskId))?.task.status, 'completed');
    const cancelled = await backend.create({ owner: 'o', ttl: 60_000, pollInterval: 500 });
    await backend.update(cancelled.taskId, 'cancelled');
    assert.equal(await runTaskJob(backend, runnerOf, { taskId: cancelled.taskId, tool: 'run_code', args: {}, idempotent: false }, log), 'settled');
    const record = await backend.get(cancelled.taskId);
    assert.equal(record?.task.status, 'cancelled');
    assert.equal(record?.result, undefined);
    assert.deepEqual(seen, [true, false]);
    await backend.close();
  });
});
