// Structured JSON logs, on stderr only: stdout carries the MCP stdio transport.
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVEL_DEFAULT = 'info';

export function createLogger(level: string = process.env.TOOLSHED_LOG_LEVEL ?? LOG_LEVEL_DEFAULT): Logger {
  // Synchronous writes: a crash or a fast exit must not drop the line that explains it.
  return pino({ level, base: { app: 'toolshed' }, redact: { paths: ['*.authorization', '*.token', '*.password', '*.apiKey'], censor: '[redacted]' } }, pino.destination({ dest: 2, sync: true }));
}
