// OAuth 2.1 resource-server mode for /mcp, as the MCP authorization spec (2025-06-18, 2025-11-25) asks:
// RFC 9728 metadata naming the authorization server and scopes; 401 with a WWW-Authenticate header
// pointing at it; 403 insufficient_scope naming the scope a call lacks. The accepted token is reduced
// to an AuthInfo for the handlers and never travels further: toolshed calls APIs with its own
// credentials, never the client's token (the spec's token passthrough rule).
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Logger } from '../../log.js';
import type { Refusal, RequestAuth } from '../request-auth.js';
import { AuthServerUnavailable } from './issuer-metadata.js';
import type { OAuthOptions } from './oauth-options.js';
import { forbiddenCatalogs, requiredScopes } from './scope-policy.js';
import { createTokenVerifier, type TokenVerifier } from './verify-token.js';

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
/** What a client is told to wait when the authorization server cannot be reached. */
const AUTH_SERVER_RETRY_AFTER_S = 5;

export interface OAuthAuthOptions extends OAuthOptions {
  log: Logger;
  /** Tests and embedders may bring their own fetch (the JWKS, metadata and introspection requests). */
  fetch?: typeof fetch;
  verifier?: TokenVerifier;
}

export function createOAuthAuth(options: OAuthAuthOptions): RequestAuth {
  const { log } = options;
  const verify = options.verifier ?? createTokenVerifier(options, options.fetch);
  const audience = new URL(options.audience);
  const suffix = audience.pathname === '/' ? '' : audience.pathname.replace(/\/$/, '');
  const metadataUrl = `${audience.origin}${PROTECTED_RESOURCE_PATH}${suffix}`;
  const toolScopes = [...new Set(Object.values(options.scopes).filter(Boolean))];
  // RFC 9728 §3: served at the root and with the resource's path appended (/mcp, or the audience's own).
  const documentPaths = new Set([PROTECTED_RESOURCE_PATH, `${PROTECTED_RESOURCE_PATH}/mcp`, `${PROTECTED_RESOURCE_PATH}${suffix}`]);
  const document = {
    resource: options.audience,
    authorization_servers: [options.issuer],
    scopes_supported: [...new Set([...toolScopes, ...Object.values(options.catalogScopes)])],
    bearer_methods_supported: ['header'],
    resource_name: 'toolshed',
  };

  const challenge = (params: Record<string, string | undefined>): Record<string, string> => {
    const parts = Object.entries({ ...params, resource_metadata: metadataUrl })
      .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
      .map(([k, v]) => `${k}="${v.replace(/["\\]/g, '\\$&')}"`);
    return { 'www-authenticate': `Bearer ${parts.join(', ')}` };
  };
  const unauthorized = (message: string, error?: string, description?: string): Refusal => ({
    status: 401,
    message,
    headers: challenge({ error, error_description: description, scope: toolScopes.join(' ') }),
  });

  return {
    mode: 'oauth',
    document: (path) => (documentPaths.has(path) ? document : undefined),
    needsBody: true,
    async authenticate(req) {
      const header = req.headers.authorization;
      if (!header) return unauthorized('Unauthorized: this server needs an OAuth access token (see WWW-Authenticate for where to get one)');
      const match = /^Bearer +([\x21-\x7E]+) *$/i.exec(header);
      if (!match) return unauthorized('Unauthorized: send Authorization: Bearer <access token>', 'invalid_request', 'the Authorization header is not a Bearer token');
      let verification;
      try {
        verification = await verify(match[1]!);
      } catch (e) {
        if (!(e instanceof AuthServerUnavailable)) throw e;
        log.warn({ issuer: options.issuer, reason: e.message }, 'authorization server unavailable');
        return { status: 503, message: 'Service Unavailable: the authorization server cannot be reached to check the token; retry shortly', headers: { 'retry-after': String(AUTH_SERVER_RETRY_AFTER_S) } };
      }
      if (!verification.ok) {
        log.info({ reason: verification.description }, 'token refused');
        return unauthorized(`Unauthorized: ${verification.description}`, 'invalid_token', verification.description);
      }
      const { principal } = verification;
      (req as IncomingMessage & { auth?: AuthInfo }).auth = {
        token: '', // not kept: no handler needs it, so nothing can pass it on
        clientId: principal.clientId,
        scopes: principal.scopes,
        ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}),
        resource: audience,
        extra: { subject: principal.subject, forbiddenCatalogs: forbiddenCatalogs(principal.scopes, options.catalogScopes) },
      };
      return undefined;
    },
    authorize(req, body, context) {
      const granted = req.auth?.scopes ?? [];
      const missing = requiredScopes(body, options, context).filter((s) => !granted.includes(s));
      if (!missing.length) return undefined;
      const description = `this call needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}`;
      return { status: 403, message: `Forbidden: ${description}; ask the authorization server for a token that grants ${missing.length > 1 ? 'them' : 'it'}`, headers: challenge({ error: 'insufficient_scope', error_description: description, scope: [...new Set([...granted, ...missing])].join(' ') }) };
    },
  };
}
