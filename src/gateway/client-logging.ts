// Log notifications for toolshed's clients: `logging/setLevel` per session, upstream servers' log
// messages (named by the upstream) and toolshed's own warnings (a catalog that failed to load, a skipped
// operation). An upstream's message goes to the sessions with a call to it in flight, else to every
// session that asked for logs; toolshed's warnings go to sessions that asked, the earlier ones replayed.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { LoggingLevelSchema, LoggingMessageNotificationSchema, SetLevelRequestSchema, type LoggingLevel, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { onWarnings, type Logger } from '../log.js';
import type { SessionRegistry } from './sessions.js';

const SEVERITY = new Map(LoggingLevelSchema.options.map((level, i) => [level, i]));
/** What a session that never set a level receives of its own calls' upstream logs. */
export const SESSION_LOG_LEVEL_DEFAULT: LoggingLevel = 'info';

export interface ClientLogging {
  /** Handles logging/setLevel for a session's server (which declares `logging`). */
  serve(server: Server): void;
  /** Forwards an upstream connection's log notifications. */
  bind(client: Client, upstream: string): void;
  /** Applies the most verbose level any session asked for to a (re)connected upstream. */
  connected(client: Client): void;
}

export function createClientLogging(options: { sessions: SessionRegistry; log: Logger; upstreams(): Array<{ client: Client }> }): ClientLogging {
  const { sessions } = options;
  // Sessions that called logging/setLevel, with the level they asked for.
  const levels = new WeakMap<Server, LoggingLevel>();
  const admits = (server: Server, level: LoggingLevel) => (SEVERITY.get(level) ?? 0) >= (SEVERITY.get(levels.get(server) ?? SESSION_LOG_LEVEL_DEFAULT) ?? 0);
  const send = (server: Server, params: LoggingMessageNotification['params']) => {
    if (admits(server, params.level)) void server.notification({ method: 'notifications/message', params }).catch(() => undefined);
  };
  const mostVerbose = (): LoggingLevel | undefined => {
    const asked = sessions.sessions().flatMap((s) => levels.get(s) ?? []);
    return asked.sort((a, b) => (SEVERITY.get(a) ?? 0) - (SEVERITY.get(b) ?? 0))[0];
  };
  const applyUpstream = (client: Client) => {
    const level = mostVerbose();
    if (level && client.getServerCapabilities()?.logging) void client.setLoggingLevel(level).catch(() => undefined);
  };

  return {
    serve(server) {
      let stop: (() => void) | undefined;
      server.setRequestHandler(SetLevelRequestSchema, (request) => {
        levels.set(server, request.params.level);
        stop ??= onWarnings(options.log, (record) => {
          if (!server.transport) return stop?.();
          send(server, { level: record.level, logger: 'toolshed', data: { message: record.msg, ...record.fields } });
        });
        for (const u of options.upstreams()) applyUpstream(u.client);
        return {};
      });
    },
    bind(client, upstream) {
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        const params = { ...notification.params, logger: notification.params.logger ? `${upstream}/${notification.params.logger}` : upstream };
        const calling = sessions.callingSessions(upstream);
        const targets = calling.length ? calling : sessions.sessions().filter((s) => levels.has(s));
        for (const server of targets) send(server, params);
      });
    },
    connected: applyUpstream,
  };
}
