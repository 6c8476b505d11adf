// The team-serving part of `toolshed serve --http`: OAuth 2.1 resource-server mode (flags or the
// config's `oauth` block). Kept apart from cli.ts, as the Code Mode flags are.
import type { ToolshedConfig } from './config.js';
import { ConfigError } from './errors.js';
import type { Logger } from './log.js';
import { AUTH_TOKEN_ENV } from './server/bearer-auth.js';
import { createOAuthAuth } from './server/oauth/oauth-auth.js';
import { resolveOAuthOptions } from './server/oauth/oauth-options.js';
import type { RequestAuth } from './server/request-auth.js';

export const TEAM_OPTIONS = {
  'oauth-issuer': { type: 'string' },
  'oauth-audience': { type: 'string' },
} as const;

export const TEAM_USAGE = `Teams (serve --http): OAuth 2.1 resource server
  --oauth-issuer URL     accept access tokens from this authorization server (JWTs checked against its
                         JWKS; opaque tokens by introspection, set in the config's "oauth" block)
  --oauth-audience URL   this server's public MCP URL, which tokens must name as their audience
                         (e.g. https://mcp.example.com/mcp); exclusive with --auth-token`;

type TeamFlags = { [K in keyof typeof TEAM_OPTIONS]?: string };

/** OAuth mode when configured, else undefined (the static token, if any, applies). */
export function oauthFromFlags(flags: TeamFlags, config: ToolshedConfig, authToken: string | undefined, log: Logger, env: NodeJS.ProcessEnv = process.env): RequestAuth | undefined {
  const options = resolveOAuthOptions(config.oauth, { issuer: flags['oauth-issuer'], audience: flags['oauth-audience'] }, env);
  if (!options) return undefined;
  if (authToken) throw new ConfigError(`--auth-token (or ${AUTH_TOKEN_ENV}) and OAuth (--oauth-issuer or the config's "oauth") are exclusive: use one`);
  log.info({ issuer: options.issuer, audience: options.audience, introspection: Boolean(options.introspection) }, 'OAuth resource-server mode');
  return createOAuthAuth({ ...options, log });
}
