import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { after, describe, test } from 'node:test';
import { createTranspiler, transpileWithEsbuild, PROGRAM_FILENAME, type TranspiledProgram, type TranspileResult } from '../../src/codegen/transpile.js';
import { wrapUserCode } from '../../src/codegen/program-wrapper.js';

function program(result: TranspileResult): TranspiledProgram {
  assert.ok(result.ok, `expected a program, got ${JSON.stringify(result)}`);
  return result.program;
}

/** Runs the program's JS and maps the stack position of what it throws to the user's code. */
async function thrownAt(p: TranspiledProgram): Promise<unknown> {
  const context = vm.createContext({});
  vm.runInContext(p.js, context, { filename: PROGRAM_FILENAME });
  try {
    await vm.runInContext('__main()', context);
  } catch (error) {
    const frame = new RegExp(`${PROGRAM_FILENAME.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(String((error as Error).stack));
    return frame ? p.toUserPosition(Number(frame[1]), Number(frame[2])) : `no frame in ${String((error as Error).stack)}`;
  }
  return 'nothing thrown';
}

describe('transpile: types stripped in place, esbuild for the rest', () => {
  const transpiler = createTranspiler();
  after(() => transpiler.close());

  test('the stripper blanks types: every position is where it was, no map needed', async () => {
    const code = `interface A { a: number }\nconst x: A = { a: 1 } satisfies A;\n    return (x as A).a!;`;
    const p = program(await transpiler.transpile(code));
    assert.equal(p.via, 'strip');
    assert.equal(p.js.length, wrapUserCode(code).length);
    assert.deepEqual(p.js.split('\n').map((l) => l.length), wrapUserCode(code).split('\n').map((l) => l.length));
    assert.doesNotMatch(p.js, /interface|satisfies|: A/);
    assert.deepEqual(p.toUserPosition(4, 5), { line: 3, column: 5 });
  });

  test('what the stripper refuses goes to esbuild: enums, parameter properties, angle-bracket casts', async () => {
    for (const code of ['enum E { A, B }\nreturn E.B;', 'const enum C { X = 3 }\nreturn C.X;', 'class P { constructor(private x: number) {} }\nreturn new P(1);', 'const u: unknown = 1;\nreturn <number>u;']) {
      assert.equal(program(await transpiler.transpile(code)).via, 'esbuild', code);
    }
  });

  test('syntax errors: the fast path gives esbuild\'s diagnostics at esbuild\'s positions', async () => {
    for (const code of ['const a = 1;\nconst b = {;\n', 'return 1 +;', 'function f() { await 1; }\nreturn 1;', 'const x = (\n']) {
      const fast = await transpiler.transpile(code);
      assert.ok(!fast.ok, code);
      assert.deepEqual(fast, await transpileWithEsbuild(code), code);
    }
  });

  test('runtime errors land on the same user line and column through either path', async () => {
    const programs: Array<[string, { line: number; column: number }]> = [
      [`const x: { y?: { z: number } } = {};\nreturn x.y!.z;`, { line: 2, column: 13 }],
      [`type T = { a: string };\nconst t: T = { a: 'x' };\n  throw new TypeError(t.a as string);`, { line: 3, column: 9 }],
      [`function f<T>(v: T): T {\n  return (v as any).missing.deeper;\n}\nreturn f<number>(1);`, { line: 2, column: 29 }],
      [`const list: Array<{ id: number }> = [];\nconst first = list[0] as { id: number };\nreturn first.id;`, { line: 3, column: 14 }],
    ];
    for (const [code, expected] of programs) {
      const fast = program(await transpiler.transpile(code));
      assert.equal(fast.via, 'strip');
      assert.deepEqual(await thrownAt(fast), expected, `stripped: ${code}`);
      assert.deepEqual(await thrownAt(program(await transpileWithEsbuild(code))), expected, `esbuild: ${code}`);
    }
  });
});

test('the stripper\'s experimental notice is not printed; other warnings still are', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-strip-'));
  try {
    const script = join(dir, 'strip-warning.mts');
    writeFileSync(
      script,
      `import { createTranspiler } from ${JSON.stringify(fileURLToPath(new URL('../../src/codegen/transpile.ts', import.meta.url)))};
const t = createTranspiler();
const r = await t.transpile('const a: number = 1;\\nreturn a;');
process.emitWarning('a warning of the host', 'ExperimentalWarning');
console.log(r.ok && r.program.via);
await t.close();`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.stdout.trim(), 'strip', child.stderr);
    assert.match(child.stderr, /a warning of the host/);
    assert.doesNotMatch(child.stderr, /stripTypeScriptTypes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
