// The authorization server's metadata (RFC 8414, or OpenID Connect discovery), fetched once and kept:
// it names the JWKS and the introspection endpoint. A failed fetch is not kept, so the next request
// retries instead of the server staying broken after the issuer had a bad minute.

export interface IssuerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  scopes_supported?: string[];
}

/** The issuer could not be reached or answered nonsense: the client is told to retry (503), not to re-authenticate. */
export class AuthServerUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthServerUnavailable';
  }
}

/** The well-known URLs to try, in order: RFC 8414 (path inserted after the host), then OIDC's two forms. */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    ...(path ? [`${url.origin}/.well-known/openid-configuration${path}`] : []),
  ];
}

export function createIssuerMetadata(issuer: string, timeoutMs: number, fetchImpl: typeof fetch = globalThis.fetch): () => Promise<IssuerMetadata> {
  let cached: Promise<IssuerMetadata> | undefined;
  return () => {
    cached ??= discover(issuer, timeoutMs, fetchImpl).catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
}

async function discover(issuer: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<IssuerMetadata> {
  const problems: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      problems.push(`${url}: ${(e as Error).message}`);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      problems.push(`${url}: HTTP ${response.status}`);
      continue;
    }
    const metadata = (await response.json().catch(() => undefined)) as IssuerMetadata | undefined;
    // RFC 8414 §3.3: the document must name the issuer it was fetched for, or it is not that issuer's.
    if (!metadata || sameIssuer(metadata.issuer, issuer) === false) {
      problems.push(`${url}: names issuer ${JSON.stringify(metadata?.issuer)}, not ${issuer}`);
      continue;
    }
    return metadata;
  }
  throw new AuthServerUnavailable(`no usable metadata for the issuer ${issuer} (${problems.join('; ')})`);
}

/** Issuers compare as strings, one trailing slash aside (providers differ on it). */
export function sameIssuer(a: string | undefined, b: string): boolean {
  return typeof a === 'string' && a.replace(/\/$/, '') === b.replace(/\/$/, '');
}
