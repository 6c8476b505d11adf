// Why fetching a spec URL failed, in words: undici's own message is only "fetch failed", the reason
// (DNS, refused, TLS, timeout) sits in `cause`, sometimes one level deeper (an AggregateError per address).
const KNOWN: Record<string, string> = {
  ENOTFOUND: 'DNS: no such host',
  EAI_AGAIN: 'DNS: lookup failed (temporary; check the network)',
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
};

type WithCause = { name?: string; message?: string; code?: string; cause?: unknown; errors?: unknown[] };

export function fetchFailureCause(error: unknown): string {
  const e = error as WithCause;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const cause = (e?.cause ?? (Array.isArray(e?.errors) ? e.errors[0] : undefined)) as WithCause | undefined;
  if (!cause) return e?.message ?? String(error);
  const inner = (cause.code ? cause : ((cause.cause ?? cause.errors?.[0]) as WithCause | undefined)) ?? cause;
  const code = inner.code ?? '';
  if (KNOWN[code]) return `${KNOWN[code]} (${code})`;
  // OpenSSL's codes: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_…
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    // OpenSSL's own text ("…:SSL routines:…:wrong version number:…c:77:") says nothing a person can use.
    const words = inner.message && !/routines/.test(inner.message) ? inner.message : 'the TLS handshake failed (is it https on that port?)';
    return `TLS: ${words} (${code})`;
  }
  return [inner.message, code && `(${code})`].filter(Boolean).join(' ') || (e.message ?? String(error));
}
