// run_code's limit defaults, apart from the runner so the CLI can print and parse them without loading
// the runner (and with it esbuild, the TypeScript compiler and the isolate addon).

export const RUN_POOL_SIZE = 2; // one warm isolate per core of the reference machine
export const RUN_MAX_QUEUE = 8;
export const RUN_MEMORY_MB = 128;
export const RUN_CPU_MS = 10_000;
export const RUN_WALL_MS = 30_000;
/** Upper bound for a caller's `timeoutMs` (the model chooses it). */
export const RUN_MAX_WALL_MS = 300_000;
export const RUN_MAX_CALLS = 500;
/** Result + logs, in characters: ~16k tokens, the same budget as one execute_tool response. */
export const RUN_MAX_OUTPUT_CHARS = 64_000;
