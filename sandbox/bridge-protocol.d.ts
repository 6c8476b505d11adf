// The one thing sandbox/ shares with src/: the shapes that cross the isolate boundary. Everything
// crosses as copies (strings or plain data), never as references to host objects.

/** Copied into the fresh context as `__toolshed_config` before the prelude runs. */
export interface SandboxConfig {
  /** Namespace → function names; the prelude defines `namespace.name(args)` for each. */
  namespaces: Record<string, string[]>;
  /** The prelude stops sending console output past this many characters. */
  maxLogChars: number;
}

/**
 * `__toolshed_call` (an ivm.Reference to a host function): `(tool: string, argsJson: string) =>
 * Promise<string>`, the string being a JSON `ToolReply`.
 */
export type ToolReply = { ok: true; value?: unknown } | { ok: false; error: string };

/** `__toolshed_log` (an ivm.Reference, applied without waiting): `(level: LogLevel, text: string) => void`. */
export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** What `__toolshed_start(__main)` resolves with, copied out of the isolate. */
export type ProgramOutcome =
  | { ok: true; /** JSON text of the returned value; absent when it was undefined. */ json?: string }
  | { ok: false; name: string; message: string; /** V8 stack, positions in the transpiled code. */ stack: string };
