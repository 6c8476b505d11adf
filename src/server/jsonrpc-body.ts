// A parsed POST body on /mcp, judged before the SDK transport sees it: the JSON-RPC edges that depend on
// the negotiated protocol revision, which the SDK transport does not know (it accepts batches in every
// revision, and answers `[]` with 202), and the request ids a shutdown must answer.
import type { IncomingMessage } from 'node:http';
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Refusal } from './request-auth.js';

/** The first revision without JSON-RPC batching (2025-03-26 added it, 2025-06-18 removed it). */
export const BATCHES_REMOVED_IN = '2025-06-18';

/** The revision an initialize asks for, as the SDK's Server settles it (the client's if supported, else the latest). */
export function negotiatedRevision(body: unknown): string | undefined {
  const init = (Array.isArray(body) ? body : [body]).find((m) => isObject(m) && m.method === 'initialize');
  if (!isObject(init)) return undefined;
  const requested = isObject(init.params) ? init.params.protocolVersion : undefined;
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** A request's revision when no session holds one: its Mcp-Protocol-Version header, else the spec's default. */
export function headerRevision(req: IncomingMessage): string {
  const header = req.headers['mcp-protocol-version'];
  return typeof header === 'string' ? header : DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
}

/** `[]` is never a valid JSON-RPC message; a batch is one only in the revisions that had batching. */
export function batchRefusal(body: unknown, revision: string): Refusal | undefined {
  if (!Array.isArray(body)) return undefined;
  if (body.length === 0) return { status: 400, code: -32600, headers: {}, message: 'Invalid Request: an empty batch ([]) is not a JSON-RPC message' };
  if (revision >= BATCHES_REMOVED_IN) {
    const message = `Invalid Request: protocol revision ${revision} has no JSON-RPC batches (removed in ${BATCHES_REMOVED_IN}); send one message per POST`;
    return { status: 400, code: -32600, headers: {}, message };
  }
  return undefined;
}

/** The ids of the requests (not notifications or responses) in a body: what must each get an answer. */
export function requestIdsOf(body: unknown): RequestId[] {
  return (Array.isArray(body) ? body : [body]).flatMap((m) => (isObject(m) && typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number') ? [m.id] : []));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
