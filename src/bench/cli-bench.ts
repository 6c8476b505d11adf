// `toolshed bench tokens [catalog flags] [--tasks FILE] [--out DIR]`: the token benchmark on the
// catalog `serve` would load with the same flags. The running toolshed it measures is `toolshed serve`
// with those flags, so task replays call whatever server the catalog points at: the spec's own (the
// real API), or a mock given with --server NAME=URL.
import { resolve } from 'node:path';
import type { ToolshedConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { createProgress } from '../progress.js';

export const BENCH_OPTIONS = {
  tasks: { type: 'string' },
  out: { type: 'string' },
  'allow-writes': { type: 'boolean' },
} as const;

export const BENCH_OUT_DEFAULT = 'toolshed-bench';

export const BENCH_USAGE = `Token benchmark (bench tokens): upfront tokens of the catalog as a plain MCP server, names only, toolshed
per --mode and Code Mode's declarations; with --tasks, each task replayed per mode through a running toolshed
  --tasks FILE           tasks to replay: [{"task": "...", "steps": [{"tool": "ns.tool", "arguments": {...}}], "returns"?: "r[0].length"}]
                         (calls go to the catalog's server: the real API, or a mock given with --server NAME=URL)
  --allow-writes         replay tasks that write (non-GET operations, MCP tools not marked read-only); they are
                         listed first, and each runs once per mode (3 times). Without it such tasks are refused
  --out DIR              where tokens.md, tokens.svg and tokens.json go (default ./${BENCH_OUT_DEFAULT})`;

/** The flags that shape the catalog and the server, passed on to the `toolshed serve` being measured. */
const SERVE_FLAGS = ['openapi', 'config', 'server', 'auth', 'mcp', 'tools-json', 'timeout-ms', 'max-response-tokens', 'no-typecheck', 'run-memory-mb', 'run-cpu-ms', 'run-timeout-ms', 'run-max-calls', 'run-max-output-chars', 'run-pool-size', 'run-max-queue'] as const;

export async function benchCommand(subcommand: string | undefined, config: ToolshedConfig, flags: Record<string, unknown>, log: Logger): Promise<number> {
  if (subcommand !== 'tokens') throw new ConfigError(`bench: unknown benchmark "${subcommand ?? ''}" (try: toolshed bench tokens)`);
  // Imported here: the benchmark's modules (an MCP client, tokenizers, reports) are no part of serving.
  const [{ benchCatalog, writeBenchOutputs }, { readTaskFile }, { loadTokenCounter }] = await Promise.all([import('./bench-tokens.js'), import('./task-file.js'), import('./token-count.js')]);
  const tasks = typeof flags.tasks === 'string' ? await readTaskFile(flags.tasks) : undefined;
  const out = resolve(typeof flags.out === 'string' ? flags.out : BENCH_OUT_DEFAULT);
  const counter = await loadTokenCounter();
  try {
    const catalog = await benchCatalog({ config, serveArgs: serveArgsOf(flags), ...(tasks ? { tasks } : {}), allowWrites: flags['allow-writes'] === true }, { counter, log, progress: createProgress({ forced: flags.progress === true }) });
    const written = await writeBenchOutputs({ catalogs: [catalog], hasClaude: counter.hasClaude }, out, { command: 'toolshed bench tokens' });
    process.stdout.write(written.text);
    process.stderr.write(`\nwrote ${written.files.join(', ')}\n`);
    const failed = catalog.tasks?.some((t) => Object.values(t.runs).some((r) => !r.ok));
    return failed ? 1 : 0;
  } finally {
    counter.close();
  }
}

/** Rebuilds `serve`'s flags from parsed values (repeatable flags repeated, booleans bare). */
export function serveArgsOf(flags: Record<string, unknown>): string[] {
  return SERVE_FLAGS.flatMap((name) => {
    const value = flags[name];
    if (value === true) return [`--${name}`];
    if (typeof value === 'string') return [`--${name}`, value];
    if (Array.isArray(value)) return value.flatMap((v) => [`--${name}`, String(v)]);
    return [];
  });
}
