// How a Code Mode program (the body of an async function) is wrapped for the type checker, esbuild and
// the sandbox, and how positions in the wrapped text map back to the user's own lines. Kept apart from
// transpile.ts so the type-check worker can use it without loading esbuild.

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

export function wrapUserCode(code: string): string {
  return MAIN_PREFIX + code + MAIN_SUFFIX;
}

/** Wrapped-source position (1-based line) → user position, or undefined if it falls in the wrapper. */
export function unwrapPosition(line: number, column: number, userLineCount: number): CodePosition | undefined {
  const userLine = line - MAIN_PREFIX_LINES;
  if (userLine < 1 || userLine > userLineCount) return undefined;
  return { line: userLine, column };
}

/**
 * The function body inside transpiled `async function __main() {\n BODY}\n`, or undefined when the
 * output has any other shape (helpers esbuild added for decorators, say). The sandbox checks that
 * BODY parses on its own as a function body before it runs anything: a program that closes the
 * wrapper early (`return 1 }; evil(); {`) leaves a BODY with an unbalanced `}` and is refused.
 */
export function functionBody(js: string): string | undefined {
  const end = js.lastIndexOf('}');
  if (!js.startsWith(MAIN_PREFIX) || end < MAIN_PREFIX.length || js.slice(end + 1).trim() !== '') return undefined;
  return js.slice(MAIN_PREFIX.length, end);
}
