// Hostile programs: each must end with a clear failure inside its limit, the runner must keep serving
// (a normal program runs after each), and no host secret may appear in any output.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { createCodeRunner, type CallTool, type RunRequest, type RunResult } from '../../src/exec/code-runner.js';

const ENV_SECRET = `env-secret-${randomUUID()}`;
const CLOSURE_SECRET = `closure-secret-${randomUUID()}`;
process.env.TOOLSHED_TEST_SECRET = ENV_SECRET;

const DECLARATIONS = `declare namespace demo { function get_item(input: { id: number }): Promise<{ id: number; label: string }>; }`;
const NAMESPACES = { demo: ['get_item'] };
const MAX_CALLS = 100;
const MAX_OUTPUT_CHARS = 10_000;

const callTool: CallTool = async (_tool, args) => {
  // The host side holds the credential, as execute_tool will; only the API's answer goes back.
  const authorization = `Bearer ${CLOSURE_SECRET}`;
  return { ok: true, value: { id: (args as { id: number }).id, label: authorization.length > 0 ? 'ok' : 'no' } };
};

describe('hostile programs', () => {
  // A short CPU limit keeps the loop tests quick; filling 128 MB or writing 50 MB of JSON needs the default.
  const runner = createCodeRunner({ poolSize: 1, cpuMs: 500, wallMs: 10_000, maxCalls: MAX_CALLS, maxOutputChars: MAX_OUTPUT_CHARS });
  const roomy = createCodeRunner({ poolSize: 1, wallMs: 20_000, maxCalls: MAX_CALLS, maxOutputChars: MAX_OUTPUT_CHARS });
  // Only the memory limit can end a flood here: CPU and wall-clock time are as large as they go, so a
  // loaded machine (slow GC near the limit) still ends on memory, as meant.
  const memoryOnly = createCodeRunner({ poolSize: 1, memoryMb: 64, cpuMs: 300_000, wallMs: 300_000, maxOutputChars: MAX_OUTPUT_CHARS });
  after(() => Promise.all([runner.close(), roomy.close(), memoryOnly.close()]));

  async function hostile(code: string, extra: Partial<RunRequest> = {}, use = runner): Promise<RunResult> {
    const result = await use.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, typecheck: false, ...extra });
    const text = JSON.stringify(result);
    assert.ok(!text.includes(ENV_SECRET) && !text.includes(CLOSURE_SECRET), 'no secret in the output');
    // The runner keeps serving: the next program runs normally on a healthy (or replaced) isolate.
    const normal = await use.run({ code: 'return (await demo.get_item({ id: 6 })).id * 7', declarations: DECLARATIONS, namespaces: NAMESPACES, callTool });
    assert.ok(normal.ok && normal.result === 42, `the next run works: ${JSON.stringify(normal)}`);
    return result;
  }

  function failure(r: RunResult, code: string, message: RegExp) {
    assert.ok(!r.ok, `expected ${code}, got ${JSON.stringify(r).slice(0, 300)}`);
    assert.equal(r.failure.code, code);
    assert.match(r.failure.message, message);
    return r;
  }

  test('an endless loop hits the CPU limit', async () => {
    failure(await hostile('while (true) {}'), 'limit_exceeded', /CPU time limit of 500 ms/);
  });

  test('an endless loop after an await hits the CPU limit', async () => {
    const r = failure(await hostile('await demo.get_item({ id: 1 });\nfor (;;) {}'), 'limit_exceeded', /CPU time/);
    assert.equal(r.calls.length, 1, 'the calls so far are reported');
  });

  test('a loop queued after returning is still stopped', async () => {
    failure(await hostile('Promise.resolve().then(() => { for (;;) {} });\nreturn 1;'), 'limit_exceeded', /CPU time/);
  });

  test('an awaited promise that never resolves ends at the wall-clock limit', async () => {
    failure(await hostile('await new Promise(() => {});', { timeoutMs: 300 }), 'timeout', /within 300 ms/);
  });

  test('an object flood hits the memory limit', async () => {
    failure(await hostile('const keep = [];\nwhile (true) keep.push({ a: Math.random(), b: [1, 2, 3] });', {}, memoryOnly), 'limit_exceeded', /Memory limit of 64 MB/);
  });

  test('an ArrayBuffer flood hits the memory limit', async () => {
    failure(await hostile('const keep = [];\nwhile (true) keep.push(new ArrayBuffer(16 * 1024 * 1024));', {}, memoryOnly), 'limit_exceeded', /Memory limit of 64 MB/);
  });

  test('deep recursion ends with a stack overflow error', async () => {
    const r = failure(await hostile('function down(n) { return down(n + 1) + 1; }\nreturn down(0);'), 'runtime_error', /RangeError: Maximum call stack size exceeded/);
    assert.equal(r.location?.line, 1);
  });

  test('10,000 API calls stop at the calls limit', async () => {
    const r = failure(await hostile('for (let i = 0; i < 10000; i++) await demo.get_item({ id: i });'), 'limit_exceeded', new RegExp(`More than ${MAX_CALLS} API calls`));
    assert.equal(r.calls.length, MAX_CALLS);
  });

  test('10,000 API calls at once stop at the calls limit too', async () => {
    const r = failure(await hostile('await Promise.all(Array.from({ length: 10000 }, (_, i) => demo.get_item({ id: i })));'), 'limit_exceeded', /API calls/);
    assert.ok(r.calls.length <= MAX_CALLS);
  });

  test('a 50 MB result is cut structurally to the output limit, with a notice', async () => {
    const code = `const text = 'x'.repeat(50_000);\nreturn { items: Array.from({ length: 1000 }, (_, i) => ({ i, text })) };`;
    // It is cut inside the sandbox: the host never parses or writes JSON longer than the output limit.
    const longest = { parsed: 0, written: 0 };
    const { parse, stringify } = JSON;
    JSON.parse = (text: string, ...rest: unknown[]) => ((longest.parsed = Math.max(longest.parsed, String(text).length)), (parse as (...a: unknown[]) => unknown)(text, ...rest));
    JSON.stringify = ((...args: unknown[]) => {
      const out = (stringify as (...a: unknown[]) => string | undefined)(...args);
      longest.written = Math.max(longest.written, out?.length ?? 0);
      return out;
    }) as typeof JSON.stringify;
    let r: RunResult;
    try {
      r = await roomy.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, typecheck: false });
    } finally {
      Object.assign(JSON, { parse, stringify });
    }
    assert.ok(longest.parsed <= MAX_OUTPUT_CHARS && longest.written <= MAX_OUTPUT_CHARS, `the host handled ${JSON.stringify(longest)} characters of JSON`);
    assert.ok(r.ok, JSON.stringify(r).slice(0, 300));
    r = await hostile(code, {}, roomy);
    assert.ok(r.ok, JSON.stringify(r).slice(0, 300));
    assert.equal(r.truncated, true);
    assert.match(r.notice ?? '', /Cut to fit/);
    const json = JSON.stringify(r.result);
    assert.ok(json.length <= MAX_OUTPUT_CHARS, `${json.length} chars`);
    const items = (r.result as { items: Array<{ i: number; text: string }> }).items;
    assert.equal(items[0]!.i, 0);
    assert.match(items[0]!.text, /… \[\d+ more chars\]$/, 'a long string is cut with a marker, still a string');
  });

  test('a huge console flood stays within the output limit', async () => {
    const r = await hostile(`const line = 'y'.repeat(10_000);\nfor (let i = 0; i < 100000; i++) console.log(line);\nreturn 'done';`);
    assert.ok(r.ok);
    assert.ok(r.logs.join('\n').length <= MAX_OUTPUT_CHARS);
    assert.match(r.logs.at(-1)!, /console output cut/);
  });

  test('host objects are out of reach', async () => {
    const code = `
const probe = async (f) => { try { const v = await f(); return v === undefined ? 'undefined' : typeof v; } catch (e) { return 'threw ' + e.name; } };
let dynamicImport;
try { await import('node:fs'); dynamicImport = 'imported'; } catch (e) { dynamicImport = 'threw'; }
Error.prepareStackTrace = (_e, sites) => sites.map((s) => typeof s.getThis()?.process);
const thisesOnStack = new Error('x').stack;
delete Error.prepareStackTrace;
return {
  process: typeof process, require: typeof require, fetch: typeof fetch, module: typeof module, Buffer: typeof Buffer,
  functionThis: await probe(() => Function('return this')().process),
  functionThisIsGlobal: Function('return this')() === globalThis,
  constructorProcess: await probe(() => ({}).constructor.constructor('return process')()),
  toolConstructorProcess: await probe(() => demo.get_item.constructor('return process')()),
  asyncConstructor: await probe(() => (async () => {}).constructor('return process')()),
  thisesOnStack,
  dynamicImport,
  globals: Object.getOwnPropertyNames(globalThis),
  envText: JSON.stringify(globalThis),
};`;
    const r = await hostile(code);
    assert.ok(r.ok, JSON.stringify(r));
    const found = r.result as Record<string, unknown> & { globals: string[] };
    for (const name of ['process', 'require', 'fetch', 'module', 'Buffer']) assert.equal(found[name], 'undefined', name);
    assert.equal(found.functionThis, 'undefined');
    assert.equal(found.functionThisIsGlobal, true);
    for (const key of ['constructorProcess', 'toolConstructorProcess', 'asyncConstructor']) assert.equal(found[key], 'threw ReferenceError', key);
    assert.ok((found.thisesOnStack as string[]).every((t) => t === 'undefined'));
    assert.equal(found.dynamicImport, 'threw');
    // Every global is an ECMAScript built-in node also has, the catalog namespace, or the program itself.
    const hostGlobals = new Set(Object.getOwnPropertyNames(globalThis));
    const extra = found.globals.filter((g) => !hostGlobals.has(g));
    assert.deepEqual(extra.sort(), ['ToolError', '__main', 'demo']);
    for (const name of ['process', 'require', 'global', 'Buffer', 'fetch', 'setTimeout', 'queueMicrotask', 'structuredClone']) {
      assert.ok(!found.globals.includes(name), `${name} is not a sandbox global`);
    }
    assert.ok(!found.globals.some((g) => g.startsWith('__toolshed')), 'the bridge globals were removed');
  });

  test('reaching for host globals with type-checking on is a type error before anything runs', async () => {
    const r = await hostile(`return process.env.TOOLSHED_TEST_SECRET;`, { typecheck: true });
    failure(r, 'type_error', /Cannot find name 'process'/);
  });

  test('without the type check, reading the environment fails at run time', async () => {
    failure(await hostile(`return process.env.TOOLSHED_TEST_SECRET;`), 'runtime_error', /ReferenceError: process is not defined/);
  });

  test('tampering with JSON or the namespaces cannot break the bridge or reach the host', async () => {
    const r = await hostile(`
JSON.parse = () => ({ ok: true, value: 'forged' });
const original = demo.get_item;
demo.get_item = (a) => original({ ...a, id: 1 });
const item = await original({ id: 5 });
return item.id;`);
    assert.ok(r.ok);
    assert.equal(r.result, 5);
  });
});
