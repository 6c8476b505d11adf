// toolshed.config.json: catalogs by namespace, credentials by env var name, server overrides, limits,
// and upstream MCP servers (`mcpServers`, Claude Desktop's shape) and static tool files (`toolsJson`).
// Validated with zod so a typo is reported with its path instead of being silently ignored.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { checkCredentialNames } from './config-credentials.js';
import { mcpServersSchema, mcpSourcesFromConfig, parseToolsJsonFlag } from './config-mcp.js';
import { DEFAULT_EXEC_LIMITS, type ExecLimits, type McpSourceConfig, type OpenApiSourceConfig, type StaticToolsSourceConfig } from './config-types.js';
import { ConfigError } from './errors.js';
import { RESPONSE_PROFILES, type ResponseProfile } from './exec/lean-response.js';
import { EMBEDDINGS_PROVIDERS, type EmbeddingsConfig } from './search/embeddings-config.js';
import { oauthConfigSchema, type OAuthConfig } from './server/oauth/oauth-options.js';

const limitsSchema = z
  .object({
    timeoutMs: z.number().int().positive(),
    maxResponseTokens: z.number().int().positive(),
  })
  .partial()
  .strict();

const credentialSchema = z
  .object({
    env: z.string().min(1),
    usernameEnv: z.string().min(1),
    passwordEnv: z.string().min(1),
    type: z.enum(['bearer', 'basic', 'apiKey']),
    in: z.enum(['header', 'query', 'cookie']),
    name: z.string().min(1),
  })
  .partial()
  // strict: a `value` or `token` key (a secret pasted into the file) is refused, not ignored.
  .strict();

const catalogSchema = z
  .object({
    openapi: z.string().min(1),
    server: z.string().url().optional(),
    credentials: z.record(credentialSchema).optional(),
    limits: limitsSchema.optional(),
    responses: z.enum(RESPONSE_PROFILES).optional(),
  })
  .strict();

const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    catalogs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a namespace is an identifier: letters, digits, _'), catalogSchema).default({}),
    // Claude Desktop's block, pasted as is: { "NAME": { command, args, env } | { url, headers } }.
    mcpServers: mcpServersSchema.optional(),
    /** `[NAME=]FILE` of MCP tool definitions, as --tools-json takes them. */
    toolsJson: z.array(z.string().min(1)).optional(),
    // How search_tools embeds tools and queries; the API key comes from the environment only.
    embeddings: z
      .object({ provider: z.enum(EMBEDDINGS_PROVIDERS), url: z.string().url(), model: z.string().min(1), cacheDir: z.union([z.string().min(1), z.literal(false)]) })
      .partial()
      .strict()
      .optional(),
    limits: limitsSchema.optional(),
    /** OAuth 2.1 resource-server mode for `serve --http` (the --oauth-* flags override it). */
    oauth: oauthConfigSchema.partial().optional(),
    responses: z.enum(RESPONSE_PROFILES).optional(),
  })
  .strict();

export interface ToolshedConfig {
  openapi: OpenApiSourceConfig[];
  /** Upstream MCP servers (--mcp, mcpServers). */
  mcp?: McpSourceConfig[];
  /** Static MCP tool-definition files (--tools-json, toolsJson). */
  toolsJson?: StaticToolsSourceConfig[];
  /** search_tools' embeddings: built-in model by default (hybrid ranking), an OpenAI-compatible server, or none. */
  embeddings?: EmbeddingsConfig;
  limits: ExecLimits;
  oauth?: Partial<OAuthConfig>;
  /** Refuse to start on any catalog problem (a source that fails, an open schema, a skipped operation). */
  strict?: boolean;
  /** execute_tool's JSON results for every catalog without its own `responses` (default lean). */
  responses?: ResponseProfile;
  /** Where derived artifacts (catalogs, the search index) are cached; `false`: no cache. Default defaultCacheDir(). */
  cacheDir?: string | false;
}

