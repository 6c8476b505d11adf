// The requests /mcp is answering, and what each still owes: what a drain waits for and, when the drain's
// deadline passes, answers with a JSON-RPC error, so no client is left waiting for its own timeout.
import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/** The error a cut request gets: `-32000`, the JSON-RPC range for server errors. */
export const SHUTTING_DOWN_CODE = -32000;

export interface InFlightRequests {
  /** Counts `res` until it closes. GET streams are not tracked: they never finish on their own. */
  track(res: ServerResponse): void;
  /** Once the body is parsed: the transport that answers `res`, and the request ids it must answer. */
  owe(res: ServerResponse, transport: Transport, ids: RequestId[]): void;
  readonly size: number;
  /** True once none is left, false if `timeoutMs` passes first. */
  settled(timeoutMs: number): Promise<boolean>;
  /**
   * Answers every request still open with `message` as a JSON-RPC error, through its own transport (so it
   * reaches the right SSE stream or JSON response); those not yet parsed get a 503. Then waits at most
   * `flushMs` for the answers to go out. Returns how many were cut.
   */
  cut(message: string, flushMs: number): Promise<number>;
}

export function createInFlight(): InFlightRequests {
  const open = new Set<ServerResponse>();
  const owed = new WeakMap<ServerResponse, { transport: Transport; ids: RequestId[] }>();
  let onEmpty: (() => void) | undefined;

  const settled = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (open.size === 0) return resolve(true);
      const timer = setTimeout(() => {
        onEmpty = undefined;
        resolve(false);
      }, timeoutMs);
      onEmpty = () => {
        clearTimeout(timer);
        onEmpty = undefined;
        resolve(true);
      };
    });

  return {
    track(res) {
      open.add(res);
      res.on('close', () => {
        if (open.delete(res) && open.size === 0) onEmpty?.();
      });
    },
    owe(res, transport, ids) {
      owed.set(res, { transport, ids });
    },
    get size() {
      return open.size;
    },
    settled,
    async cut(message, flushMs) {
      const cut = [...open];
      for (const res of cut) {
        const debt = owed.get(res);
        if (debt && debt.ids.length > 0) {
          const error = { code: SHUTTING_DOWN_CODE, message };
          for (const id of debt.ids) void debt.transport.send({ jsonrpc: '2.0', id, error }, { relatedRequestId: id }).catch(() => undefined);
        } else if (!res.headersSent) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: SHUTTING_DOWN_CODE, message }, id: null }));
        }
      }
      await settled(flushMs);
      return cut.length;
    },
  };
}
