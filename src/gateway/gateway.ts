// toolshed as a full MCP gateway: what upstream MCP servers do besides tools reaches toolshed's clients.
// Composes the pieces: the sessions registry (who is connected, who is calling which upstream), relayed
// client requests (sampling, elicitation, roots), logging, and resources and prompts.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RootsListChangedNotificationSchema, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamRelay } from '../exec/mcp-upstream.js';
import type { Logger } from '../log.js';
import { RELAYED_CLIENT_CAPABILITIES, relayClientRequests } from './client-requests.js';
import { createClientLogging } from './client-logging.js';
import { createResourcesAndPrompts, PASS_THROUGH_CAPABILITIES } from './resources-prompts.js';
import { createSessionRegistry } from './sessions.js';

export interface Gateway {
  /** Handed to the upstream MCP sources: how each upstream connection reaches toolshed's clients. */
  readonly relay: UpstreamRelay;
  /** What a session's server declares beyond tools. */
  capabilities(): ServerCapabilities;
  /** Sets a session's handlers (call before it connects); it joins the registry once initialized. */
  serve(server: Server): void;
}

export function createGateway(options: { log: Logger; upstreams(): Array<{ namespace: string; client: Client }>; frontsMcp: boolean }): Gateway {
  const sessions = createSessionRegistry();
  const logging = createClientLogging({ sessions, log: options.log, upstreams: options.upstreams });
  const passThrough = createResourcesAndPrompts({ sessions, log: options.log, upstreams: options.upstreams });
  return {
    relay: {
      capabilities: RELAYED_CLIENT_CAPABILITIES,
      bind(client, upstream) {
        relayClientRequests(client, upstream, sessions);
        logging.bind(client, upstream);
        passThrough.bind(client, upstream);
      },
      connected: (client) => logging.connected(client),
      track: (upstream, caller, deadline, signal) => sessions.track(upstream, caller, deadline, signal),
    },
    // Resources and prompts are offered only when there are upstreams to offer them.
    capabilities: () => ({ logging: {}, ...(options.frontsMcp ? PASS_THROUGH_CAPABILITIES : {}) }),
    serve(server) {
      logging.serve(server);
      if (options.frontsMcp) passThrough.serve(server);
      // Roots describe the one client there is: upstreams re-ask (through the relay) when it connects or its roots change.
      const rootsChanged = () => {
        if (sessions.sessions().length !== 1) return;
        for (const u of options.upstreams()) void u.client.sendRootsListChanged().catch(() => undefined);
      };
      server.setNotificationHandler(RootsListChangedNotificationSchema, rootsChanged);
      const previous = server.oninitialized;
      server.oninitialized = () => {
        previous?.();
        sessions.attach(server);
        if (server.getClientCapabilities()?.roots) rootsChanged();
      };
    },
  };
}
