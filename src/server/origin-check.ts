// DNS-rebinding defence: a web page the user visits must not be able to drive a server on their machine.
// Hand-written rather than the SDK's: its Origin check lets any origin through unless a list is given, and
// its Host check is Express middleware; ours works on plain node:http and is loopback-only by default.
import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface OriginPolicy {
  /** Exact origins (`https://app.example.com`) a browser may call from; undefined: loopback origins only. */
  allowedOrigins?: string[];
  /** Host header names accepted; undefined: loopback names when bound to loopback, any name otherwise. */
  allowedHosts?: string[];
  /** The address the server listens on: only a loopback-bound server checks Host by default. */
  boundHost: string;
}

/** Why the request is refused, or undefined when it may proceed. */
export type OriginVerdict = undefined | { message: string };

export function createOriginCheck(policy: OriginPolicy): (headers: IncomingHttpHeaders) => OriginVerdict {
  const origins = policy.allowedOrigins ? new Set(policy.allowedOrigins.map(normalizeOrigin)) : undefined;
  const hosts = policy.allowedHosts
    ? new Set(policy.allowedHosts.map((h) => h.toLowerCase()))
    : isLoopback(policy.boundHost)
      ? LOOPBACK_HOSTNAMES
      : undefined;

  return (headers) => {
    if (hosts) {
      const hostname = hostnameOf(headers.host);
      if (!hostname || !hosts.has(hostname)) return { message: `Forbidden: Host "${headers.host ?? ''}" is not allowed` };
    }
    // Non-browser clients send no Origin; a browser always does on cross-site fetches, and that is the threat.
    const origin = headers.origin;
    if (origin === undefined) return undefined;
    const allowed = origins ? origins.has(normalizeOrigin(origin)) : isLoopback(safeUrl(origin)?.hostname ?? '');
    return allowed ? undefined : { message: `Forbidden: Origin "${origin}" is not allowed (see --allowed-origins)` };
  };
}

/**
 * CORS for an Origin that passed the check, so a browser client (e.g. the Inspector's web UI) can read the
 * responses and the session id. Credentials are a bearer header, never cookies: no Allow-Credentials.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, accept, last-event-id, mcp-session-id, mcp-protocol-version',
    'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTNAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `Host: example.com:8080` → `example.com`; `[::1]:3000` → `[::1]`. */
function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const url = safeUrl(`http://${host}`);
  return url?.hostname.toLowerCase();
}

function normalizeOrigin(origin: string): string {
  return safeUrl(origin)?.origin ?? origin.toLowerCase();
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
