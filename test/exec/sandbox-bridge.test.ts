// The boundary between a program and the host: no prototype change, getter, proxy, argument shape or
// early `}` can change what crosses it; a run's calls are capped in flight and queued in order; the
// type-check runs off the main thread and ends at its deadline; program size is capped.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createCodeRunner, type CallTool, type RunRequest, type RunResult } from '../../src/exec/code-runner.js';
import { RUN_MAX_ARGS_CHARS, RUN_MAX_ARGS_DEPTH } from '../../src/exec/run-bridge.js';

const DECLARATIONS = `declare namespace demo { function echo(input: Record<string, unknown>): Promise<unknown>; function wait(input: { id: number }): Promise<number>; }`;
const NAMESPACES = { demo: ['echo', 'wait'] };

function recording() {
  const seen: Array<{ tool: string; args: unknown; argsIsPlain: boolean }> = [];
  const callTool: CallTool = async (tool, args) => {
    // What the host received must be plain JSON data: a prototype of Object.prototype, nothing else.
    const plain = JSON.stringify(args) !== undefined && Object.getPrototypeOf(args) === Object.prototype;
    seen.push({ tool, args, argsIsPlain: plain });
    return { ok: true, value: args };
  };
  return { seen, callTool };
}

function expectOk(r: RunResult): Extract<RunResult, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r).slice(0, 500)}`);
  return r;
}
function expectFailure(r: RunResult, code: string): Extract<RunResult, { ok: false }> {
  assert.ok(!r.ok, `expected ${code}, got ${JSON.stringify(r).slice(0, 500)}`);
  assert.equal(r.failure.code, code, r.failure.message);
  return r;
}

describe('the bridge', () => {
  const runner = createCodeRunner({ poolSize: 1, wallMs: 60_000 });
  after(() => runner.close());
  const run = (code: string, callTool: CallTool, extra: Partial<RunRequest> = {}) =>
    runner.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, typecheck: false, ...extra });

  for (const key of ['reference', 'copy', 'externalCopy', 'promise', 'result', 'arguments', 'timeout']) {
    test(`Object.prototype.${key} set by the program changes nothing that crosses`, async () => {
      const host = recording();
      const code = `Object.prototype.${key} = true;\nconst back = await demo.echo({ n: 1, s: 'x' });\nreturn [back, typeof back];`;
      const r = expectOk(await run(code, host.callTool));
      assert.deepEqual(r.result, [{ n: 1, s: 'x' }, 'object']);
      assert.deepEqual(host.seen, [{ tool: 'demo.echo', args: { n: 1, s: 'x' }, argsIsPlain: true }]);
    });
  }

  test('arguments shaped like transfer options arrive as plain data', async () => {
    const host = recording();
    const r = expectOk(await run(`return await demo.echo({ reference: true, copy: true, promise: true, result: { promise: true } });`, host.callTool));
    assert.deepEqual(r.result, { reference: true, copy: true, promise: true, result: { promise: true } });
    assert.equal(host.seen[0]!.argsIsPlain, true);
  });

  test('getters and proxies run inside the sandbox; the host sees their JSON only', async () => {
    const host = recording();
    const code = `
const tricky = { get a() { return 'from a getter'; }, toJSON() { return { replaced: true }; } };
const proxy = new Proxy({}, { ownKeys: () => ['x'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }), get: () => 'proxied' });
await demo.echo(tricky);
await demo.echo({ proxy });
return 'ok';`;
    expectOk(await run(code, host.callTool));
    assert.deepEqual(host.seen.map((s) => s.args), [{ replaced: true }, { proxy: { x: 'proxied' } }]);
    assert.ok(host.seen.every((s) => s.argsIsPlain));
  });

  test('arguments that are not one JSON object are refused before the host reads them', async () => {
    const host = recording();
    const code = `
