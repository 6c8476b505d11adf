// Code Mode programs arrive as TypeScript function bodies: esbuild strips the types (in memory, through
// its long-lived service process, ~1 ms a program) and a source map takes runtime stack positions back
// to the user's own line:column.
import { SourceMap, type SourceMapPayload } from 'node:module';
import { transform, type Message, type TransformFailure } from 'esbuild';

/** The program is the body of this function; the type checker and the sandbox both see it so wrapped. */
export const MAIN_FUNCTION = '__main';
// No return annotation: an inferred return type accepts programs that return nothing.
export const MAIN_PREFIX = `async function ${MAIN_FUNCTION}() {\n`;
export const MAIN_SUFFIX = '\n}\n';
/** Lines the prefix adds before the user's first line. */
export const MAIN_PREFIX_LINES = 1;
/** File name the sandbox compiles the program under: stack frames naming it are the user's code. */
export const PROGRAM_FILENAME = 'code.js';

export interface CodePosition {
  /** 1-based line in the user's code. */
  line: number;
  /** 1-based column in the user's code. */
  column: number;
}

export interface CompileIssue extends CodePosition {
  message: string;
}

export interface TranspiledProgram {
  /** JavaScript defining `async function __main()`, as a script (no module syntax). */
  js: string;
  /** Maps a 1-based position in `js` to the user's code, or undefined outside it (the wrapper). */
  toUserPosition(line: number, column: number): CodePosition | undefined;
}

export type TranspileResult = { ok: true; program: TranspiledProgram } | { ok: false; issues: CompileIssue[] };

export function wrapUserCode(code: string): string {
  return MAIN_PREFIX + code + MAIN_SUFFIX;
}

/** Wrapped-source position (1-based line) → user position, or undefined if it falls in the wrapper. */
export function unwrapPosition(line: number, column: number, userLineCount: number): CodePosition | undefined {
  const userLine = line - MAIN_PREFIX_LINES;
  if (userLine < 1 || userLine > userLineCount) return undefined;
  return { line: userLine, column };
}

export async function transpileUserCode(code: string): Promise<TranspileResult> {
  const userLineCount = code.split('\n').length;
  try {
    const out = await transform(wrapUserCode(code), {
      loader: 'ts',
      // Node 20's V8 runs ES2022 natively; nothing needs lowering.
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: 'code.ts',
    });
    const map = new SourceMap(JSON.parse(out.map) as SourceMapPayload);
    return {
      ok: true,
      program: {
        js: out.code,
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
