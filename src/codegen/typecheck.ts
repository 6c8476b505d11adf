// Type-checks a Code Mode program against the catalog's generated declarations with the TypeScript
// compiler API, in memory. Lib files are parsed once per checker and the declarations SourceFile is
// cached by content, so a warm check only binds and checks the user's few lines.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { wrapUserCode, unwrapPosition, type CompileIssue } from './program-wrapper.js';

/** Most issues reported at once: the first few say what to fix, the rest are usually knock-on errors. */
export const TYPECHECK_MAX_ISSUES = 10;
/** Distinct declarations texts kept parsed: one per catalog set in use, each a large tree. */
export const TYPECHECK_DECLARATION_CACHE_SIZE = 4;

// Exactly what sandbox/prelude.js defines besides the ES2022 built-ins: no DOM, no node, no timers.
const SANDBOX_GLOBALS = `
interface SandboxConsole {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}
declare var console: SandboxConsole;
/** What a failed API call rejects with. */
declare class ToolError extends Error {
  readonly name: 'ToolError';
  /** \`namespace.function\` */
  readonly tool: string;
  /** HTTP status, when the API answered. */
  readonly status?: number;
  /** http_error, invalid_arguments, network_error, timeout, ... */
  readonly code: string;
  /** The API's answer, cut. */
  readonly body?: unknown;
  /** What to do about it. */
  readonly next?: string;
}
`;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: [],
  noEmit: true,
  noResolve: true,
  // Lenient on purpose: the check exists to stop calls that would fail (wrong argument, misspelled
  // function, missing await). Strict null checks on API fields would reject programs that work.
  strict: false,
  noImplicitAny: false,
  strictNullChecks: false,
  // The generated declarations and lib files are trusted; checking them costs seconds per program.
  skipLibCheck: true,
};

const USER_FILE = '/program/main.ts';
const DECLARATIONS_FILE = '/program/catalog.d.ts';
const GLOBALS_FILE = '/program/sandbox-globals.d.ts';

export interface TypeCheckerOptions {
  maxIssues?: number;
}

export interface TypeChecker {
  /** Issues in the user's code (line:column in the code as given), empty when it type-checks. */
  check(code: string, declarations: string): CompileIssue[];
}

export function createTypeChecker(options: TypeCheckerOptions = {}): TypeChecker {
  const maxIssues = options.maxIssues ?? TYPECHECK_MAX_ISSUES;
  const libDir = path.dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));
  const libFiles = new Map<string, ts.SourceFile | undefined>();
  // Keyed by the declarations text itself: a Map hashes the string once, no separate digest needed.
  const declarationFiles = new Map<string, ts.SourceFile>();
  const globalsFile = parse(GLOBALS_FILE, SANDBOX_GLOBALS);
  let oldProgram: ts.Program | undefined;

  function libFile(fileName: string): ts.SourceFile | undefined {
    if (!libFiles.has(fileName)) {
      let text: string | undefined;
      try {
        text = readFileSync(fileName, 'utf8');
      } catch {
        text = undefined;
      }
      libFiles.set(fileName, text === undefined ? undefined : parse(fileName, text));
    }
    return libFiles.get(fileName);
  }

  function declarationsFile(text: string): ts.SourceFile {
    let file = declarationFiles.get(text);
    if (file) {
      declarationFiles.delete(text); // re-insert: Map order doubles as least-recently-used order
    } else {
      file = parse(DECLARATIONS_FILE, text);
      const oldest = declarationFiles.keys().next();
      if (declarationFiles.size >= TYPECHECK_DECLARATION_CACHE_SIZE && !oldest.done) {
        declarationFiles.delete(oldest.value);
      }
    }
    declarationFiles.set(text, file);
    return file;
  }

  return {
    check(code, declarations) {
      const userFile = parse(USER_FILE, wrapUserCode(code));
      const files = new Map<string, ts.SourceFile>([
        [USER_FILE, userFile],
        [DECLARATIONS_FILE, declarationsFile(declarations)],
        [GLOBALS_FILE, globalsFile],
      ]);
      const host: ts.CompilerHost = {
        getSourceFile: (fileName) => files.get(fileName) ?? libFile(fileName),
        getDefaultLibFileName: (o) => path.join(libDir, ts.getDefaultLibFileName(o)),
        getDefaultLibLocation: () => libDir,
        writeFile: () => {},
        getCurrentDirectory: () => '/',
        getCanonicalFileName: (f) => f,
        useCaseSensitiveFileNames: () => true,
        getNewLine: () => '\n',
        fileExists: (f) => files.has(f) || libFile(f) !== undefined,
        readFile: (f) => files.get(f)?.text ?? libFile(f)?.text,
      };
      // Passing the previous Program lets TypeScript reuse its structure (lib and declaration files).
      const program = ts.createProgram([GLOBALS_FILE, DECLARATIONS_FILE, USER_FILE], COMPILER_OPTIONS, host, oldProgram);
      oldProgram = program;
      const diagnostics = [...program.getSyntacticDiagnostics(userFile), ...program.getSemanticDiagnostics(userFile)];
      const userLineCount = code.split('\n').length;
      return diagnostics.slice(0, maxIssues).map((d) => toIssue(d, userLineCount));
    },
  };
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.ES2022 }, false, ts.ScriptKind.TS);
}

// "Cannot find name" variants whose advice (install @types/node, add 'dom' to lib) cannot apply here.
const LIB_ADVICE_CODES = new Set([2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593]);
const NO_SUCH_GLOBAL = 'the sandbox has only the ES2022 built-ins, console and the catalog namespaces';

function toIssue(d: ts.Diagnostic, userLineCount: number): CompileIssue {
  let message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (LIB_ADVICE_CODES.has(d.code)) message = `${message.slice(0, message.indexOf('.'))}: ${NO_SUCH_GLOBAL}.`;
  // Hints that point into the user's code ("Did you forget to use 'await'?") belong with the message;
  // ones pointing into the declarations ("'id' is declared here") are noise to the reader.
  for (const related of d.relatedInformation ?? []) {
    if (related.file?.fileName === USER_FILE) message += ` ${ts.flattenDiagnosticMessageText(related.messageText, '\n')}`;
  }
  if (d.file === undefined || d.start === undefined) return { line: 1, column: 1, message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const pos = unwrapPosition(line + 1, character + 1, userLineCount);
  // Issues on the wrapper itself (e.g. a missing `}` reported at its end) point at the last user line.
  return { line: pos?.line ?? userLineCount, column: pos?.column ?? 1, message };
}
