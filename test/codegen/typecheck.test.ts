import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { transpileWithEsbuild } from '../../src/codegen/transpile.js';
import { createTypeChecker } from '../../src/codegen/typecheck.js';

const DEMO = `declare namespace demo {
  /** Get one item. */
  function get_item(input: { id: number }): Promise<{ id: number; label: string }>;
  function list_items(input?: { limit?: number }): Promise<Array<{ id: number; label: string }>>;
}`;

// One checker for the file, as the runner keeps one: later checks also exercise the warm caches.
const checker = createTypeChecker();
const check = (code: string, declarations = DEMO) => checker.check(code, declarations);

describe('type-check: programs that are right pass', () => {
  test('awaited calls, property access and a return', () => {
    assert.deepEqual(check(`const item = await demo.get_item({ id: 1 });\nreturn item.label.toUpperCase();`), []);
  });

  test('a program that returns nothing', () => {
    assert.deepEqual(check(`console.log('hi');`), []);
  });

  test('ES2022 built-ins and the sandbox console', () => {
    const code = [
      `const items = await demo.list_items({ limit: 5 });`,
      `const byId = new Map(items.map((i) => [i.id, i] as const));`,
      `console.info(items.at(-1), Object.hasOwn(byId, 'x'), Math.max(...items.map((i) => i.id)));`,
      `console.warn(JSON.stringify([...byId.keys()]), new Date(0).toISOString());`,
      `console.error(new Error('x', { cause: 1 }), await Promise.all([demo.get_item({ id: 2 })]));`,
      `return items.filter((i) => i.label.includes('a')).length;`,
    ].join('\n');
    assert.deepEqual(check(code), []);
  });
});

describe('type-check: mistakes are caught with the line and column in the user code', () => {
  test('a wrong argument type', () => {
    const issues = check(`const a = 1;\nconst item = await demo.get_item({ id: "7" });`);
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0]!.line, issues[0]!.column], [2, 36]);
    assert.match(issues[0]!.message, /Type 'string' is not assignable to type 'number'/);
  });

  test('a misspelled function, with the suggestion', () => {
    const issues = check(`\n\n  const item = await demo.get_itme({ id: 1 });`);
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0]!.line, issues[0]!.column], [3, 27]);
    assert.match(issues[0]!.message, /'get_itme' does not exist.*Did you mean 'get_item'/);
  });

  test('a missing await whose result is used as an object', () => {
    const issues = check(`const r = demo.get_item({ id: 1 });\nconsole.log(r.label);`);
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0]!.line, issues[0]!.column], [2, 15]);
    assert.match(issues[0]!.message, /'label' does not exist on type 'Promise<.*Did you forget to use 'await'\?/);
  });

  test('an unknown argument property', () => {
    const issues = check(`await demo.get_item({ id: 1, idd: 2 });`);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /'idd' does not exist in type/);
  });

  test('a missing required argument', () => {
    const issues = check(`await demo.get_item({});`);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /Property 'id' is missing/);
  });

  test('no DOM, node or timers: only what the sandbox has', () => {
    const issues = check(`process.env.X;\ndocument.title;\nsetTimeout(() => 1, 5);\nawait fetch('http://x');\nrequire('fs');`);
    assert.deepEqual(
      issues.map((i) => i.line),
      [1, 2, 3, 4, 5],
    );
    for (const i of issues) assert.match(i.message, /Cannot find name/);
    assert.doesNotMatch(issues.map((i) => i.message).join('\n'), /@types\/node|'dom'/, 'no advice that cannot apply');
  });
});

describe('type-check: declarations', () => {
  test('changing declarations changes what checks, and switching back is served from the cache', () => {
    const other = `declare namespace shop { function buy(input: { sku: string }): Promise<{ ok: boolean }>; }`;
    const code = `const r = await shop.buy({ sku: 'a' });\nreturn r.ok;`;
    assert.equal(check(code).length, 1, 'shop is unknown to the demo declarations');
    assert.deepEqual(check(code, other), []);
    assert.equal(check(code).length, 1);
    assert.deepEqual(check(`await demo.get_item({ id: 1 });`), []);
  });

  test('several namespaces in one declarations text', () => {
    const both = `${DEMO}\ndeclare namespace shop { function buy(input: { sku: string }): Promise<{ ok: boolean }>; }`;
    assert.deepEqual(check(`const i = await demo.get_item({ id: 1 });\nreturn (await shop.buy({ sku: i.label })).ok;`, both), []);
  });
});

describe('transpile', () => {
  test('a syntax error is reported at the user line and column', async () => {
    const result = await transpileWithEsbuild(`const a = 1;\nconst b = {;\n`);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual([result.issues[0]!.line, result.issues[0]!.column], [2, 12]);
  });

  test('types are stripped and generated positions map back to the user code', async () => {
    const result = await transpileWithEsbuild(`interface A { a: number }\nconst x: A = { a: 1 };\n    throw new Error('x' + x.a);`);
    assert.ok(result.ok);
    assert.doesNotMatch(result.program.js, /interface/);
    const lines = result.program.js.split('\n');
    const at = lines.findIndex((l) => l.includes('throw'));
    const column = lines[at]!.indexOf('throw') + 1;
    assert.deepEqual(result.program.toUserPosition(at + 1, column), { line: 3, column: 5 });
  });
});
