// Failover benchmark (issue 18): scripts/cluster.sh on this machine, nginx in front of toolshed replicas
// sharing tasks on Redis, a local API behind them.
//   1. Stateless calls (search, describe, execute_tool on the API, a short run_code; the last two marked
//      read-only, so nginx may resend them) at a fixed concurrency, first through nginx to one replica
//      alone, then to three; in the three-replica run one replica is killed (SIGKILL) halfway and
//      cluster.sh restarts it. Calls made and failed, p50/p99, throughput, the ratio of the two.
//   2. Long run_code tasks (each waits on the API), half marked read-only; a replica is killed while
//      they run; every task is polled (tasks/get through nginx, so from the other replicas) to a final
//      state. Completed, failed with a message, failed without one, stuck in `working`.
//   3. Task overhead: a trivial run_code as a task (tools/call, then tasks/result) against the same call
//      without a task, interleaved, median of each: through nginx and straight to a replica (Redis), and
//      on one replica with the in-memory store.
// The replicas run with --run-max-queue set to the concurrency, so that no client is told "busy".
// Each replica's API key is its number (TOOLSHED_REPLICA): the API sees which replica ran what.
// Linux only (CPU figures from /proc).
// Raw JSON-RPC over fetch (stateless needs no initialize) keeps the client's own CPU small: it shares
// the machine with everything it measures.
// Run: npm run build && scripts/with-node.sh 24 node --import tsx bench/cluster.ts [--calls N] [--baseline-calls N]
//      [--concurrency N] [--tasks N] [--task-ms N] [--overhead-rounds N] [--only overhead]
// --only overhead: part 3 alone (three replicas, no kill), to measure the task path quickly and repeatedly.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { READ_ONLY_META_KEY } from '../src/server/task-calls.js';
import { clusterUnavailable, startCluster, type Cluster } from '../test/helpers/cluster.js';
import { spawnHttpServe } from '../test/helpers/http-serve.js';
import { startItemsApi, type ItemsApi } from '../test/helpers/items-api.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    'baseline-calls': { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    tasks: { type: 'string', default: '200' },
    'task-ms': { type: 'string', default: '3000' },
    'overhead-rounds': { type: 'string', default: '100' },
    only: { type: 'string' },
  },
});
if (values.only !== undefined && values.only !== 'overhead') {
  process.stderr.write(`bench/cluster.ts: --only takes "overhead" (part 3 alone), got "${values.only}"\n`);
  process.exit(2);
}
const OVERHEAD_ONLY = values.only === 'overhead';
const CALLS = Number(values.calls);
const BASELINE_CALLS = Number(values['baseline-calls']);
const CONCURRENCY = Number(values.concurrency);
const TASKS = Number(values.tasks);
const TASK_MS = Number(values['task-ms']);
const OVERHEAD_ROUNDS = Number(values['overhead-rounds']);
/** A task still `working` this long after the last one was created counts as stuck. */
const TASK_DEADLINE_MS = 10 * 60_000;
const TOKEN = 'bench-cluster-token';
const READ_ONLY = { [READ_ONLY_META_KEY]: true };

const unavailable = clusterUnavailable();
if (unavailable) {
  process.stderr.write(`bench/cluster.ts ${unavailable}\n`);
  process.exit(1);
}

interface Rpc {
  result?: Record<string, unknown> & { isError?: boolean; content?: Array<{ text?: string }> };
  error?: { code: number; message: string };
}

let nextId = 1;
async function rpc(url: string, method: string, params: Record<string, unknown>): Promise<Rpc> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(/^data: (.+)$/m.exec(text)?.[1] ?? text) as Rpc;
}

/** The failure, if the call failed in any way (transport, JSON-RPC, or an isError result). */
async function callTool(url: string, params: Record<string, unknown>): Promise<string | undefined> {
  try {
    const { result, error } = await rpc(url, 'tools/call', params);
    if (error) return `JSON-RPC ${error.code}: ${error.message}`;
    if (result?.isError) return `isError: ${result.content?.[0]?.text?.slice(0, 200)}`;
    return undefined;
  } catch (e) {
    return `${(e as Error).message}${(e as Error).cause ? ` (${String((e as { cause: unknown }).cause)})` : ''}`;
  }
}