export async function readConfigFile(path: string): Promise<ToolshedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const { jsonSyntaxPosition } = await import('./json-position.js');
    const at = jsonSyntaxPosition(text, message);
    throw new ConfigError(`${path}${at ? `:${at.line}:${at.col}` : ''}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { cause: e });
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    // Imported on this path only: positions need the yaml parser, which a valid config never does.
    const { jsonPosition } = await import('./json-position.js');
    const issues = parsed.error.issues.map((i) => {
      const at = jsonPosition(text, i.path);
      return `  ${path}${at ? `:${at.line}:${at.col}` : ''}: ${i.path.join('.') || '(root)'}: ${issueMessage(i)}`;
    });
    throw new ConfigError(`config file ${path} is invalid:\n${issues.join('\n')}`);
  }
  for (const [namespace, c] of Object.entries(parsed.data.catalogs)) checkCredentialNames(namespace, c.credentials, path);
  const base = dirname(resolve(path));
  return {
    limits: { ...DEFAULT_EXEC_LIMITS, ...parsed.data.limits },
    openapi: Object.entries(parsed.data.catalogs).map(([namespace, c]) => ({
      namespace,
      openapi: isUrlOrAbsolute(c.openapi) ? c.openapi : resolve(base, c.openapi),
      ...(c.server ? { server: c.server } : {}),
      ...(c.credentials ? { credentials: c.credentials } : {}),
      ...(c.limits ? { limits: c.limits } : {}),
      ...(c.responses ? { responses: c.responses } : {}),
    })),
    mcp: mcpSourcesFromConfig(parsed.data.mcpServers ?? {}),
    toolsJson: (parsed.data.toolsJson ?? []).map((entry) => parseToolsJsonFlag(entry, base)),
    ...(parsed.data.embeddings ? { embeddings: parsed.data.embeddings } : {}),
    ...(parsed.data.oauth ? { oauth: parsed.data.oauth } : {}),
    ...(parsed.data.responses ? { responses: parsed.data.responses } : {}),
  };
}

/**
 * zod's message, minus anything that repeats the value found (an enum error says what it "received",
 * which may be a pasted secret); a secret's key in a credentials entry gets the way to do it instead.
 */
function issueMessage(issue: z.ZodIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.path.includes('credentials')) {
    return `${issue.keys.map((k) => `"${k}"`).join(', ')} is not a credentials field: a secret never goes in the config file. Put it in an environment variable and name the variable: { "env": "MY_TOKEN" } (basic auth: { "usernameEnv": "…", "passwordEnv": "…" })`;
  }
  if (issue.code === 'invalid_enum_value') return `expected one of ${issue.options.map((o) => `"${String(o)}"`).join(', ')}`;
  if (issue.code === 'invalid_type') return issue.received === 'undefined' ? 'Required' : `expected ${issue.expected}, got ${issue.received}`;
  if (issue.code === 'invalid_string' || issue.code === 'too_small' || issue.code === 'custom') return issue.message;
  return issue.message.replace(/, received .*$/i, '');
}

/** `--openapi [NAMESPACE=]PATH_OR_URL` → a catalog source. */
export function parseOpenApiFlag(value: string): OpenApiSourceConfig {
  const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  if (named && !/^https?:$/i.test(`${named[1]}:`)) return { namespace: named[1]!, openapi: named[2]! };
  return { openapi: value };
}

/** `--server NAMESPACE=URL` → [namespace, url]. */
export function parseServerFlag(value: string): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(https?:\/\/.+)$/i.exec(value);
  if (!match) throw new ConfigError(`--server expects NAMESPACE=URL (e.g. github=http://127.0.0.1:4010), got "${value}"`);
  return [match[1]!, match[2]!];
}

function isUrlOrAbsolute(source: string): boolean {
  return /^https?:\/\//i.test(source) || isAbsolute(source);
}
