// `toolshed serve | search | bench`: flags → config → Toolshed → stdio server, a ranked list for a person, or a benchmark.
// Flags are parsed with node's own util.parseArgs (no dependency, strict: unknown flags are errors).
import { homedir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_EXEC_LIMITS, type OpenApiSourceConfig } from './config-types.js';
import { parseMcpFlag, parseToolsJsonFlag } from './config-mcp.js';
import { parseOpenApiFlag, parseServerFlag, readConfigFile, type ToolshedConfig } from './config.js';
import { applyAuthFlags, githubCredentials, parseAuthFlag } from './config-credentials.js';
import { argsErrorMessage, packageVersion } from './cli-args.js';
import { INIT_OPTIONS, INIT_USAGE, initCommand } from './cli-init.js';
import { carriedArgs, configPathOf, CONFIG_FILE_DEFAULT, credentialEnvNames, desktopEntry, desktopHelp, exampleQuery } from './cli-desktop.js';
import { CatalogLoadError, ConfigError } from './errors.js';
import type { ServerFactory } from './cli-code-mode.js';
import { CODE_MODE_OPTIONS, CODE_MODE_USAGE, TASK_OPTIONS, TASK_USAGE, TEAM_OPTIONS, TEAM_USAGE } from './cli-serve-options.js';
import type { Observability } from './cli-team.js';
import { BENCH_OPTIONS, BENCH_USAGE, benchCommand } from './bench/cli-bench.js';
import { CHECK_USAGE, checkCommand } from './cli-check.js';
import { commaList, positiveInt, wholeNumber } from './cli-flags.js';
import { RESPONSE_PROFILES, type ResponseProfile } from './exec/lean-response.js';
import { createLogger, type Logger } from './log.js';
import { traceIdsMixin, tracingRequested } from './observability/tracing.js';
import type { EmbeddingsProviderName } from './search/embeddings-config.js';
import { needsLine } from './search/plans.js';
import { AUTH_TOKEN_ENV } from './server/bearer-auth.js';
import { createGate, MAX_CONCURRENT_CALLS_DEFAULT, MAX_QUEUE_DEFAULT } from './server/concurrency-gate.js';
import { HTTP_HOST_DEFAULT, HTTP_PORT_DEFAULT, MAX_BODY_BYTES_DEFAULT, SHUTDOWN_TIMEOUT_MS_DEFAULT } from './server/http-defaults.js';
import { isLoopback } from './server/origin-check.js';
import { MAX_SESSIONS_DEFAULT, SESSION_IDLE_MS_DEFAULT } from './server/session-store.js';
import type { ToolEntry } from './catalog/tool-entry.js';
import { MAX_LINE_BYTES_DEFAULT } from './server/stdio-defaults.js';
import { createProgress, type Progress } from './progress.js';
import { defaultCacheDir } from './cache/disk-cache.js';
import { READY_WAIT_MS_DEFAULT } from './server/await-catalogs.js';
import { openToolshed, startToolshed, type Toolshed } from './toolshed.js';

/** Shutdown: the process exits at most this long after --shutdown-timeout-ms runs out. */
const SHUTDOWN_GRACE_MS = 500;
/** The forced exit fires this much before the grace ends, leaving time for the exit itself. */
const EXIT_MARGIN_MS = 50;
/** Upstreams reached at the deadline still get this long to exit on their own before they are killed. */
const UPSTREAM_CLOSE_MIN_MS = 150;
/** The embedded default: GitHub's REST API (1,223 operations) and the classic petstore. */
export const DEFAULT_CATALOGS: OpenApiSourceConfig[] = [
  { namespace: 'github', openapi: fileURLToPath(new URL('../catalogs/github.json.br', import.meta.url)) },
  { namespace: 'petstore', openapi: fileURLToPath(new URL('../catalogs/petstore.json', import.meta.url)) },
];

/** The defaults as served: GitHub takes GITHUB_TOKEN (or GH_TOKEN) with no config. */
function defaultCatalogs(env: NodeJS.ProcessEnv): OpenApiSourceConfig[] {
  return DEFAULT_CATALOGS.map((c) => (c.namespace === 'github' ? { ...c, credentials: githubCredentials(env) } : { ...c }));
}

