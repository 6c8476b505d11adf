// RFC 7662 token introspection for opaque access tokens: this server authenticates to the
// authorization server (client_secret_basic) and asks whether the token is active. Answers are
// cached briefly by a hash of the token (never the token), and never past the token's expiry.
import { createHash } from 'node:crypto';
import { AuthServerUnavailable, sameIssuer, type IssuerMetadata } from './issuer-metadata.js';
import type { OAuthOptions } from './oauth-options.js';
import { principalOf, type Verification } from './verify-token.js';

/** Bounds the cache: a flood of distinct bad tokens must not grow memory without limit. */
const MAX_CACHED = 10_000;

export function createIntrospection(options: OAuthOptions, metadata: () => Promise<IssuerMetadata>, fetchImpl: typeof fetch): (token: string) => Promise<Verification> {
  const client = options.introspection!;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  const cache = new Map<string, { verification: Verification; until: number }>();

  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.verification;
    cache.delete(key);
    const endpoint = client.endpoint ?? (await metadata()).introspection_endpoint;
    if (!endpoint) throw new AuthServerUnavailable(`the issuer ${options.issuer} publishes no introspection_endpoint: set oauth.introspection.endpoint`);
    let answer: Record<string, unknown>;
    try {
      const response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = (await response.json()) as Record<string, unknown>;
    } catch (e) {
      throw new AuthServerUnavailable(`token introspection at ${endpoint} failed: ${(e as Error).message}`, { cause: e });
    }
    const verification = judge(answer, options);
    const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : Infinity;
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, { verification, until: Math.min(Date.now() + options.introspectionCacheMs, exp) });
    return verification;
  };
}

function judge(answer: Record<string, unknown>, options: OAuthOptions): Verification {
  if (answer.active !== true) return { ok: false, description: 'the token is not active (revoked, expired or unknown to the issuer)' };
  const audiences = Array.isArray(answer.aud) ? answer.aud : answer.aud === undefined ? undefined : [answer.aud];
  // An answer without `aud` is accepted: the issuer vouched for the token to this server's own client.
  if (audiences && !audiences.includes(options.audience)) return { ok: false, description: 'the token was not issued for this server (its audience is not this resource)' };
  if (answer.iss !== undefined && !sameIssuer(answer.iss as string, options.issuer)) return { ok: false, description: 'the token was issued by another authorization server' };
  const now = Date.now() / 1000;
  if (typeof answer.exp === 'number' && answer.exp + options.clockSkewS < now) return { ok: false, description: 'the token has expired' };
  if (typeof answer.nbf === 'number' && answer.nbf - options.clockSkewS > now) return { ok: false, description: 'the token is not valid yet' };
  return { ok: true, principal: principalOf(answer) };
}