const MIX: Array<(i: number) => Record<string, unknown>> = [
  () => ({ name: 'search_tools', arguments: { query: 'fetch one item by id' } }),
  () => ({ name: 'describe_tools', arguments: { names: ['items.get_item'] } }),
  (i) => ({ name: 'execute_tool', arguments: { name: 'items.get_item', arguments: { itemId: i } }, _meta: READ_ONLY }),
  (i) => ({ name: 'run_code', arguments: { code: `const item = (await items.get_item({ itemId: ${i} })) as { label: string }; return item.label;` }, _meta: READ_ONLY }),
];

interface CallRun {
  made: number;
  failures: string[];
  latencies: number[];
  wallMs: number;
  /** Where the CPU went during the run. */
  cpu?: string;
}

/** `calls` calls, `concurrency` at a time; `onStart(i)` before call i is sent (the kill hooks in here). */
async function runCalls(url: string, calls: number, onStart: (i: number) => void = () => undefined): Promise<CallRun> {
  const run: CallRun = { made: 0, failures: [], latencies: [], wallMs: 0 };
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < calls) {
      const i = next++;
      onStart(i);
      const t = performance.now();
      const failure = await callTool(url, MIX[i % MIX.length]!(i));
      run.latencies.push(performance.now() - t);
      run.made++;
      if (failure) run.failures.push(`call ${i} (${MIX[i % MIX.length]!(i).name}): ${failure}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  run.wallMs = performance.now() - started;
  return run;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const median = (values: number[]) => percentile(values, 50);
const ms = (v: number) => `${v.toFixed(1)} ms`;
const perSecond = (run: CallRun) => run.made / (run.wallMs / 1000);

function report(label: string, run: CallRun): void {
  console.log(
    `${label}: ${run.made} calls made, ${run.failures.length} failed; p50 ${ms(median(run.latencies))}, p99 ${ms(percentile(run.latencies, 99))}; ` +
      `${perSecond(run).toFixed(0)} calls/s over ${(run.wallMs / 1000).toFixed(1)} s${run.cpu ? `; ${run.cpu}` : ''}`,
  );
  for (const f of run.failures.slice(0, 10)) console.log(`  failed: ${f}`);
}

/** The machine's CPU (all cores) from /proc/stat: the busy fraction since the snapshot. */
function machineCpu(): { busySince(): number } {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const idle = fields[3]! + fields[4]!; // idle + iowait
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return {
    busySince() {
      const now = read();
      return 1 - (now.idle - start.idle) / (now.total - start.total);
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (clock ticks of 1/100 s on Linux). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function taskOverhead(url: string, path: string): Promise<void> {
  const direct: number[] = [];
  const asTask: number[] = [];
  const trivial = { name: 'run_code', arguments: { code: 'return 1;' } };
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    let t = performance.now();
    const failure = await callTool(url, trivial);
    if (failure) throw new Error(`trivial run_code failed: ${failure}`);
    direct.push(performance.now() - t);
    t = performance.now();
    const { result } = await rpc(url, 'tools/call', { ...trivial, task: { ttl: 60_000 } });
    const { taskId } = result!.task as { taskId: string };
    const done = await rpc(url, 'tasks/result', { taskId });
    if (!done.result || done.result.isError) throw new Error(`trivial task failed: ${JSON.stringify(done)}`);
    asTask.push(performance.now() - t);
  }
  console.log(
    `task overhead ${path} (run_code "return 1;", ${OVERHEAD_ROUNDS} rounds interleaved, tools/call to tasks/result): ` +
      `median ${ms(median(asTask))} as a task, ${ms(median(direct))} without: +${ms(median(asTask) - median(direct))} (goal: at most +5 ms)`,
  );
}

async function withCluster<T>(replicas: number, serveArgs: string[], work: (cluster: Cluster) => Promise<T>): Promise<T> {
  const cluster = await startCluster({ replicas, serveArgs, env: { TOOLSHED_AUTH_TOKEN: TOKEN } });
  try {
    return await work(cluster);
  } finally {
    await cluster.stop();
  }
}

/** The items catalog with its API key read from TOOLSHED_REPLICA (cluster.sh sets it): the API sees which replica calls. */
function configNamingReplicas(api: ItemsApi): string {
  const config = JSON.parse(readFileSync(api.configPath, 'utf8'));
  config.catalogs.items.credentials.key.env = 'TOOLSHED_REPLICA';
  const path = join(dirname(api.configPath), 'cluster.config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const api = await startItemsApi({ slowMs: TASK_MS });
// Sized for the offered load: every one of the concurrent clients may wait for a sandbox (default
// --run-max-queue 8 answers "busy" beyond 2 + 8 run_code calls in flight per replica, by design).
const serveArgs = ['--config', configNamingReplicas(api), '--run-max-queue', String(CONCURRENCY)];
const loadAverage = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
console.log(`bench/cluster.ts: ${availableParallelism()} CPUs, ${loadAverage()}; ${OVERHEAD_ONLY ? 'task overhead only' : `${CONCURRENCY} concurrent calls`} through nginx (scripts/cluster.sh)`);

// 1a. One replica alone, the same path (nginx, Redis tasks).
const baseline = OVERHEAD_ONLY ? undefined : await withCluster(1, serveArgs, async (cluster) => {
  const [machine, replica] = [machineCpu(), processCpuSeconds(cluster.replicaPid(1))];
  const run = await runCalls(cluster.url, BASELINE_CALLS);
  const seconds = run.wallMs / 1000;
  run.cpu = `machine ${(machine.busySince() * 100).toFixed(0)}% busy, the replica ${((processCpuSeconds(cluster.replicaPid(1)) - replica) / seconds).toFixed(2)} cores`;
  return run;
});
if (baseline) report('one replica', baseline);

await withCluster(3, serveArgs, async (cluster) => {
  if (baseline) await failover(cluster, baseline);
  // 3. Task overhead, interleaved: the same trivial program with and without a task; through nginx,
  // then straight to one replica (the task machinery alone: Redis, the queue, the wait for the result).
  await taskOverhead(cluster.url, 'through nginx, tasks in Redis');
  await taskOverhead(cluster.replicaUrl(1), 'straight to replica 1, tasks in Redis');
});

/** Parts 1b and 2 on the three replicas: stateless calls with a kill halfway, then long tasks with a kill mid-run. */
async function failover(cluster: Cluster, baseline: CallRun): Promise<void> {
  // 1b. Three replicas; replica 2 killed with SIGKILL halfway, restarted by cluster.sh.
  let killedAt = 0;
  const machine = machineCpu();
  const started = performance.now();
  let beforeKill = { calls: 0, perSecond: 0 };
  let back: Promise<number> | undefined;
  const three = await runCalls(cluster.url, CALLS, (i) => {
    if (i !== Math.floor(CALLS / 2)) return;
    const mark = cluster.log().length;
    killedAt = performance.now();
    beforeKill = { calls: i, perSecond: i / ((killedAt - started) / 1000) };
    process.kill(cluster.replicaPid(2), 'SIGKILL');
    back = cluster.waitForLog(/routing to 3 of 3 replicas/, mark).then(() => performance.now());
  });
  three.cpu = `machine ${(machine.busySince() * 100).toFixed(0)}% busy`;
  report('three replicas, one killed halfway', three);
  console.log(`  before the kill: ${beforeKill.perSecond.toFixed(0)} calls/s over the first ${beforeKill.calls} calls (${(beforeKill.perSecond / perSecond(baseline)).toFixed(2)}x one replica)`);
  console.log(`  the killed replica was back in rotation ${(((await back!) - killedAt) / 1000).toFixed(1)} s after the kill (cluster.sh restarts it; nginx routes to it once /readyz says ready)`);
  console.log(`  throughput, three replicas / one: ${(perSecond(three) / perSecond(baseline)).toFixed(2)}x (goal: at least 1.8x)`);

  // 2. Long tasks, a replica killed while they run.
  const slow = () => api.requests.filter((r) => r.url === '/slow');
  const slowCalls = () => slow().length;
  const before = slowCalls();
  const created: Array<{ taskId: string; readOnly: boolean } | { error: string }> = [];
  const taskStart = performance.now();
  let nextTask = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (nextTask < TASKS) {
        const i = nextTask++;
        const readOnly = i % 2 === 0;
        try {
          const { result, error } = await rpc(cluster.url, 'tools/call', { name: 'run_code', arguments: { code: 'const r = await items.get_slow(); return r;' }, task: { ttl: 3_600_000 }, ...(readOnly ? { _meta: READ_ONLY } : {}) });
          const task = result?.task as { taskId: string } | undefined;
          created.push(task ? { taskId: task.taskId, readOnly } : { error: error?.message ?? 'no task' });
        } catch (e) {
          created.push({ error: (e as Error).message });
        }
      }
    }),
  );
  // Killed once every replica is busy with some: a third of them are running or done.
  while (slowCalls() - before < Math.min(TASKS / 3, 12)) await new Promise((r) => setTimeout(r, 100));
  // The programs the killed replica was running: its API calls of the last TASK_MS (each takes TASK_MS).
  const taskKillAt = Date.now();
  process.kill(cluster.replicaPid(3), 'SIGKILL');
  const running = slow().filter((r) => r.headers['x-api-key'] === '3' && taskKillAt - r.at < TASK_MS).length;
  console.log(
    `tasks: ${TASKS} long run_code tasks (${TASK_MS} ms each on the API), half marked read-only; replica 3 killed after ${((performance.now() - taskStart) / 1000).toFixed(1)} s, ` +
      `with ${slowCalls() - before} API calls made, ${running} program(s) running on it`,
  );
  const tasks = created.flatMap((c) => ('taskId' in c ? [c] : []));
  const final = new Map<string, { status: string; statusMessage?: string }>();
  const deadline = performance.now() + TASK_DEADLINE_MS;
  while (final.size < tasks.length && performance.now() < deadline) {
    const open = tasks.filter((t) => !final.has(t.taskId));
    for (let i = 0; i < open.length; i += 32) {
      await Promise.all(
        open.slice(i, i + 32).map(async (t) => {
          try {
            const { result } = await rpc(cluster.url, 'tasks/get', { taskId: t.taskId });
            if (result && result.status !== 'working' && result.status !== 'input_required') final.set(t.taskId, result as { status: string; statusMessage?: string });
          } catch {
            // polled again next round; a failing poll is not a task's state
          }
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const count = (f: (s: { status: string; statusMessage?: string }) => boolean) => [...final.values()].filter(f).length;
  const messages = new Map<string, number>();
  for (const s of final.values()) if (s.status === 'failed') messages.set((s.statusMessage ?? '').slice(0, 80), (messages.get((s.statusMessage ?? '').slice(0, 80)) ?? 0) + 1);
  console.log(
    `  ${created.length - tasks.length} not created; ${count((s) => s.status === 'completed')} completed, ${count((s) => s.status === 'failed' && !!s.statusMessage)} failed with a message, ` +
      `${count((s) => s.status === 'failed' && !s.statusMessage)} failed without one, ${count((s) => s.status === 'cancelled')} cancelled, ${tasks.length - final.size} stuck in working; ` +
      `all final after ${((performance.now() - taskStart) / 1000).toFixed(1)} s`,
  );
  for (const [message, n] of messages) console.log(`  failed (${n}): ${message}`);
  const readOnlyFailed = tasks.filter((t) => t.readOnly && final.get(t.taskId)?.status === 'failed').length;
  console.log(`  of them read-only (run again after the kill): ${tasks.filter((t) => t.readOnly).length - readOnlyFailed} completed, ${readOnlyFailed} failed`);
  for (const c of created) if ('error' in c) console.log(`  not created: ${c.error}`);
}

// The same measure with the in-memory store (one replica, no Redis, no queue): what Redis adds.
const alone = await spawnHttpServe(['--stateless', '--tasks', 'memory', ...serveArgs], { env: { TOOLSHED_REPLICA: '1', TOOLSHED_AUTH_TOKEN: TOKEN } });
try {
  await taskOverhead(alone.url, 'one replica, tasks in memory');
} finally {
  await alone.stop();
}
console.log(`at the end: ${loadAverage()}`);
await api.close();