const USAGE = `Usage:
  toolshed serve  [--openapi [NAME=]PATH_OR_URL]... [--config FILE] [options]
  toolshed search "QUERY" [--openapi ...] [--config FILE] [--limit N]
  toolshed bench tokens [--openapi ...] [--config FILE] [--tasks FILE] [--out DIR]
  toolshed check [SRC...] [--config FILE] [--strict]
  toolshed init   [--openapi [NAME=]PATH_OR_URL]... [--config FILE] [--force]

With no --openapi and no config file, toolshed serves its embedded default catalogs (GitHub REST, petstore).

Options:
  --openapi [NAME=]SRC   OpenAPI 3.x / Swagger 2.0 document (file or http(s) URL, JSON or YAML); repeatable
  --config FILE          toolshed.config.json (catalogs, credentials by env var name, server overrides, limits);
                         ./${CONFIG_FILE_DEFAULT} is read when present
  --server NAME=URL      send NAME's requests to URL instead of the spec's servers; repeatable
  --auth NAME=ENV_VAR    catalog NAME's credentials come from env var ENV_VAR (its value is never printed);
                         NAME.SCHEME=ENV_VAR for one security scheme, NAME.SCHEME=USER_ENV:PASS_ENV for basic
                         auth; repeatable. The default github catalog reads GITHUB_TOKEN (or GH_TOKEN) by itself
  --mcp NAME=COMMAND [ARGS...]  an upstream MCP server over stdio, one quoted value split as a shell would
                         (e.g. --mcp "memory=npx -y @modelcontextprotocol/server-memory"); repeatable
  --mcp NAME=URL         an upstream MCP server over Streamable HTTP (http(s)://host/mcp); repeatable
  --tools-json [NAME=]FILE  MCP tool definitions (a tools/list result, or LiveMCPBench's tools.json: one
                         namespace per server): searchable and typed, not callable; repeatable
  --strict               refuse to start on any catalog problem (a source that fails to load, an open
                         schema, a skipped operation); by default such problems are warnings
  --timeout-ms N         outbound HTTP timeout per request (default ${DEFAULT_EXEC_LIMITS.timeoutMs})
  --max-response-tokens N  cut larger responses, with a notice (default ${DEFAULT_EXEC_LIMITS.maxResponseTokens})
  --responses P          execute_tool's JSON results, every catalog: lean (default: API links and null/empty
                         fields left out, with a one-line notice; "raw": true per call) or raw (as sent)
  --limit N              search: how many matches (default 10)
  --log-level LEVEL      fatal|error|warn|info|debug (default info; logs go to stderr)
  --ready-wait-ms N      serve answers at once and loads catalogs in the background; a tool call that arrives
                         before they are in waits this long, then gets a "loading" result (default ${READY_WAIT_MS_DEFAULT})
  --cache-dir DIR        where parsed catalogs, search indexes and tool vectors are kept between starts
                         (default ${defaultCacheDir().replace(homedir(), '~')}; entries are rebuilt when a document or toolshed changes)
  --no-cache             neither read nor write the cache
  --embeddings P         search ranking: builtin (hybrid BM25 + the bundled offline model, default),
                         openai (any OpenAI-compatible /v1/embeddings: key in TOOLSHED_EMBEDDINGS_KEY or
                         OPENAI_API_KEY), none (BM25 only)
  --embeddings-url URL   openai: base URL, e.g. http://localhost:11434/v1 (Ollama)
  --embeddings-model M   openai: model name (default text-embedding-3-small)
  --max-line-bytes N     stdio: longest message line; a longer one is refused, the server goes on (default ${MAX_LINE_BYTES_DEFAULT})

Remote serving (serve --http): MCP Streamable HTTP at /mcp, plus GET /healthz and /readyz
  --http                 serve over HTTP instead of stdio
  --port N               port (default ${HTTP_PORT_DEFAULT}; 0 picks a free one, printed on stderr)
  --host H               interface to bind (default ${HTTP_HOST_DEFAULT}; 0.0.0.0 for all, e.g. in a container)
  --stateless            no sessions: every POST stands alone, JSON responses (any replica can answer)
  --auth-token T         require "Authorization: Bearer T" on /mcp (better: set ${AUTH_TOKEN_ENV})
  --allowed-origins LIST browser Origins allowed, comma-separated (default: localhost, 127.0.0.1, [::1])
  --allowed-hosts LIST   Host header names allowed, comma-separated (default: loopback names when bound
                         to loopback, any otherwise)
  --session-idle-ms N    close a session after N ms without requests (default ${SESSION_IDLE_MS_DEFAULT})
  --max-sessions N       open sessions at most (default ${MAX_SESSIONS_DEFAULT})
  --max-body-bytes N     largest request body (default ${MAX_BODY_BYTES_DEFAULT})
  --max-concurrent-calls N  tool executions at once, all sessions together (default ${MAX_CONCURRENT_CALLS_DEFAULT})
  --max-queue N          executions waiting for a slot; beyond it a call gets a "busy" result (default ${MAX_QUEUE_DEFAULT})
  --shutdown-timeout-ms N  on SIGTERM/SIGINT, how long in-flight requests may finish (default ${SHUTDOWN_TIMEOUT_MS_DEFAULT})
  --progress             progress lines on stderr for steps over a second (loading, indexing, bench replays);
                         on by default only when stderr is a terminal
  --version              print toolshed's version
  -h, --help             this text

${TEAM_USAGE}

${CODE_MODE_USAGE}

${TASK_USAGE}

${BENCH_USAGE}

${CHECK_USAGE}

${INIT_USAGE}`;

