// Which client sessions are connected, and which of them has a call in flight to each upstream. An
// upstream connection is shared by every session, and MCP does not say which of our calls an upstream's
// request belongs to: it goes to the one session with calls in flight to that upstream, and is refused
// when several have (a request is never sent to a client it may not be meant for).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { sessionCaller, type Caller } from './caller.js';
import type { CallDeadline } from './call-deadline.js';

/** One call in flight to an upstream. */
export interface TrackedCall {
  readonly caller: Caller;
  readonly deadline?: CallDeadline;
  /** Ends when the call does (cancelled, timed out, run stopped): relayed requests end with it. */
  readonly signal?: AbortSignal;
  /** Client capabilities an upstream asked for during this call that the client does not have. */
  readonly missing: Set<string>;
}

export type Target = { call?: TrackedCall; caller: Caller } | { error: string };

export interface SessionRegistry {
  /** A session's server once initialized; it leaves when its transport closes. */
  attach(server: Server): void;
  sessions(): Server[];
  track(upstream: string, caller: Caller, deadline?: CallDeadline, signal?: AbortSignal): { call: TrackedCall; release(): void };
  /** Where an upstream's request goes: its callers' session, or (`anySession`) the only session there is. */
  target(upstream: string, options?: { anySession?: boolean }): Target;
  /** Sessions with calls in flight to the upstream. */
  callingSessions(upstream: string): Server[];
}

export function createSessionRegistry(): SessionRegistry {
  const servers = new Set<Server>();
  const inFlight = new Map<string, Set<TrackedCall>>();
  const live = () => {
    // A closed session's server has dropped its transport: forget it on the next look.
    for (const s of servers) if (!s.transport) servers.delete(s);
    return [...servers];
  };
  const callsOf = (upstream: string) => [...(inFlight.get(upstream) ?? [])].filter((c) => c.caller.server.transport);
  return {
    attach: (server) => void servers.add(server),
    sessions: live,
    track(upstream, caller, deadline, signal) {
      const call: TrackedCall = { caller, missing: new Set(), ...(deadline ? { deadline } : {}), ...(signal ? { signal } : {}) };
      let set = inFlight.get(upstream);
      if (!set) inFlight.set(upstream, (set = new Set()));
      set.add(call);
      return {
        call,
        release: () => {
          set.delete(call);
          if (set.size === 0 && inFlight.get(upstream) === set) inFlight.delete(upstream);
        },
      };
    },
    target(upstream, options = {}) {
      const calls = callsOf(upstream);
      const sessions = new Set(calls.map((c) => c.caller.server));
      // The most recent call of that session: its response stream carries the relayed request.
      if (sessions.size === 1) return { call: calls.at(-1)!, caller: calls.at(-1)!.caller };
      if (sessions.size > 1) return { error: `calls from ${sessions.size} client sessions are in flight to ${upstream}, so toolshed cannot tell which client this request is for` };
      const all = live();
      if (options.anySession && all.length === 1) return { caller: sessionCaller(all[0]!) };
      return { error: `no call to ${upstream} is in flight: toolshed relays an upstream's requests to the client of the call that caused them` };
    },
    callingSessions: (upstream) => [...new Set(callsOf(upstream).map((c) => c.caller.server))],
  };
}
