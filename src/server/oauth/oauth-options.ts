// OAuth 2.1 resource-server settings (`--oauth-issuer`, `--oauth-audience`, or `oauth` in the config):
// which authorization server issues tokens, which audience they must name, and which scope each
// meta-tool (and optionally each catalog) needs. Every limit has a default here.
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

/** Clock difference tolerated on `exp`/`nbf`: small, so an expired token is not honoured for long. */
export const CLOCK_SKEW_S_DEFAULT = 30;
/** After a JWKS fetch, no refetch for this long, even on an unknown `kid` (jose's own default). */
export const JWKS_COOLDOWN_MS_DEFAULT = 30_000;
/** A JWKS, metadata or introspection request that takes longer fails (the client gets 503). */
export const AUTH_SERVER_TIMEOUT_MS_DEFAULT = 5_000;
/** How long an introspection answer is reused (never past the token's `exp`). */
export const INTROSPECTION_CACHE_MS_DEFAULT = 30_000;

export const META_TOOL_SCOPES_DEFAULT: Readonly<Record<string, string>> = {
  search_tools: 'tools:search',
  describe_tools: 'tools:search',
  execute_tool: 'tools:call',
  run_code: 'tools:call',
};

const scopeString = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]*$/, 'a scope is printable ASCII without spaces, quotes or backslashes');

export const oauthConfigSchema = z
  .object({
    issuer: z.string().url(),
    audience: z.string().url(),
    /** Meta-tool name → the scope it needs ('' for none); unnamed meta-tools keep their default. */
    scopes: z.record(z.enum(['search_tools', 'describe_tools', 'execute_tool', 'run_code']), scopeString).optional(),
    /** Catalog namespace → an extra scope needed to call its tools (execute_tool or inside run_code). */
    catalogScopes: z.record(scopeString.min(1)).optional(),
    /** RFC 7662 introspection for opaque tokens: this server's client id, its secret read from an env var. */
    introspection: z.object({ clientId: z.string().min(1), clientSecretEnv: z.string().min(1), endpoint: z.string().url().optional() }).strict().optional(),
    clockSkewS: z.number().int().min(0).max(300).optional(),
    jwksCooldownMs: z.number().int().min(0).optional(),
    timeoutMs: z.number().int().positive().optional(),
    introspectionCacheMs: z.number().int().min(0).optional(),
  })
  .strict();

export type OAuthConfig = z.infer<typeof oauthConfigSchema>;

export interface OAuthOptions {
  issuer: string;
  /** This server's resource identifier (RFC 8707): the public URL of /mcp, e.g. https://mcp.example.com/mcp. */
  audience: string;
  scopes: Record<string, string>;
  catalogScopes: Record<string, string>;
  introspection?: { clientId: string; clientSecret: string; endpoint?: string };
  clockSkewS: number;
  jwksCooldownMs: number;
  timeoutMs: number;
  introspectionCacheMs: number;
}

/** Merges the config's `oauth` block with the flags (flags win) and checks what only a whole picture shows. */
export function resolveOAuthOptions(config: Partial<OAuthConfig> | undefined, flags: { issuer?: string; audience?: string }, env: NodeJS.ProcessEnv): OAuthOptions | undefined {
  const issuer = flags.issuer ?? config?.issuer;
  const audience = flags.audience ?? config?.audience;
  if (!issuer && !audience) return undefined;
  if (!issuer) throw new ConfigError('--oauth-audience needs --oauth-issuer URL (the authorization server that issues the tokens)');
  if (!audience) throw new ConfigError('--oauth-issuer needs --oauth-audience URL: this server\'s public MCP URL, e.g. https://mcp.example.com/mcp (tokens must name it as their audience)');
  for (const [flag, value] of [['--oauth-issuer', issuer], ['--oauth-audience', audience]] as const) {
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new ConfigError(`${flag} expects an http(s) URL, got "${value}"`);
  }
  if (new URL(audience).hash) throw new ConfigError(`--oauth-audience must not have a #fragment (RFC 8707), got "${audience}"`);
  let introspection: OAuthOptions['introspection'];
  if (config?.introspection) {
    const secret = env[config.introspection.clientSecretEnv];
    if (!secret) throw new ConfigError(`oauth.introspection.clientSecretEnv names ${config.introspection.clientSecretEnv}, which is not set: export the client secret there`);
    introspection = { clientId: config.introspection.clientId, clientSecret: secret, ...(config.introspection.endpoint ? { endpoint: config.introspection.endpoint } : {}) };
  }
  return {
    issuer,
    audience,
    scopes: { ...META_TOOL_SCOPES_DEFAULT, ...config?.scopes },
    catalogScopes: { ...config?.catalogScopes },
    ...(introspection ? { introspection } : {}),
    clockSkewS: config?.clockSkewS ?? CLOCK_SKEW_S_DEFAULT,
    jwksCooldownMs: config?.jwksCooldownMs ?? JWKS_COOLDOWN_MS_DEFAULT,
    timeoutMs: config?.timeoutMs ?? AUTH_SERVER_TIMEOUT_MS_DEFAULT,
    introspectionCacheMs: config?.introspectionCacheMs ?? INTROSPECTION_CACHE_MS_DEFAULT,
  };
}
