// Code Mode programs arrive as TypeScript function bodies. Node's own stripper (in its thread, see
// strip-thread.ts) blanks the types with spaces, so runtime stack positions are the user's own
// line:column; what it refuses (enums, namespaces, parameter properties, anything that does not parse)
// goes to esbuild, which transforms it through its long-lived service process (~1-2 ms a program) with a
// source map back to the user's code, and whose positioned diagnostics are the syntax errors users see.
// esbuild is imported on first use (or by warm), never at start-up: a process that never runs code
// never loads it.
import { SourceMap, type SourceMapPayload } from 'node:module';
import type { Message, TransformFailure } from 'esbuild';
import { functionBody, unwrapPosition, wrapUserCode, type CodePosition, type CompileIssue } from './program-wrapper.js';
import { createStripThread } from './strip-thread.js';

export { MAIN_FUNCTION, PROGRAM_FILENAME, type CodePosition, type CompileIssue } from './program-wrapper.js';

export interface TranspiledProgram {
  /** JavaScript defining `async function __main()`, as a script (no module syntax). */
  js: string;
  /** The function's body alone: the sandbox checks it parses as a body before running `js`. */
  body: string;
  /** Maps a 1-based position in `js` to the user's code, or undefined outside it (the wrapper). */
  toUserPosition(line: number, column: number): CodePosition | undefined;
  /**
   * 'strip': types blanked, nothing else looked at. Such a program may still be one esbuild rejects
   * (`let a; let a;`); when it fails to check or to parse, ask `transpileWithEsbuild` for the diagnostics.
   */
  via: 'strip' | 'esbuild';
}

export type TranspileResult = { ok: true; program: TranspiledProgram } | { ok: false; issues: CompileIssue[] };

export interface Transpiler {
  /** The stripper first, esbuild for what it refuses. */
  transpile(code: string): Promise<TranspileResult>;
  /** Loads esbuild and starts its service process and the strip thread, so the first program waits for neither. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createTranspiler(options: { log?(message: string): void } = {}): Transpiler {
  const stripper = createStripThread(options);
  return {
    async transpile(code) {
      const js = await stripper.strip(wrapUserCode(code));
      const body = js === undefined ? undefined : functionBody(js);
      if (js === undefined || body === undefined) return transpileWithEsbuild(code);
      const userLineCount = code.split('\n').length;
      return { ok: true, program: { js, body, via: 'strip', toUserPosition: (line, column) => unwrapPosition(line, column, userLineCount) } };
    },
    async warm() {
      await stripper.warm(); // its thread does the work; here it is one Worker constructor
      await warmEsbuild();
    },
    close: () => stripper.close(),
  };
}

let esbuild: Promise<typeof import('esbuild')> | undefined;
const loadEsbuild = () => (esbuild ??= import('esbuild'));

let warmed: Promise<void> | undefined;
function warmEsbuild(): Promise<void> {
  return (warmed ??= transpileWithEsbuild('return 0').then(
    () => undefined,
    (error: unknown) => {
      warmed = undefined; // the next run tries again
      throw error;
    },
  ));
}

export async function transpileWithEsbuild(code: string): Promise<TranspileResult> {
  const userLineCount = code.split('\n').length;
  const { transform } = await loadEsbuild();
  try {
    const out = await transform(wrapUserCode(code), {
      loader: 'ts',
      // Node 24's V8 runs ES2022 natively; nothing needs lowering.
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: 'code.ts',
    });
    const body = functionBody(out.code);
    if (body === undefined) {
      return { ok: false, issues: [{ line: 1, column: 1, message: 'The program uses syntax that needs helper code outside its function body (decorators, for instance); Code Mode runs plain function bodies only.' }] };
    }
    const map = new SourceMap(JSON.parse(out.map) as SourceMapPayload);
    return {
      ok: true,
      program: {
        js: out.code,
        body,
        via: 'esbuild',
        toUserPosition(line, column) {
          // node:module SourceMap is 0-based; V8 stack positions are 1-based.
          const entry = map.findEntry(line - 1, column - 1) as Partial<{ originalLine: number; originalColumn: number }>;
          if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
          return unwrapPosition(entry.originalLine + 1, entry.originalColumn + 1, userLineCount);
        },
      },
    };
  } catch (error) {
    if (!isTransformFailure(error)) throw new Error('esbuild failed to run', { cause: error });
    return { ok: false, issues: error.errors.map((m) => toIssue(m, userLineCount)) };
  }
}

function toIssue(m: Message, userLineCount: number): CompileIssue {
  const loc = m.location;
  // esbuild columns are 0-based; an error past the end (unclosed brace) lands on the wrapper's `}`.
  const pos = loc ? unwrapPosition(loc.line, loc.column + 1, userLineCount) : undefined;
  return { line: pos?.line ?? userLineCount, column: pos?.column ?? 1, message: m.text };
}

function isTransformFailure(error: unknown): error is TransformFailure {
  return error instanceof Error && Array.isArray((error as Partial<TransformFailure>).errors);
}
