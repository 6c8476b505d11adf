// OpenTelemetry tracing, switched on by the standard OTEL_* environment variables. The SDK and the
// OTLP exporter are imported only then: with tracing off, only @opentelemetry/api is loaded, whose calls
// are no-ops. The exporter reads its endpoint, headers and protocol from the same variables.
import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

export const TRACER_NAME = 'toolshed';

/** True when the environment asks for traces to be exported (and OTEL_SDK_DISABLED does not say no). */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER) return env.OTEL_TRACES_EXPORTER !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** What of the environment toolshed cannot honour (it exports OTLP over HTTP with JSON only), to warn about. */
export function unsupportedTracingSettings(env: NodeJS.ProcessEnv): string[] {
  const notes: string[] = [];
  if (env.OTEL_TRACES_EXPORTER && !['otlp', 'none'].includes(env.OTEL_TRACES_EXPORTER)) notes.push(`OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER} (only otlp)`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== 'http/json') notes.push(`OTLP protocol ${protocol} (only http/json)`);
  return notes;
}

export interface Tracing {
  /** Exports what is buffered and stops; call before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider, the async-context manager and the W3C trace-context propagator.
 * `exporter` replaces OTLP (tests pass an in-memory one); spans then go out one by one, not batched.
 */
export async function startTracing(options: { exporter?: SpanExporter; serviceVersion?: string } = {}): Promise<Tracing> {
  const [{ TracerProvider, BatchSpanProcessor, SimpleSpanProcessor }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes, envDetector, detectResources }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter() });
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (env detector) win over these defaults.
  const resource = resourceFromAttributes({ 'service.name': 'toolshed', ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}) }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({ resource, spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * `fn`, always run in the context active now. Callbacks from the isolate arrive outside the async
 * context of the run that made them; bound, run_code's calls become children of the run's span.
 */
export function inCurrentContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return context.bind(context.active(), fn);
}

/** pino `mixin`: the active span's ids on every log line written inside it (logs join traces). */
export function traceIdsMixin(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
