// Test helper: type-checks in-memory TypeScript files with the real compiler (strict, noEmit, ES
// libs only, as the sandbox has no DOM or Node globals) and returns the diagnostics as text.
import ts from 'typescript';

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  types: [],
  skipLibCheck: true,
};

/** Lib files parsed once per test process: re-parsing them per check is most of the cost. */
const libCache = new Map<string, ts.SourceFile | undefined>();

/** Diagnostics for `files` (name → text), formatted `file(line,col): message`; empty when it compiles. */
export function compileErrors(files: Record<string, string>): string[] {
  const host = ts.createCompilerHost(OPTIONS);
  const readLib = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    const text = files[name];
    if (text !== undefined) return ts.createSourceFile(name, text, version);
    if (!libCache.has(name)) libCache.set(name, readLib(name, version));
    return libCache.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name in files || fileExists(name);
  const program = ts.createProgram(Object.keys(files), OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${message}`;
  });
}