const tries = { array: [1], number: 5, string: 'text', fn: () => 1, bigint: 10n, surrogate: { s: '\\uD800' }, deep: JSON.parse('['.repeat(${RUN_MAX_ARGS_DEPTH + 5}) + ']'.repeat(${RUN_MAX_ARGS_DEPTH + 5})), huge: { s: 'x'.repeat(${RUN_MAX_ARGS_CHARS}) } };
const out = {};
for (const [name, args] of Object.entries(tries)) {
  try { await demo.echo(name === 'deep' ? { deep: args } : args); out[name] = 'accepted'; } catch (e) { out[name] = e.name + ': ' + (e.code ?? '') + ' ' + e.message; }
}
return out;`;
    const r = expectOk(await run(code, host.callTool));
    const out = r.result as Record<string, string>;
    assert.match(out.array!, /invalid_arguments .*must be an object, got an array/);
    assert.match(out.number!, /invalid_arguments .*must be an object, got number/);
    assert.match(out.string!, /invalid_arguments/);
    assert.match(out.fn!, /TypeError/);
    assert.match(out.bigint!, /TypeError: .*not JSON-serializable/);
    assert.match(out.surrogate!, /invalid_arguments .*lone UTF-16 surrogate/);
    assert.match(out.deep!, /invalid_arguments .*nested more than/);
    assert.match(out.huge!, /invalid_arguments .*at most/);
    assert.deepEqual(host.seen, [], 'none of them reached the host callTool');
  });

  test('a program that closes its wrapper is a syntax error and none of it runs', async () => {
    const host = recording();
    const code = `return 1 };\nglobalThis.__toolshed_start = async () => ({ ok: true, json: '"forged"' });\ndemo.echo({ escaped: true });\n{`;
    const r = expectFailure(await run(code, host.callTool), 'syntax_error');
    assert.match(r.failure.message, /not a function body on its own/);
    assert.deepEqual(host.seen, []);
    // The same with type-checking on: refused as well.
    expectFailure(await run(code, host.callTool, { typecheck: true }), 'syntax_error');
    assert.equal(expectOk(await run('return 2', host.callTool)).result, 2);
  });

  test('replacing globals the prelude uses does not reach the bridge', async () => {
    const host = recording();
    const code = `
JSON.stringify = () => '{"forged":true}';
Reflect.apply = () => { throw new Error('hijacked'); };
Proxy = function () { throw new Error('no proxies'); };
String.prototype.includes = () => true;
return [await demo.echo({ n: 2 }), typeof demo.not_a_tool];`;
    const r = expectOk(await run(code, host.callTool));
    assert.deepEqual(r.result, [{ n: 2 }, 'undefined']);
  });

  test('namespace functions are bound on first use and enumerate like plain functions', async () => {
    const host = recording();
    const code = `return [typeof demo.echo, 'wait' in demo, 'nope' in demo, Object.keys(demo).sort(), demo.echo === demo.echo, typeof demo['toString'], typeof demo.__proto__];`;
    const r = expectOk(await run(code, host.callTool));
    assert.deepEqual(r.result, ['function', true, false, ['echo', 'wait'], true, 'undefined', 'undefined']);
  });
});

describe('concurrent calls of one run', () => {
  const MAX = 3;
  const runner = createCodeRunner({ poolSize: 1, wallMs: 60_000, maxConcurrentCalls: MAX });
  after(() => runner.close());

  test(`at most ${MAX} calls are in flight; the rest start in the order they were made`, async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const callTool: CallTool = async (_tool, args) => {
      inFlight++;
      most = Math.max(most, inFlight);
      started.push(args.id as number);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { ok: true, value: args.id as number };
    };
    const counts: number[] = [];
    const r = expectOk(
      await runner.run({
        code: 'return (await Promise.all(Array.from({ length: 40 }, (_, id) => demo.wait({ id })))).length;',
        declarations: DECLARATIONS,
        namespaces: NAMESPACES,
        callTool,
        onCall: (info) => counts.push(info.count),
      }),
    );
    assert.equal(r.result, 40);
    assert.equal(most, MAX);
    assert.deepEqual(started, Array.from({ length: 40 }, (_, i) => i));
    assert.deepEqual(counts, Array.from({ length: 40 }, (_, i) => i + 1), 'progress reports each call');
  });
});

describe('the type-check', () => {
  // Recursive conditional types from the review: exponential work for the checker.
  const RECURSIVE_TYPES = `type T<N extends unknown[]> = N['length'] extends 30 ? N : T<[...N, N]>;
type Flatten<X> = X extends [infer H, ...infer R] ? [...Flatten<H extends unknown[] ? H : [H]>, ...Flatten<R>] : [];
type Big = Flatten<T<[]>>;
const x: Big = null as any;
return 1;`;

  test('runs off the main thread and ends at its deadline; the next program is checked by a fresh thread', async () => {
    // 30 levels take the checker hours; a normal program checks in well under 3 s even on a loaded machine.
    const runner = createCodeRunner({ poolSize: 1, typecheckMs: 3000, wallMs: 120_000 });
    try {
      // Warm first: the deadline covers checking, not loading TypeScript.
      await runner.warm();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const r = await runner.run({ code: RECURSIVE_TYPES, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool: recording().callTool });
      clearInterval(ticker);
      const failed = expectFailure(r, 'type_error');
      assert.match(failed.failure.message, /types took longer than 3000 ms to check; nothing was run/);
      assert.ok(ticks > 0, 'the event loop kept turning while the types were checked');
      const next = await runner.run({ code: `const n: number = await demo.wait({ id: 4 });\nreturn n;`, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool: recording().callTool });
      assert.deepEqual(expectOk(next).result, { id: 4 });
      const wrong = await runner.run({ code: `return await demo.wait({ id: 'x' });`, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool: recording().callTool });
      expectFailure(wrong, 'type_error');
    } finally {
      await runner.close();
    }
  });

  test('the declarations are asked for only when the program is checked', async () => {
    const runner = createCodeRunner({ poolSize: 1 });
    try {
      const asked: string[] = [];
      const declarations = (code: string) => (asked.push(code), DECLARATIONS);
      const base = { declarations, namespaces: NAMESPACES, callTool: recording().callTool };
      expectOk(await runner.run({ ...base, code: 'return 1', typecheck: false }));
      assert.deepEqual(asked, []);
      expectOk(await runner.run({ ...base, code: 'return 2' }));
      assert.deepEqual(asked, ['return 2']);
    } finally {
      await runner.close();
    }
  });
});

test('a program over the size limit is refused before it is compiled', async () => {
  const runner = createCodeRunner({ poolSize: 1, maxCodeChars: 1000 });
  try {
    const host = recording();
    const r = expectFailure(await runner.run({ code: `return '${'x'.repeat(2000)}';`, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool: host.callTool }), 'invalid_arguments');
    assert.match(r.failure.message, /2010 characters long; at most 1000/);
  } finally {
    await runner.close();
  }
});
