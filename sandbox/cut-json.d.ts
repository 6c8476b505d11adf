// Types of cut-json.js (plain JS, so the sandbox isolate can compile the same file the host imports).

/** ~4 characters per token is a reasonable cross-model estimate for JSON and English text. */
export const CHARS_PER_TOKEN: number;
export const DEFAULT_CUT_ADVICE: string;

export interface CutResult {
  value: unknown;
  truncated: boolean;
  notice?: string;
}

export interface CutOptions {
  /** How to ask for less, ending the notice. */
  advice?: string;
}

/** `value` must be JSON-serializable. The result serializes to at most ~maxChars characters. */
export function cutJson(value: unknown, maxChars: number, options?: CutOptions): CutResult;

export interface CutTextResult {
  /** JSON text of the cut value (the input itself when it fit). */
  json: string;
  truncated: boolean;
  notice?: string;
}

/** `text` must be JSON text. Its cut, as JSON text again, serializes to at most ~maxChars characters. */
export function cutJsonText(text: string, maxChars: number, options?: CutOptions): CutTextResult;
