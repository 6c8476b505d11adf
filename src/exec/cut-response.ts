// Structural cutting of JSON too large to show (API responses, run_code results): the code lives in
// sandbox/cut-json.js, plain JS, because the sandbox runs the same cutter on results too long to copy out.
export { CHARS_PER_TOKEN, DEFAULT_CUT_ADVICE, cutJson, cutJsonText, type CutOptions, type CutResult, type CutTextResult } from '../../sandbox/cut-json.js';
