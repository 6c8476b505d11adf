// Live MCP sessions by Mcp-Session-Id: one Server + transport each, so nothing of one session is
// reachable from another. A session with no request in progress for `idleMs` is closed; the client then
// gets 404 and, as the spec requires, starts a new session.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../log.js';

export const SESSION_IDLE_MS_DEFAULT = 30 * 60_000;
export const MAX_SESSIONS_DEFAULT = 1000;

export interface Session {
  id: string;
  server: Server;
  transport: StreamableHTTPServerTransport;
  /** The protocol revision settled at initialize: what the session's requests are judged by. */
  revision: string;
  /** Requests of this session still being answered (POST, DELETE; not an open GET stream): no expiry while > 0. */
  inFlight: number;
  idleTimer: NodeJS.Timeout | undefined;
}

/** A session slot held for a request that may open a session (an initialize whose body is still arriving). */
export interface Reservation {
  /** Gives the slot back if no session was added with it (idempotent). */
  release(): void;
}

export interface SessionStore {
  get(id: string): Session | undefined;
  /**
   * Holds a slot until the request that may open a session ends, or undefined when every slot is open or
   * held: the cap then holds under any interleaving of requests whose bodies arrive slowly.
   */
  reserve(): Reservation | undefined;
  /** Opens a session in the slot `reservation` held. */
  add(id: string, server: Server, transport: StreamableHTTPServerTransport, reservation: Reservation, revision: string): Session;
  /** Marks a request of the session as started; the returned function marks it finished. */
  begin(session: Session): () => void;
  /** Closes the session's server and transport (idempotent); it leaves the store through `server.onclose`. */
  close(session: Session, reason: string): Promise<void>;
  closeAll(reason: string): Promise<void>;
  readonly size: number;
  /** Slots held by requests that may yet open a session. */
  readonly reserved: number;
}

export function createSessionStore(options: { idleMs?: number; maxSessions?: number; log: Logger }): SessionStore {
  const idleMs = options.idleMs ?? SESSION_IDLE_MS_DEFAULT;
  const maxSessions = options.maxSessions ?? MAX_SESSIONS_DEFAULT;
  const { log } = options;
  const sessions = new Map<string, Session>();
  let reserved = 0;

  const forget = (session: Session, reason: string): boolean => {
    if (sessions.get(session.id) !== session) return false;
    clearTimeout(session.idleTimer);
    sessions.delete(session.id);
    log.info({ session: prefixOf(session.id), reason, sessions: sessions.size }, 'session closed');
    return true;
  };

  const arm = (session: Session) => {
    clearTimeout(session.idleTimer);
    // unref: an idle timer alone must not keep the process alive during shutdown.
    session.idleTimer = setTimeout(() => void store.close(session, 'idle'), idleMs).unref();
  };

  const store: SessionStore = {
    get: (id) => sessions.get(id),
    reserve() {
      if (sessions.size + reserved >= maxSessions) return undefined;
      reserved++;
      let held = true;
      return {
        release() {
          if (!held) return;
          held = false;
          reserved--;
        },
      };
    },
    add(id, server, transport, reservation, revision) {
      // The slot passes from the reservation to the session in one synchronous step.
      reservation.release();
      const session: Session = { id, server, transport, revision, inFlight: 0, idleTimer: undefined };
      sessions.set(id, session);
      // Fires however the session ends: DELETE from the client, idle expiry, shutdown.
      server.onclose = () => void forget(session, 'ended by client');
      arm(session);
      log.info({ session: prefixOf(id), sessions: sessions.size }, 'session opened');
      return session;
    },
    begin(session) {
      session.inFlight++;
      clearTimeout(session.idleTimer);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        session.inFlight--;
        if (session.inFlight === 0 && sessions.get(session.id) === session) arm(session);
      };
    },
    async close(session, reason) {
      if (!forget(session, reason)) return;
      // Server.close closes its transport, which ends the session's open streams.
      await session.server.close();
    },
    async closeAll(reason) {
      await Promise.all([...sessions.values()].map((s) => store.close(s, reason)));
    },
    get size() {
      return sessions.size;
    },
    get reserved() {
      return reserved;
    },
  };
  return store;
}

/** Enough of a session id to follow it through the logs, not enough to use it. */
export function prefixOf(sessionId: string | undefined): string | undefined {
  return sessionId?.slice(0, 8);
}
