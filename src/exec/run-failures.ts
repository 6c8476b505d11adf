// The failure values a Code Mode run returns to the model: what went wrong, where in its own code, and
// what to do next. Pure functions over the runner's outcomes.
import type { ToolFailure } from '../errors.js';
import type { ProgramOutcome } from '../../sandbox/bridge-protocol.js';
import { PROGRAM_FILENAME, type CodePosition, type CompileIssue } from '../codegen/program-wrapper.js';
import type { TranspiledProgram } from '../codegen/transpile.js';
import type { StopReason } from './isolate-runner.js';
import type { FailedCall } from './run-bridge.js';

/** Longest error message passed on: a message the program built itself can be huge. */
export const RUN_ERROR_MESSAGE_MAX_CHARS = 2_000;

export interface RunLimits {
  memoryMb: number;
  cpuMs: number;
  wallMs: number;
  maxCalls: number;
}

export function compileFailure(kind: 'syntax' | 'type', issues: CompileIssue[]): { failure: ToolFailure; location?: CodePosition } {
  const list = issues.map((i) => `line ${i.line}, column ${i.column}: ${i.message}`).join('\n');
  const first = issues[0];
  const title = kind === 'syntax' ? 'The program has a syntax error' : 'The program does not type-check';
  return {
    failure: { code: kind === 'syntax' ? 'syntax_error' : 'type_error', message: `${title}; nothing was called.\n${list}`, next: 'Fix the lines above and run the program again.' },
    ...(first && { location: { line: first.line, column: first.column } }),
  };
}

/** The body does not parse on its own: it closes the function it is the body of (an extra `}`). */
export function bodyFailure(detail: string): ToolFailure {
  return {
    code: 'syntax_error',
    message: `The program is not a function body on its own (${clip(detail)}): it has a \`}\` that closes the function it runs in; nothing was run.`,
    next: 'Write the program as the body of an async function: balanced braces, statements only.',
  };
}

export function codeTooLong(chars: number, maxChars: number): ToolFailure {
  return { code: 'invalid_arguments', message: `The program is ${chars} characters long; at most ${maxChars} are accepted.`, next: 'Send a shorter program: fetch and reduce the data in code, do not paste data into it.' };
}

export function typecheckFailure(outcome: { kind: 'timeout'; deadlineMs: number } | { kind: 'failed'; detail: string }): ToolFailure {
  if (outcome.kind === 'timeout') {
    return {
      code: 'type_error',
      message: `The program's types took longer than ${outcome.deadlineMs} ms to check; nothing was run.`,
      next: 'Use simpler types (no recursive conditional or mapped types), or leave the annotations out.',
    };
  }
  return { code: 'type_error', message: `The program could not be type-checked: ${clip(outcome.detail)}; nothing was run.`, next: 'Use simpler types, or leave the annotations out.' };
}

/** An uncaught ToolError: the failed call, named once, with the next step its own cause calls for. */
export function callFailure(failed: FailedCall, location: CodePosition | undefined): ToolFailure {
  const where = location ? ` (line ${location.line}, column ${location.column}; not caught)` : ' (not caught)';
  return {
    code: failed.failure.code,
    message: `${failed.tool} failed${where}: ${failed.failure.message}`,
    next: failed.failure.next ?? 'Fix the program and run it again; the calls already made are listed.',
  };
}

export function poolFailure(reason: 'busy' | 'cancelled' | 'closed'): ToolFailure {
  if (reason === 'cancelled') return { code: 'cancelled', message: 'The run was cancelled before it started.' };
  if (reason === 'closed') return { code: 'not_connected', message: 'The code runner is shutting down.' };
  return { code: 'busy', message: 'All sandboxes are busy and the queue is full.', next: 'Retry in a few seconds.' };
}

export function stopFailure(reason: StopReason, detail: string, limits: RunLimits): ToolFailure {
  switch (reason) {
    case 'cpu':
      return { code: 'limit_exceeded', message: `CPU time limit of ${limits.cpuMs} ms exceeded.`, next: 'Look for an endless loop, or do less work per run.' };
    case 'memory':
      return memoryFailure(limits, '');
    case 'calls':
      return {
        code: 'limit_exceeded',
        message: `More than ${limits.maxCalls} API calls in one run.`,
        next: 'Make fewer calls per run (list endpoints, pagination), or split the work across runs.',
      };
    case 'wall':
      return { code: 'timeout', message: `The program did not finish within ${limits.wallMs} ms.`, next: 'Check for a promise that never settles, or pass a larger timeout_ms.' };
    case 'cancelled':
      return { code: 'cancelled', message: 'The run was cancelled.' };
    case 'crashed':
      return { code: 'runtime_error', message: `The sandbox stopped unexpectedly${detail ? `: ${clip(detail)}` : ''}.`, next: 'Run the program again.' };
  }
}

/** A thrown error (or unhandled rejection) with its position in the user's code when the stack has one. */
export function programFailure(
  outcome: Extract<ProgramOutcome, { ok: false }>,
  program: TranspiledProgram,
  limits: RunLimits,
  failures: readonly FailedCall[],
): { failure: ToolFailure; location?: CodePosition } {
  const location = locate(outcome, program);
  const failed = outcome.name === 'ToolError' && outcome.call !== undefined ? failures[outcome.call] : undefined;
  if (failed) return { failure: callFailure(failed, location), ...(location && { location }) };
  const where = location ? ` (line ${location.line}, column ${location.column})` : '';
  // V8 throws this RangeError when an ArrayBuffer would pass the isolate's memory limit.
  if (outcome.name === 'RangeError' && /allocation failed/i.test(outcome.message)) {
    return { failure: memoryFailure(limits, `: ${outcome.message}${where}`), ...(location && { location }) };
  }
  return {
    failure: { code: 'runtime_error', message: `${outcome.name}: ${clip(outcome.message)}${where}`, next: 'Fix the program and run it again; the calls already made are listed.' },
    ...(location && { location }),
  };
}

function memoryFailure(limits: RunLimits, detail: string): ToolFailure {
  return { code: 'limit_exceeded', message: `Memory limit of ${limits.memoryMb} MB exceeded${detail}.`, next: 'Keep less data in memory: process results page by page.' };
}

/** The first stack frame in the program's own file, mapped back to the user's line:column. */
function locate(outcome: { name: string; message: string; stack: string }, program: TranspiledProgram): CodePosition | undefined {
  const header = `${outcome.name}: ${outcome.message}`;
  const frames = outcome.stack.startsWith(header) ? outcome.stack.slice(header.length) : outcome.stack;
  const file = PROGRAM_FILENAME.replace(/[.]/g, '\\.');
  for (const m of frames.matchAll(new RegExp(`${file}:(\\d+):(\\d+)`, 'g'))) {
    const position = program.toUserPosition(Number(m[1]), Number(m[2]));
    if (position) return position;
  }
  return undefined;
}

function clip(text: string): string {
  const max = RUN_ERROR_MESSAGE_MAX_CHARS;
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more chars]`;
}
