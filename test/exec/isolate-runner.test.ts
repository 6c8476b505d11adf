import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createCodeRunner, type CallTool, type RunRequest, type RunResult } from '../../src/exec/code-runner.js';
import { cutJson } from '../../src/exec/cut-response.js';

const DECLARATIONS = `declare namespace demo {
  function get_item(input: { id: number }): Promise<{ id: number; label: string; next?: number }>;
  function fail(input?: {}): Promise<unknown>;
}`;
const NAMESPACES = { demo: ['get_item', 'fail'] };

/** A host callback that records what the sandbox asked for. */
function recordingHost(): { callTool: CallTool; seen: Array<{ tool: string; args: unknown }> } {
  const seen: Array<{ tool: string; args: unknown }> = [];
  const callTool: CallTool = async (tool, args) => {
    seen.push({ tool, args });
    if (tool === 'demo.fail') {
      return { ok: false, status: 404, body: { message: 'no such item' }, failure: { code: 'http_error', message: 'HTTP 404 Not Found: no such item', next: 'Check the id.' } };
    }
    const id = (args as { id: number }).id;
    return { ok: true, value: { id, label: `item ${id}`, ...(id < 3 && { next: id + 1 }) } };
  };
  return { callTool, seen };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function expectOk(r: RunResult): Extract<RunResult, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r;
}
function expectFailure(r: RunResult, code: string): Extract<RunResult, { ok: false }> {
  assert.ok(!r.ok, `expected failure ${code}, got ${JSON.stringify(r).slice(0, 500)}`);
  assert.equal(r.failure.code, code, r.failure.message);
  return r;
}

