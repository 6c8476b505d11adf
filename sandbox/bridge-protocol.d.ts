// The one thing sandbox/ shares with src/: the shapes that cross the isolate boundary. Everything
// crosses as copies (strings or plain data), never as references to host objects.

/** The run's settings, copied in as `bind`'s last argument. */
export interface SandboxConfig {
  /** The prelude stops sending console output past this many characters. */
  maxLogChars: number;
  /** A result whose JSON is longer stays in the sandbox (`keptJson`), to be cut there. */
  maxResultChars: number;
}

/**
 * `__toolshed_names`, the one global the host sets before the prelude runs in a fresh context:
 * namespace → its function names as one string, `"\nname\nname\n"`. The prelude binds
 * `namespace.name(args)` on first use; the host copies one prepared copy per catalog version into each
 * context, not a closure per function.
 */
export type SandboxNames = Record<string, string>;

/** The prelude's completion value, held by the host only. */
export interface SandboxControl {
  /**
   * Called once, when a run takes the (possibly long prepared) context. Returns null when `body` parses
   * on its own as a function body, else why not.
   */
  bind(body: SandboxBody, call: unknown, log: unknown, config: SandboxConfig): string | null;
  /** The JSON of a result longer than `maxResultChars` (the outcome then has `keptChars`). */
  keptJson?: string;
}

/** `bind`'s `body`: the program's function body, which the prelude checks parses alone. */
export type SandboxBody = string;

/**
 * `bind`'s `call` (an ivm.Reference to a host function): `(tool: string, argsJson: string) =>
 * Promise<string>`, the string being a JSON `ToolReply`.
 */
export type ToolReply = { ok: true; value: unknown } | { ok: false; error: ToolErrorDetail };

/** What a program's `ToolError` carries (`catch (e) { if (e.status === 404) ... }`). */
export interface ToolErrorDetail {
  /** `namespace.name` */
  tool: string;
  /** HTTP status, when the API answered. */
  status?: number;
  /** A ToolErrorCode: `http_error`, `invalid_arguments`, `network_error`, ... */
  code: string;
  message: string;
  /** The API's answer, cut to a few thousand characters. */
  body?: unknown;
  next?: string;
  /** Index of this failure among the run's failed calls (for the run's own failure report). */
  call: number;
}

/** `bind`'s `log` (an ivm.Reference, applied without waiting): `(level: LogLevel, text: string) => void`. */
export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** What `__toolshed_start(__main)` resolves with, copied out of the isolate. */
export type ProgramOutcome =
  | { ok: true; /** JSON text of the returned value; absent when it was undefined. */ json?: string }
  /** The JSON was longer than `maxResultChars`: it is the control's `keptJson`, this long. */
  | { ok: true; keptChars: number }
  | {
      ok: false;
      name: string;
      message: string;
      /** V8 stack, positions in the transpiled code. */
      stack: string;
      /** Set when the error is an uncaught ToolError: which failed call it came from. */
      call?: number;
    };
