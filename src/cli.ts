// `toolshed serve | search`: flags → config → Toolshed → stdio server or a ranked list for a person.
// Flags are parsed with node's own util.parseArgs (no dependency, strict: unknown flags are errors).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { DEFAULT_EXEC_LIMITS, type OpenApiSourceConfig } from './config-types.js';
import { parseOpenApiFlag, parseServerFlag, readConfigFile, type ToolshedConfig } from './config.js';
import { CatalogLoadError, ConfigError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { createMcpServer } from './server/create-server.js';
import { openToolshed } from './toolshed.js';

const CONFIG_FILE_DEFAULT = 'toolshed.config.json';
/** The embedded default: GitHub's REST API (1,223 operations) and the classic petstore. */
export const DEFAULT_CATALOGS: OpenApiSourceConfig[] = [
  { namespace: 'github', openapi: fileURLToPath(new URL('../catalogs/github.json.br', import.meta.url)) },
  { namespace: 'petstore', openapi: fileURLToPath(new URL('../catalogs/petstore.json', import.meta.url)) },
];

const USAGE = `Usage:
  toolshed serve  [--openapi [NAME=]PATH_OR_URL]... [--config FILE] [options]
  toolshed search "QUERY" [--openapi ...] [--config FILE] [--limit N]

With no --openapi and no config file, toolshed serves its embedded default catalogs (GitHub REST, petstore).

Options:
  --openapi [NAME=]SRC   OpenAPI 3.x / Swagger 2.0 document (file or http(s) URL, JSON or YAML); repeatable
  --config FILE          toolshed.config.json (catalogs, credentials by env var name, server overrides, limits);
                         ./${CONFIG_FILE_DEFAULT} is read when present
  --server NAME=URL      send NAME's requests to URL instead of the spec's servers; repeatable
  --timeout-ms N         outbound HTTP timeout per request (default ${DEFAULT_EXEC_LIMITS.timeoutMs})
  --max-response-tokens N  cut larger responses, with a notice (default ${DEFAULT_EXEC_LIMITS.maxResponseTokens})
  --limit N              search: how many matches (default 10)
  --log-level LEVEL      fatal|error|warn|info|debug (default info; logs go to stderr)
  -h, --help             this text`;

const OPTIONS = {
  openapi: { type: 'string', multiple: true },
  config: { type: 'string' },
  server: { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  'max-response-tokens': { type: 'string' },
  limit: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`toolshed: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    process.stderr.write(`${USAGE}\n`);
    return flags.help ? 0 : 2;
  }
  // A person reading `search` output wants results, not JSON progress lines.
  const log = createLogger(flags['log-level'] ?? (command === 'search' ? 'warn' : undefined));
  try {
    const config = await buildConfig(flags);
    if (command === 'serve') return await serve(config, log);
    if (command === 'search') return await search(config, log, rest.join(' '), positiveInt(flags.limit, '--limit') ?? 10);
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
  const configPath = flags.config ?? (existsSync(CONFIG_FILE_DEFAULT) ? CONFIG_FILE_DEFAULT : undefined);
  const fromFile = configPath ? await readConfigFile(configPath) : { openapi: [], limits: { ...DEFAULT_EXEC_LIMITS } };
  const fromFlags = (flags.openapi ?? []).map(parseOpenApiFlag);
  const openapi = [...fromFile.openapi, ...fromFlags];
  for (const [namespace, url] of (flags.server ?? []).map(parseServerFlag)) {
    const target = openapi.find((s) => s.namespace === namespace) ?? (openapi.length === 1 && !openapi[0]!.namespace ? openapi[0] : undefined);
    if (!target) throw new ConfigError(`--server ${namespace}=…: no catalog is named "${namespace}" (name it with --openapi ${namespace}=PATH)`);
    target.server = url;
  }
  const timeoutMs = positiveInt(flags['timeout-ms'], '--timeout-ms');
  const maxResponseTokens = positiveInt(flags['max-response-tokens'], '--max-response-tokens');
  return {
    openapi: openapi.length ? openapi : DEFAULT_CATALOGS.map((c) => ({ ...c })),
    limits: { ...fromFile.limits, ...(timeoutMs ? { timeoutMs } : {}), ...(maxResponseTokens ? { maxResponseTokens } : {}) },
  };
}

async function serve(config: ToolshedConfig, log: Logger): Promise<number> {
  const toolshed = await openToolshed(config, log);
  const server = createMcpServer({ toolshed, log });
  await server.connect(new StdioServerTransport());
  printConnectHelp(config);
  await new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  return 0;
}

async function search(config: ToolshedConfig, log: Logger, query: string, limit: number): Promise<number> {
  if (!query) throw new ConfigError('search needs a query: toolshed search "create an issue"');
  const toolshed = await openToolshed(config, log);
  const hits = toolshed.search(query, limit);
  const lines = hits.map((t, i) => `${String(i + 1).padStart(2)}. ${t.id}${t.binding.kind === 'http' ? `  ${t.binding.method} ${t.binding.path}` : ''}\n    ${t.summary}`);
  process.stdout.write(`${lines.join('\n') || `no matches for "${query}"`}\n`);
  return 0;
}

/** Shown when a person runs `npm start` in a terminal: how to plug this server into a client. */
function printConnectHelp(config: ToolshedConfig): void {
  const bin = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
  const usesDefaults = config.openapi.every((c) => DEFAULT_CATALOGS.some((d) => d.openapi === c.openapi));
  const args = [bin, 'serve', ...(usesDefaults ? [] : config.openapi.flatMap((c) => ['--openapi', c.namespace ? `${c.namespace}=${c.openapi}` : c.openapi]))];
  const desktop = { mcpServers: { toolshed: { command: process.execPath, args } } };
  process.stderr.write(
    `\ntoolshed is serving ${config.openapi.length} catalog(s) over stdio (this terminal is now the MCP channel).\n` +
      `To use it from Claude Desktop, add this to claude_desktop_config.json and restart the app:\n\n${JSON.stringify(desktop, null, 2)}\n\n` +
      `Try search without an agent: npx toolshed search "create an issue"\nPress Ctrl+C to stop.\n`,
  );
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${flag} expects a positive whole number, got "${value}"`);
  return n;
}
