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
/** API calls of one run in flight at once; the rest wait their turn in order. */
export const RUN_MAX_CONCURRENT_CALLS = 8;
/** Program size: far beyond any program a model writes, far below a costly compile. */
export const RUN_MAX_CODE_CHARS = 100_000;
/** A program's type-check deadline: part of the run's time, well under RUN_WALL_MS. */
export const RUN_TYPECHECK_MS = 5_000;
/** Heap limit of the type-check thread: GitHub's whole declarations need about 150 MB. */
export const RUN_TYPECHECK_MEMORY_MB = 768;
/** Result + logs, in characters: ~16k tokens, the same budget as one execute_tool response. */
export const RUN_MAX_OUTPUT_CHARS = 64_000;
