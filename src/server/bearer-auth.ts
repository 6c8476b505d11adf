// The optional shared secret in front of /mcp: `Authorization: Bearer TOKEN` on every request.
// Both sides are hashed first so timingSafeEqual compares equal lengths and the time leaks nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const AUTH_TOKEN_ENV = 'TOOLSHED_AUTH_TOKEN';

/** A check that is true when the request carries the token; with no token configured, always true. */
export function createBearerCheck(token: string | undefined): (headers: IncomingHttpHeaders) => boolean {
  if (!token) return () => true;
  const expected = digest(token);
  return (headers) => {
    const match = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