describe('code runner', () => {
  const runner = createCodeRunner({ poolSize: 1, wallMs: 10_000 });
  after(() => runner.close());
  const host = recordingHost();
  const run = (code: string, extra: Partial<RunRequest> = {}) =>
    runner.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool: host.callTool, ...extra });

  test('a trivial program returns its value', async () => {
    const r = expectOk(await run('return 6*7'));
    assert.equal(r.result, 42);
    assert.deepEqual(r.calls, []);
    assert.deepEqual(r.logs, []);
  });

  test('three chained host calls, each fed by the last', async () => {
    host.seen.length = 0;
    const infos: unknown[] = [];
    const code = `let item = await demo.get_item({ id: 1 });
const labels = [item.label];
while (item.next !== undefined) {
  item = await demo.get_item({ id: item.next });
  labels.push(item.label);
}
return labels;`;
    const r = expectOk(await run(code, { onCall: (info) => infos.push(info) }));
    assert.deepEqual(r.result, ['item 1', 'item 2', 'item 3']);
    assert.deepEqual(host.seen, [1, 2, 3].map((id) => ({ tool: 'demo.get_item', args: { id } })));
    assert.deepEqual(r.calls.map((c) => [c.tool, c.ok]), [['demo.get_item', true], ['demo.get_item', true], ['demo.get_item', true]]);
    assert.deepEqual(infos.map((i) => (i as { count: number }).count), [1, 2, 3]);
  });

  test('console output is captured in order, with levels', async () => {
    const r = expectOk(await run(`console.log('a', 1, { b: [2] });\nconsole.warn('careful');\nconsole.error(new TypeError('bad'));\nreturn null;`));
    assert.deepEqual(r.logs, ['a 1 {"b":[2]}', '[warn] careful', '[error] TypeError: bad']);
    assert.equal(r.result, null);
  });

  test('a failed call rejects with a ToolError the program can branch on', async () => {
    const code = `try { await demo.fail(); return 'no'; } catch (e) {
      return { isToolError: e instanceof ToolError, isError: e instanceof Error, name: e.name, tool: e.tool, status: e.status, code: e.code, message: e.message, body: e.body, next: e.next };
    }`;
    const r = expectOk(await run(code));
    assert.deepEqual(r.result, {
      isToolError: true,
      isError: true,
      name: 'ToolError',
      tool: 'demo.fail',
      status: 404,
      code: 'http_error',
      message: 'HTTP 404 Not Found: no such item',
      body: { message: 'no such item' },
      next: 'Check the id.',
    });
    assert.deepEqual(r.calls.map((c) => c.ok), [false]);
  });

  test('an uncaught failure names the failed call once, with its own next step, the user line and the calls so far', async () => {
    const r = expectFailure(await run(`const a = await demo.get_item({ id: 1 });\n\n  await demo.fail();\nreturn a;`), 'http_error');
    assert.equal(r.failure.message, 'demo.fail failed (line 3, column 3; not caught): HTTP 404 Not Found: no such item');
    assert.equal(r.failure.next, 'Check the id.');
    assert.deepEqual(r.location, { line: 3, column: 3 });
    assert.deepEqual(r.calls.map((c) => c.tool), ['demo.get_item', 'demo.fail']);
  });

  test('a thrown TypeError points at its line', async () => {
    const r = expectFailure(await run(`const x: { y?: { z: number } } = {};\nconsole.log('before');\nreturn x.y.z;`), 'runtime_error');
    assert.match(r.failure.message, /TypeError: Cannot read properties of undefined/);
    assert.deepEqual(r.location, { line: 3, column: 12 });
    assert.deepEqual(r.logs, ['before'], 'logs up to the error are kept');
  });

  test('a thrown non-Error value and a non-serializable result are runtime errors', async () => {
    expectFailure(await run(`throw 'plain string';`), 'runtime_error');
    const r = expectFailure(await run(`return 10n;`), 'runtime_error');
    assert.match(r.failure.message, /not JSON-serializable/);
  });

  test('an unhandled rejection fails the run and does not reach the next one', async () => {
    const r = expectFailure(await run(`Promise.reject(new Error('nobody caught me'));\nreturn 1;`), 'runtime_error');
    assert.match(r.failure.message, /nobody caught me.*unhandled promise rejection/);
    assert.deepEqual(r.location, { line: 1, column: 16 });
    assert.equal(expectOk(await run('return 2')).result, 2);
  });

  test('no state leaks between runs in the same isolate', async () => {
    expectOk(await run(`(globalThis as any).leak = 'x'; (Object.prototype as any).polluted = 1; (demo as any).get_item = () => 'hijacked'; return 1;`, { typecheck: false }));
    const r = expectOk(await run(`return [typeof (globalThis as any).leak, typeof ({} as any).polluted, typeof (await demo.get_item({ id: 9 })).label];`));
    assert.deepEqual(r.result, ['undefined', 'undefined', 'string']);
  });

  test('each run gets a context no run used before, prepared after the last one or afresh for other names', async () => {
    const tamper = `(globalThis as any).leak = 'x'; (Object.prototype as any).polluted = 1; (console as any).log = null; (ToolError as any).prototype.hijacked = 1;
return Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith('__toolshed'));`;
    const look = `return [typeof (globalThis as any).leak, typeof ({} as any).polluted, typeof console.log, 'hijacked' in ToolError.prototype, typeof (globalThis as any).demo, typeof (globalThis as any).other];`;
    const clean = ['undefined', 'undefined', 'function', false];
    assert.deepEqual(expectOk(await run(tamper, { typecheck: false })).result, [], 'the program holds nothing of the bridge');
    assert.deepEqual(expectOk(await run(look, { typecheck: false })).result, [...clean, 'object', 'undefined'], 'the prepared context');
    const other = { other: ['get_item'] };
    expectOk(await run(tamper, { typecheck: false, namespaces: other }));
    assert.deepEqual(expectOk(await run(look, { typecheck: false, namespaces: other })).result, [...clean, 'undefined', 'object'], 'prepared for the other names');
    assert.deepEqual(expectOk(await run(look, { typecheck: false })).result, [...clean, 'object', 'undefined'], 'made afresh for the first names');
  });

  test('type errors fail before any call; typecheck: false skips the check', async () => {
    host.seen.length = 0;
    const code = `await demo.get_item({ id: 1 });\nawait demo.get_item({ id: '2' });`;
    const r = expectFailure(await run(code), 'type_error');
    assert.deepEqual(r.location, { line: 2, column: 23 });
    assert.deepEqual(host.seen, [], 'nothing was called');
    const unchecked = expectOk(await run(code, { typecheck: false }));
    assert.equal(unchecked.calls.length, 2);
  });

  test('a syntax error is a syntax_error with the position', async () => {
    const r = expectFailure(await run(`const a = 1;\nconst b = ;`), 'syntax_error');
    assert.deepEqual(r.location, { line: 2, column: 11 });
  });

  test('programs the type stripper refuses still run: enums, parameter properties', async () => {
    const r = expectOk(await run(`enum Color { Red, Green }\nclass P { constructor(readonly x: number) {} }\nreturn [Color.Green, Color[0], new P(4).x];`));
    assert.deepEqual(r.result, [1, 'Red', 4]);
  });

  test('a program that strips cleanly but esbuild rejects is a syntax_error at esbuild\'s position, checked or not', async () => {
    for (const typecheck of [true, false]) {
      const r = expectFailure(await run(`let a = 1;\nlet a = 2;\nreturn a;`, { typecheck }), 'syntax_error');
      assert.match(r.failure.message, /The symbol "a" has already been declared/);
      assert.deepEqual(r.location, { line: 2, column: 5 });
    }
  });

  test('a stripped body the sandbox cannot parse is handed to esbuild, which may lower it', async () => {
    // V8 has no auto-accessors yet: the stripped body is refused, esbuild's lowered one runs.
    const r = expectOk(await run(`class Box { accessor size = 3; }\nreturn new Box().size;`, { typecheck: false }));
    assert.equal(r.result, 3);
  });

  test('a large result is cut structurally, still JSON, with a notice', async () => {
    const small = createCodeRunner({ poolSize: 1, maxOutputChars: 2_000 });
    try {
      const r = expectOk(await small.run({ code: `return Array.from({ length: 500 }, (_, i) => ({ i, text: 'abcdefghij'.repeat(5) }));`, declarations: '', namespaces: {}, callTool: host.callTool }));
      assert.equal(r.truncated, true);
      assert.match(r.notice ?? '', /showing \d+ of 500 items/);
      assert.ok(Array.isArray(r.result) && r.result.length > 0 && r.result.length < 500);
      assert.ok(JSON.stringify(r.result).length <= 2_000);
      assert.deepEqual(r.result[0], { i: 0, text: 'abcdefghij'.repeat(5) }, 'kept items are whole');
    } finally {
      await small.close();
    }
  });

  test('a result too long to copy out is cut in the sandbox exactly as the host cuts it, whatever the program did to its built-ins', async () => {
    const maxOutputChars = 3_000;
    const small = createCodeRunner({ poolSize: 1, maxOutputChars });
    const make = `Array.from({ length: 300 }, (_, i) => ({ id: i, name: 'n' + i, tags: ['a', 'b'], note: 'é😀\\n'.repeat(i % 7) }))`;
    const expected = cutJson(new Function(`return ${make}`)(), maxOutputChars, { advice: 'return only the fields and items you need' });
    const tamper = `JSON.parse = () => 1; JSON.stringify = () => 'x'; Array.prototype.push = function () { return 0; };
Object.fromEntries = () => ({}); String.prototype.slice = () => ''; Map.prototype.get = () => 0; Math.floor = () => 0;`;
    try {
      for (const code of [`return ${make};`, `const value = ${make};\n${tamper}\nreturn value;`]) {
        const r = expectOk(await small.run({ code, declarations: '', namespaces: {}, callTool: host.callTool, typecheck: false }));
        assert.deepEqual([r.result, r.truncated, r.notice], [expected.value, true, expected.notice], code);
      }
    } finally {
      await small.close();
    }
  });

  test('console floods are cut to the log budget with a notice', async () => {
    const r = expectOk(await run(`for (let i = 0; i < 200000; i++) console.log('line', i);\nreturn 'done';`));
    assert.equal(r.result, 'done');
    assert.match(r.logs.at(-1)!, /console output cut/);
    assert.ok(r.logs.join('\n').length < 40_000);
    assert.equal(r.logs[0], 'line 0');
  });

  test('a call left unawaited does not outlive the run', async () => {
    const gate = deferred<void>();
    let signal: AbortSignal | undefined;
    const callTool: CallTool = async (_tool, _args, s) => {
      signal = s;
      await gate.promise;
      return { ok: true, value: 1 };
    };
    const r = expectOk(await run(`demo.get_item({ id: 1 });\nreturn 'left';`, { callTool }));
    assert.equal(r.result, 'left');
    assert.equal(signal?.aborted, true, 'the pending call was told to stop');
    gate.resolve();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(r.calls, [], 'a late reply does not change a finished result');
    expectOk(await run('return 1'));
  });

  test('an AbortSignal cancels a running program and its pending call', async () => {
    const controller = new AbortController();
    let callSignal: AbortSignal | undefined;
    const callTool: CallTool = (_tool, _args, s) => {
      callSignal = s;
      controller.abort();
      return new Promise(() => {}); // never answers
    };
    const r = expectFailure(await run(`await demo.get_item({ id: 1 });`, { callTool, signal: controller.signal }), 'cancelled');
    assert.equal(callSignal?.aborted, true);
    assert.deepEqual(r.calls, []);
    expectOk(await run('return 1'));
  });
});

