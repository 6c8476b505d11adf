// The option tables and usage texts of `serve`'s Code Mode, task and team flags, apart from the modules
// that act on them: `toolshed search`, `check`, `init` and `bench` parse the same flags without loading
// the MCP SDK, the runner or OpenTelemetry.
import {
  RUN_CPU_MS,
  RUN_MAX_CALLS,
  RUN_MAX_CODE_CHARS,
  RUN_MAX_CONCURRENT_CALLS,
  RUN_MAX_OUTPUT_CHARS,
  RUN_MAX_QUEUE,
  RUN_MEMORY_MB,
  RUN_POOL_SIZE,
  RUN_TYPECHECK_MEMORY_MB,
  RUN_TYPECHECK_MS,
  RUN_WALL_MS,
} from './exec/run-limits.js';

export const TEAM_OPTIONS = {
  'oauth-issuer': { type: 'string' },
  'oauth-audience': { type: 'string' },
  metrics: { type: 'boolean' },
  'metrics-port': { type: 'string' },
} as const;

export const TEAM_USAGE = `Teams (serve --http): OAuth 2.1 resource server
  --oauth-issuer URL     accept access tokens from this authorization server (JWTs checked against its
                         JWKS; opaque tokens by introspection, set in the config's "oauth" block)
  --oauth-audience URL   this server's public MCP URL, which tokens must name as their audience
                         (e.g. https://mcp.example.com/mcp); exclusive with --auth-token
  --metrics              Prometheus metrics at GET /metrics (same port and credentials as /mcp)
  --metrics-port N       serve /metrics on its own loopback listener instead, without credentials
  Traces: set the standard OTEL_* variables (e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318)
  to export OpenTelemetry traces over OTLP/HTTP; log lines then carry trace_id and span_id.`;

export const TASK_OPTIONS = {
  tasks: { type: 'string' },
} as const;

export const TASK_USAGE = `Tasks (MCP "call now, fetch later" for execute_tool and run_code):
  --tasks STORE          memory | redis://HOST:PORT[/DB]: where tasks and their work live; Redis shares them
                         across replicas (a BullMQ queue any replica's worker takes from). Given, execute_tool
                         and run_code list execution.taskSupport "optional". Without it: tasks are still
                         accepted, in memory, but not advertised (tools/list stays as small as it was)`;

export const CODE_MODE_OPTIONS = {
  mode: { type: 'string' },
  'no-typecheck': { type: 'boolean' },
  'run-memory-mb': { type: 'string' },
  'run-cpu-ms': { type: 'string' },
  'run-timeout-ms': { type: 'string' },
  'run-max-calls': { type: 'string' },
  'run-max-concurrent-calls': { type: 'string' },
  'run-max-output-chars': { type: 'string' },
  'run-max-code-chars': { type: 'string' },
  'run-typecheck-ms': { type: 'string' },
  'run-typecheck-memory-mb': { type: 'string' },
  'run-pool-size': { type: 'string' },
  'run-max-queue': { type: 'string' },
} as const;

export const CODE_MODE_USAGE = `Modes and Code Mode (run_code):
  --mode M               dynamic (search, describe, execute_tool) | code (search, describe, run_code) | both (default)
  --no-typecheck         run programs without type-checking them against the catalog's declarations
  --run-memory-mb N      isolate heap limit (default ${RUN_MEMORY_MB})
  --run-cpu-ms N         CPU time per run (default ${RUN_CPU_MS})
  --run-timeout-ms N     wall-clock time per run, awaits included (default ${RUN_WALL_MS}; a call's timeout_ms may lower it)
  --run-max-calls N      API calls per run (default ${RUN_MAX_CALLS})
  --run-max-concurrent-calls N  API calls of one run in flight at once; the rest wait in order (default ${RUN_MAX_CONCURRENT_CALLS})
  --run-max-output-chars N  result + logs, cut structurally beyond (default ${RUN_MAX_OUTPUT_CHARS})
  --run-max-code-chars N program length (default ${RUN_MAX_CODE_CHARS})
  --run-typecheck-ms N   deadline of a program's type-check, part of the run's time (default ${RUN_TYPECHECK_MS})
  --run-typecheck-memory-mb N  heap of the type-check thread (default ${RUN_TYPECHECK_MEMORY_MB})
  --run-pool-size N      warm isolates (default ${RUN_POOL_SIZE})
  --run-max-queue N      runs waiting for an isolate; beyond it a run gets a "busy" result (default ${RUN_MAX_QUEUE})`;