const OPTIONS = {
  openapi: { type: 'string', multiple: true },
  config: { type: 'string' },
  server: { type: 'string', multiple: true },
  auth: { type: 'string', multiple: true },
  mcp: { type: 'string', multiple: true },
  'tools-json': { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'max-response-tokens': { type: 'string' },
  responses: { type: 'string' },
  limit: { type: 'string' },
  'log-level': { type: 'string' },
  'ready-wait-ms': { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  embeddings: { type: 'string' },
  'embeddings-url': { type: 'string' },
  'embeddings-model': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  http: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  stateless: { type: 'boolean' },
  'auth-token': { type: 'string' },
  'allowed-origins': { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'session-idle-ms': { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-concurrent-calls': { type: 'string' },
  'max-queue': { type: 'string' },
  'shutdown-timeout-ms': { type: 'string' },
  ...TEAM_OPTIONS,
  ...CODE_MODE_OPTIONS,
  ...TASK_OPTIONS,
  ...BENCH_OPTIONS,
  ...INIT_OPTIONS,
  version: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`toolshed: ${argsErrorMessage(e as Error, Object.keys(OPTIONS))}\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  if (flags.version) {
    process.stdout.write(`toolshed ${packageVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    process.stderr.write(`${USAGE}\n`);
    return flags.help ? 0 : 2;
  }
  // A person reading `search` output wants results, not JSON progress lines.
  const log = createLogger(flags['log-level'] ?? (command === 'search' || command === 'bench' ? 'warn' : undefined), command === 'serve' && tracingRequested(process.env) ? { mixin: traceIdsMixin } : {});
  try {
    if (command === 'init') return await initCommand(flags, defaultCatalogs({}));
    const config = await buildConfig(flags);
    if (command === 'serve') return await serve(config, log, flags, argv);
    if (command === 'search') return await search(config, log, rest.join(' '), positiveInt(flags.limit, '--limit') ?? 10, createProgress({ forced: flags.progress ?? false }));
    if (command === 'bench') return await benchCommand(rest[0], config, flags, log);
    if (command === 'check') return await checkCommand(rest, config.openapi, { strict: flags.strict ?? false, write: (text) => process.stdout.write(text) });
    process.stderr.write(`toolshed: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  } catch (e) {
    if (e instanceof CatalogLoadError || e instanceof ConfigError) {
      process.stderr.write(`toolshed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function buildConfig(flags: Flags): Promise<ToolshedConfig> {
  const configPath = configPathOf(flags);
  const fromFile = configPath ? await readConfigFile(configPath) : { openapi: [], limits: { ...DEFAULT_EXEC_LIMITS } };
  const fromFlags = (flags.openapi ?? []).map(parseOpenApiFlag);
  const mcp = [...(fromFile.mcp ?? []), ...(flags.mcp ?? []).map(parseMcpFlag)];
  const toolsJson = [...(fromFile.toolsJson ?? []), ...(flags['tools-json'] ?? []).map((v) => parseToolsJsonFlag(v))];
  const given = [...fromFile.openapi, ...fromFlags];
  const openapi = given.length || mcp.length || toolsJson.length ? given : defaultCatalogs(process.env);
  for (const [namespace, url] of (flags.server ?? []).map(parseServerFlag)) {
    const target = openapi.find((s) => s.namespace === namespace) ?? (openapi.length === 1 && !openapi[0]!.namespace ? openapi[0] : undefined);
    if (!target) throw new ConfigError(`--server ${namespace}=…: no catalog is named "${namespace}" (catalogs: ${openapi.map((s) => s.namespace ?? s.openapi).join(', ') || 'none'}; name one with --openapi ${namespace}=PATH)`);
    target.server = url;
  }
  applyAuthFlags(openapi, (flags.auth ?? []).map(parseAuthFlag));
  const timeoutMs = positiveInt(flags['timeout-ms'], '--timeout-ms');
  const maxResponseTokens = positiveInt(flags['max-response-tokens'], '--max-response-tokens');
  const responses = responseProfile(flags.responses);
  const embeddings = {
    ...fromFile.embeddings,
    ...(flags.embeddings ? { provider: flags.embeddings as EmbeddingsProviderName } : {}),
    ...(flags['embeddings-url'] ? { url: flags['embeddings-url'] } : {}),
    ...(flags['embeddings-model'] ? { model: flags['embeddings-model'] } : {}),
  };
  return {
    openapi,
    mcp,
    toolsJson,
    embeddings,
    ...(fromFile.oauth ? { oauth: fromFile.oauth } : {}),
    limits: { ...fromFile.limits, ...(timeoutMs ? { timeoutMs } : {}), ...(maxResponseTokens ? { maxResponseTokens } : {}) },
    ...(flags.strict ? { strict: true } : {}),
    // The flag is the launch-time choice: it holds for every catalog, over the config file's settings.
    ...(responses ? { responses } : fromFile.responses ? { responses: fromFile.responses } : {}),
    ...(responses ? { openapi: openapi.map(({ responses: _fromFile, ...c }) => c) } : {}),
    ...(flags['no-cache'] ? { cacheDir: false } : flags['cache-dir'] ? { cacheDir: resolvePath(flags['cache-dir']) } : {}),
  };
}

function responseProfile(value: string | undefined): ResponseProfile | undefined {
  if (value === undefined) return undefined;
  if (!(RESPONSE_PROFILES as readonly string[]).includes(value)) throw new ConfigError(`--responses expects one of ${RESPONSE_PROFILES.join(', ')}, got "${value}"`);
  return value as ResponseProfile;
}

/** Answer first, load after: the session is up at once, catalogs load behind it; a load failure ends it. */
async function serve(config: ToolshedConfig, log: Logger, flags: Flags, argv: string[]): Promise<number> {
  // Imported here: `search`, `check`, `init` and `bench` never need the MCP SDK, the runner or OpenTelemetry.
  const [{ startObservability }, { serverFactoryFromFlags }, { LineTransport }] = await Promise.all([import('./cli-team.js'), import('./cli-code-mode.js'), import('./server/stdio-transport.js')]);
  const observability = await startObservability(flags, log);
  if (flags.http) return serveOverHttp(config, log, flags, observability);
  if (observability.metrics && !observability.ownPort) throw new ConfigError('--metrics serves /metrics on the HTTP port: add --http, or give it a port of its own with --metrics-port N');
  const factory = serverFactoryFromFlags(flags, log, observability.observer);
  const maxLineBytes = positiveInt(flags['max-line-bytes'], '--max-line-bytes');
  await factory.start();
  const gate = createGate({ maxConcurrent: positiveInt(flags['max-concurrent-calls'], '--max-concurrent-calls') ?? MAX_CONCURRENT_CALLS_DEFAULT, maxQueue: wholeNumber(flags['max-queue'], '--max-queue') ?? MAX_QUEUE_DEFAULT });
  const toolshed = startObserved(config, log, observability, createProgress({ forced: flags.progress ?? false }));
  const server = factory.create(toolshed, log, gate);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    void server.close();
  };
  let loadError: unknown;
  toolshed.ready.then(
    () => {
      factory.attach(toolshed);
      if (stopping) return;
      printConnectHelp(config, toolshed, argv);
      warmUp(toolshed, factory, log);
    },
    (e: unknown) => {
      if (stopping) return; // closed while loading: the load stops itself, nothing to report
      loadError = e;
      stop();
    },
  );
  await server.connect(new LineTransport({ log, maxLineBytes }));
  // The client closing our stdin (or a signal) ends the session; upstream servers are stopped below
  // rather than left holding the process open.
  process.stdin.once('end', stop);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
  await closed;
  await factory.close();
  await toolshed.close();
  await observability.close();
  if (loadError) throw loadError;
  return 0;
}

/**
 * Loads the executors and Code Mode's engine (esbuild, the type-check thread, the isolates) once the
 * catalogs are in and the calls that waited for them have their answers, so the first call does not pay.
 */
function warmUp(toolshed: Toolshed, factory: ServerFactory, log: Logger): void {
  // The executors first (tens of ms): an execute_tool is the likelier first call.
  setImmediate(() => void toolshed.warm().catch((e: unknown) => log.warn({ err: e }, 'warming the executors failed: the first call loads them')));
  if (factory.mode === 'dynamic') return;
  setImmediate(() => {
    const started = performance.now();
    factory.warm().then(
      () => log.info({ ms: Math.round(performance.now() - started) }, 'code mode warmed'),
      (e: unknown) => log.warn({ err: e }, 'Code Mode warm-up failed: the first run_code loads it'),
    );
  });
}

/** startToolshed, with outbound HTTP and tool calls measured and traced when observability is on. */
function startObserved(config: ToolshedConfig, log: Logger, { observer, metrics }: Observability, progress: Progress): Toolshed {
  const toolshed = startToolshed(config, log, { progress, ...(observer ? { fetch: observer.fetch(globalThis.fetch) } : {}) });
  toolshed.ready.then(() => metrics?.catalogLoaded(toolshed.loadState().ms / 1000), () => undefined);
  metrics?.watch({ toolshed: () => toolshed });
  return observer ? observer.toolshed(toolshed) : toolshed;
}

/** Listens at once (so /healthz answers) while catalogs load; stops on SIGTERM/SIGINT after draining. */
async function serveOverHttp(config: ToolshedConfig, log: Logger, flags: Flags, observability: Observability): Promise<number> {
  const host = flags.host ?? HTTP_HOST_DEFAULT;
  const authToken = flags['auth-token'] ?? (process.env[AUTH_TOKEN_ENV] || undefined);
  const [{ oauthFromFlags }, { serverFactoryFromFlags }] = await Promise.all([import('./cli-team.js'), import('./cli-code-mode.js')]);
  const oauth = await oauthFromFlags(flags, config, authToken, log);
  if (!authToken && !oauth && !isLoopback(host)) log.warn({ host }, `serving beyond loopback without a token: set ${AUTH_TOKEN_ENV} unless a proxy authenticates`);
  const factory = serverFactoryFromFlags(flags, log, observability.observer);
  observability.metrics?.watch({ pool: factory.poolStats });
  const shutdownTimeoutMs = positiveInt(flags['shutdown-timeout-ms'], '--shutdown-timeout-ms') ?? SHUTDOWN_TIMEOUT_MS_DEFAULT;
  await factory.start();
  const toolshed = startObserved(config, log, observability, createProgress({ forced: flags.progress ?? false }));
  const loading = toolshed.ready.then(() => toolshed);
  loading.then(
    (t) => {
      factory.attach(t);
      warmUp(t, factory, log);
    },
    () => undefined,
  );
  // Imported here: a stdio start never needs the HTTP transport.
  const { serveHttp } = await import('./server/http-server.js');
  const listening = serveHttp({
    toolshed,
    log,
    createServer: (toolshed, sessionLog, gate, principal) => factory.create(toolshed, sessionLog, gate, principal),
    host,
    port: wholeNumber(flags.port, '--port') ?? HTTP_PORT_DEFAULT,
    stateless: flags.stateless ?? false,
    authToken,
    ...(oauth ? { auth: oauth } : {}),
    allowedOrigins: commaList(flags['allowed-origins']),
    allowedHosts: commaList(flags['allowed-hosts']),
    sessionIdleMs: positiveInt(flags['session-idle-ms'], '--session-idle-ms'),
    maxSessions: positiveInt(flags['max-sessions'], '--max-sessions'),
    maxBodyBytes: positiveInt(flags['max-body-bytes'], '--max-body-bytes'),
    maxConcurrentCalls: positiveInt(flags['max-concurrent-calls'], '--max-concurrent-calls'),
    maxQueue: wholeNumber(flags['max-queue'], '--max-queue'),
    ...(observability.metrics ? { metrics: observability.metrics, metricsRoute: !observability.ownPort } : {}),
    ...(observability.observer ? { observer: observability.observer } : {}),
  });
  const serving = await listening.catch(async (e: unknown) => {
    await toolshed.close();
    throw new ConfigError(`cannot listen on ${host}:${flags.port ?? HTTP_PORT_DEFAULT}: ${(e as Error).message}`, { cause: e });
  });
  process.stderr.write(`toolshed is serving ${config.openapi.length} catalog(s) over Streamable HTTP at ${serving.url}\nPoint an MCP client at that URL. Ctrl+C stops (twice: at once).\n`);
  let loadError: unknown;
  // `once`: a second Ctrl+C during the drain falls through to node's default and ends the process at once.
  const signal = await new Promise<string | undefined>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
    loading.catch((e: unknown) => {
      loadError = e;
      resolve(undefined);
    });
  });
  const signalled = performance.now();
  const stopBy = signalled + shutdownTimeoutMs;
  // Whatever still hangs, the process ends by the deadline plus the grace; unref'd, it never keeps it alive.
  setTimeout(() => {
    log.error({ signal }, 'shutdown overran its deadline: exiting now');
    process.exit(process.exitCode ?? 0);
  }, shutdownTimeoutMs + SHUTDOWN_GRACE_MS - EXIT_MARGIN_MS).unref();
  // Task workers drain beside the HTTP requests: no new job from the signal on, the same deadline.
  const [{ drained }] = await Promise.all([serving.close(shutdownTimeoutMs), factory.drain(shutdownTimeoutMs)]);
  // Code Mode (possibly mid-warm-up) and the upstreams close side by side: neither waits for the other.
  const codeModeClosed = factory.close();
  if (loadError) {
    await codeModeClosed;
    throw loadError;
  }
  // Upstreams get what is left of the same deadline (at least a moment to see stdin close), then are killed.
  await Promise.all([codeModeClosed, toolshed.close(Math.max(UPSTREAM_CLOSE_MIN_MS, stopBy - performance.now()))]);
  await observability.close();
  log.info({ signal, drained, ms: Math.round(performance.now() - signalled) }, 'stopped');
  return 0;
}

async function search(config: ToolshedConfig, log: Logger, query: string, limit: number, progress: Progress): Promise<number> {
  if (!query) throw new ConfigError('search needs a query: toolshed search "create an issue"');
  const toolshed = await openToolshed(config, log, { progress });
  const hits = await toolshed.search(query, limit);
  await toolshed.close();
  const needs = (t: ToolEntry) => toolshed.needsOf(t, query);
  const lines = hits.map((t, i) => `${String(i + 1).padStart(2)}. ${t.id}${t.binding.kind === 'http' ? `  ${t.binding.method} ${t.binding.path}` : ''}\n    ${t.summary}${needs(t).length ? `\n    ${needsLine(needs(t))}` : ''}`);
  process.stdout.write(`${lines.join('\n') || `no matches for "${query}"`}\n`);
  return 0;
}

/** Shown when a person runs `toolshed serve` in a terminal: how to plug this very server into a client. */
function printConnectHelp(config: ToolshedConfig, toolshed: Toolshed, argv: string[]): void {
  const entry = desktopEntry(carriedArgs(argv, OPTIONS), credentialEnvNames(config));
  const example = exampleQuery(toolshed.catalogs[0]?.tools ?? []);
  process.stderr.write(`\ntoolshed is serving ${toolshed.catalogs.length} catalog(s) over stdio (this terminal is now the MCP channel).\n${desktopHelp(entry, example)}Press Ctrl+C to stop.\n`);
}