test('a namespace that would replace a sandbox global is refused, and reported', async () => {
  const logged: string[] = [];
  const runner = createCodeRunner({ poolSize: 1, log: (m) => logged.push(m) });
  try {
    const r = await runner.run({ code: 'return 1', declarations: '', namespaces: { Math: ['max'] }, callTool: recordingHost().callTool, typecheck: false });
    expectFailure(r, 'runtime_error');
    assert.match(logged.join('\n'), /namespace "Math" would replace a sandbox global/);
  } finally {
    await runner.close();
  }
});

describe('code runner pool', () => {
  test('runs beyond the pool queue up to a bound, then get busy', async () => {
    const runner = createCodeRunner({ poolSize: 1, maxQueue: 1 });
    try {
      const gate = deferred<void>();
      const started = deferred<void>();
      const callTool: CallTool = async () => {
        started.resolve();
        await gate.promise;
        return { ok: true, value: { id: 1, label: 'x' } };
      };
      const request = { declarations: DECLARATIONS, namespaces: NAMESPACES, callTool };
      const first = runner.run({ ...request, code: `return (await demo.get_item({ id: 1 })).label;` });
      await started.promise;
      // Two more runs while the only isolate is busy: one fits the queue, the other is turned away.
      // Which one depends on whose transpile finishes first, so only the split is asserted.
      const second = runner.run({ ...request, code: `return 'second';` });
      const third = runner.run({ ...request, code: `return 'third';` });
      const firstSettled = await Promise.race([second, third]);
      expectFailure(firstSettled, 'busy');
      gate.resolve();
      assert.equal(expectOk(await first).result, 'x');
      const outcomes = await Promise.all([second, third]);
      assert.deepEqual(outcomes.map((o) => (o.ok ? 'ran' : o.failure.code)).sort(), ['busy', 'ran'], 'exactly one run was queued and ran');
    } finally {
      await runner.close();
    }
  });

  test('two isolates serve two runs at once', async () => {
    const runner = createCodeRunner({ poolSize: 2, maxQueue: 0 });
    try {
      const gate = deferred<void>();
      let waiting = 0;
      const bothIn = deferred<void>();
      const callTool: CallTool = async () => {
        if (++waiting === 2) bothIn.resolve();
        await gate.promise;
        return { ok: true, value: { id: 1, label: 'x' } };
      };
      const request = { declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, code: `return (await demo.get_item({ id: 1 })).label;` };
      const runs = [runner.run(request), runner.run(request)];
      await bothIn.promise;
      expectFailure(await runner.run(request), 'busy');
      gate.resolve();
      for (const r of await Promise.all(runs)) assert.equal(expectOk(r).result, 'x');
    } finally {
      await runner.close();
    }
  });
});
