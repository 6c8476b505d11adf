// The team-serving part of `toolshed serve`: OAuth 2.1 resource-server mode (flags or the config's
// `oauth` block), Prometheus metrics and OpenTelemetry traces. Kept apart from cli.ts, as the Code Mode
// flags are.
import { positiveInt } from './cli-flags.js';
import type { ToolshedConfig } from './config.js';
import { ConfigError } from './errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './observability/metrics.js';
import type { Observer } from './observability/observer.js';
import { startTracing, tracingRequested, unsupportedTracingSettings } from './observability/tracing.js';
import { AUTH_TOKEN_ENV } from './server/bearer-auth.js';
import { TEAM_OPTIONS } from './cli-serve-options.js';
import { resolveOAuthOptions } from './server/oauth/oauth-options.js';
import type { RequestAuth } from './server/request-auth.js';

export { TEAM_OPTIONS, TEAM_USAGE } from './cli-serve-options.js';

type TeamFlags = { [K in keyof typeof TEAM_OPTIONS]?: (typeof TEAM_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** OAuth mode when configured, else undefined (the static token, if any, applies). */
export async function oauthFromFlags(flags: TeamFlags, config: ToolshedConfig, authToken: string | undefined, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<RequestAuth | undefined> {
  const options = resolveOAuthOptions(config.oauth, { issuer: flags['oauth-issuer'], audience: flags['oauth-audience'] }, env);
  if (!options) return undefined;
  if (authToken) throw new ConfigError(`--auth-token (or ${AUTH_TOKEN_ENV}) and OAuth (--oauth-issuer or the config's "oauth") are exclusive: use one`);
  log.info({ issuer: options.issuer, audience: options.audience, introspection: Boolean(options.introspection) }, 'OAuth resource-server mode');
  // Imported here: the token checks (jose) are for OAuth mode only.
  const { createOAuthAuth } = await import('./server/oauth/oauth-auth.js');
  return createOAuthAuth({ ...options, log });
}

export interface Observability {
  metrics: Metrics | undefined;
  observer: Observer | undefined;
  /** True when /metrics has its own listener (so the MCP port must not serve it). */
  ownPort: boolean;
  /** Stops the metrics listener and flushes the traces still buffered. */
  close(): Promise<void>;
}

/** Metrics (--metrics, --metrics-port) and traces (OTEL_*): started before anything they observe. */
export async function startObservability(flags: TeamFlags, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Observability> {
  const port = flags['metrics-port'] === '0' ? 0 : positiveInt(flags['metrics-port'], '--metrics-port');
  // The observability modules (prom-client, the span wrappers) are imported only when asked for.
  const metrics = flags.metrics || port !== undefined ? (await import('./observability/metrics.js')).createMetrics() : undefined;
  const tracing = tracingRequested(env) ? await startTracing() : undefined;
  const unsupported = tracing ? unsupportedTracingSettings(env) : [];
  if (unsupported.length) log.warn({ ignored: unsupported }, 'traces go out as OTLP over HTTP (JSON); these settings are not honoured');
  const observer = metrics || tracing ? await (await import('./observability/observer.js')).createObserver({ ...(metrics ? { metrics } : {}), tracing: tracing !== undefined }) : undefined;
  const listener = metrics && port !== undefined ? await (await import('./observability/metrics-server.js')).serveMetrics(metrics, port) : undefined;
  if (listener) process.stderr.write(`toolshed metrics at ${listener.url}\n`);
  if (metrics || tracing) log.info({ metrics: listener?.url ?? (metrics ? 'GET /metrics' : 'off'), tracing: tracing ? 'otlp' : 'off' }, 'observability');
  return {
    metrics,
    observer,
    ownPort: listener !== undefined,
    async close() {
      await listener?.close();
      await tracing?.shutdown();
    },
  };
}
