// Access-token verification for the resource server. JWTs (RFC 9068) are checked with jose against the
// issuer's JWKS: signature, `iss`, `aud` equal to this server's resource, `exp`/`nbf` with a small skew;
// jose keeps the key set cached and refetches it when a token names an unknown `kid` (key rotation).
// Anything that is not a JWT goes to RFC 7662 introspection when it is configured.
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AuthServerUnavailable, createIssuerMetadata } from './issuer-metadata.js';
import { createIntrospection } from './introspect-token.js';
import type { OAuthOptions } from './oauth-options.js';

/** Who a verified token speaks for. The token itself is not kept: nothing downstream needs it. */
export interface Principal {
  subject: string | undefined;
  clientId: string;
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt: number | undefined;
}

export type Verification = { ok: true; principal: Principal } | { ok: false; description: string };

export type TokenVerifier = (token: string) => Promise<Verification>;

/** Algorithms an authorization server signs access tokens with; `none` and shared-secret ones are never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export function createTokenVerifier(options: OAuthOptions, fetchImpl: typeof fetch = globalThis.fetch): TokenVerifier {
  const metadata = createIssuerMetadata(options.issuer, options.timeoutMs, fetchImpl);
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keySet = async () => {
    if (jwks) return jwks;
    const { jwks_uri } = await metadata();
    if (!jwks_uri) throw new AuthServerUnavailable(`the issuer ${options.issuer} publishes no jwks_uri, so JWT access tokens cannot be verified`);
    return (jwks = createRemoteJWKSet(new URL(jwks_uri), { cooldownDuration: options.jwksCooldownMs, timeoutDuration: options.timeoutMs }));
  };
  const introspect = options.introspection ? createIntrospection(options, metadata, fetchImpl) : undefined;

  return async (token) => {
    if (!looksLikeJwt(token)) {
      if (!introspect) return { ok: false, description: 'the token is not a JWT and this server has no introspection endpoint configured' };
      return introspect(token);
    }
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockSkewS,
        requiredClaims: ['exp'],
        algorithms: ALGORITHMS,
      });
      return { ok: true, principal: principalOf(payload) };
    } catch (e) {
      return { ok: false, description: rejectionOf(e) };
    }
  };
}

/** Three base64url segments: a JWS in compact form. Opaque tokens rarely look like that. */
function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

export function principalOf(claims: Record<string, unknown>): Principal {
  // `scope` is RFC 9068's space-separated string; Okta and Entra use `scp`, as a list or a string.
  const raw = claims.scope ?? claims.scp;
  const scopes = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
  const clientId = [claims.client_id, claims.azp, claims.cid, claims.sub].find((v): v is string => typeof v === 'string') ?? 'unknown';
  return {
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
    clientId,
    scopes,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
}

/** A reason a person fixing the client can act on; never the token or its claims. */
function rejectionOf(e: unknown): string {
  if (e instanceof AuthServerUnavailable) throw e;
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return 'the token was not issued for this server (its audience is not this resource)';
    if (e.claim === 'iss') return 'the token was issued by another authorization server';
    if (e.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${e.claim} claim is ${e.reason === 'missing' ? 'missing' : 'invalid'}`;
  }
  if (e instanceof errors.JWKSNoMatchingKey) return 'the token is signed with a key the issuer does not publish';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this server does not accept';
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || e instanceof TypeError) {
    throw new AuthServerUnavailable(`the issuer's key set could not be fetched: ${(e as Error).message}`, { cause: e });
  }
  if (e instanceof errors.JOSEError) return 'the token is malformed';
  throw e;
}

