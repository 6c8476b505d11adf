// Who is calling, as far as tasks are concerned: a task is visible only to the principal (or, without
// one, the session) that created it. An OAuth-verified request names its subject (`req.auth`, set by the
// SDK's bearer middleware convention); a static bearer token stands for whoever holds it, named by a
// hash so the token itself is never kept. Without either, tasks belong to the session (stateless: all
// unauthenticated callers share one owner, which serving beyond loopback without a token warns about).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function principalOf(req: IncomingMessage): string | undefined {
  const auth = (req as IncomingMessage & { auth?: { clientId?: string; extra?: { subject?: unknown } } }).auth;
  if (auth) return `oauth:${typeof auth.extra?.subject === 'string' ? auth.extra.subject : auth.clientId}`;
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^bearer\s+\S/i.test(header)) return `token:${createHash('sha256').update(header.replace(/^bearer\s+/i, '')).digest('hex').slice(0, 16)}`;
  return undefined;
}
