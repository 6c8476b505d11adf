// One place where metrics and traces meet the code: around each meta-tool call, each catalog tool
// call (a wrapped Toolshed), each outbound HTTP request (a wrapped fetch) and each HTTP request to
// /mcp. Absent (undefined) when both are off, so the plain path pays nothing.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Toolshed } from '../toolshed.js';
import { errorCodeOf, type Metrics } from './metrics.js';
import { TRACER_NAME } from './tracing.js';

export interface MetaToolCall {
  tool: string;
  arguments: unknown;
  sessionId: string | undefined;
}

export interface Observer {
  /** Runs one meta-tool call, measured and inside its span. */
  metaTool(call: MetaToolCall, run: () => Promise<CallToolResult>): Promise<CallToolResult>;
  /** The same Toolshed, with search and catalog calls measured and traced. */
  toolshed(toolshed: Toolshed): Toolshed;
  /** A fetch for the HTTP executor: per-host metrics, a client span, `traceparent` sent along. */
  fetch(base: typeof fetch): typeof fetch;
  /** Runs the handling of one HTTP request inside a server span continuing the client's `traceparent`. */
  httpRequest(req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void>;
  /** The ids of a response's request span, for its access log line (written outside the span). */
  traceIdsOf(res: ServerResponse): { trace_id: string; span_id: string } | undefined;
}

export async function createObserver(options: { metrics?: Metrics; tracing: boolean }): Promise<Observer | undefined> {
  const { metrics, tracing } = options;
  if (!metrics && !tracing) return undefined;
  const tracer = trace.getTracer(TRACER_NAME);
  // o200k_base is a large table: loaded only when metrics are on, once, before serving.
  const requestSpans = new WeakMap<ServerResponse, Span>();
  const countTokens = metrics ? (await import('gpt-tokenizer/encoding/o200k_base')).countTokens : undefined;

  /** `fn` inside a child span of the active one (or just `fn` when tracing is off). */
  const inSpan = async <T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> => {
    if (!tracing) return fn(undefined);
    return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    });
  };
  const failed = (span: Span | undefined, errorType: string) => {
    span?.setAttribute('error.type', errorType);
    span?.setStatus({ code: SpanStatusCode.ERROR });
  };

  return {
    metaTool(call, run) {
      const attributes: Attributes = { 'tool.name': call.tool, 'mcp.method.name': 'tools/call', 'tool.input.size': byteLength(JSON.stringify(call.arguments ?? {})) };
      if (call.sessionId) attributes['mcp.session.id'] = hashed(call.sessionId);
      return inSpan(`tools/call ${call.tool}`, attributes, async (span) => {
        const started = performance.now();
        // describe_tools' work is the handler itself: its child span makes the tree read the same as search's.
        const result = call.tool === 'describe_tools' ? await inSpan('describe', {}, run) : await run();
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        const code = result.isError ? errorCodeOf(text) : undefined;
        span?.setAttribute('tool.output.size', byteLength(text));
        if (code) failed(span, code);
        if (call.tool === 'run_code') metrics?.codeRun(code ?? 'ok');
        metrics?.metaToolCall(call.tool, (performance.now() - started) / 1000, code, countTokens?.(text));
        return result;
      });
    },

    toolshed(t) {
      // Everything else (catalogs, registry, gateway...) is t's own, read through the prototype.
      const observed: Pick<Toolshed, 'search' | 'call'> = {
        search: (query, limit) =>
          inSpan('search', { 'search.limit': limit }, async (span) => {
            const hits = await t.search(query, limit);
            span?.setAttribute('search.results', hits.length);
            return hits;
          }),
        call: (entry, args, options) =>
          inSpan(`call ${entry.id}`, { 'tool.name': entry.id, 'tool.namespace': entry.namespace, 'tool.input.size': byteLength(JSON.stringify(args ?? {})) }, async (span) => {
            const started = performance.now();
            const result = await t.call(entry, args, options);
            if (result.status !== undefined) span?.setAttribute('http.status_code', result.status);
            if (result.ok) span?.setAttribute('tool.output.size', byteLength(result.text));
            else failed(span, result.failure.code);
            metrics?.toolCall(entry.namespace, entry.id, (performance.now() - started) / 1000, result.ok ? undefined : result.failure.code);
            return result;
          }),
      };
      return Object.assign(Object.create(t) as Toolshed, observed);
    },

    fetch(base) {
      return (input, init = {}) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = init.method ?? 'GET';
        // No path or query in span or labels: they can hold ids, search terms or an API key.
        return inSpan(
          method,
          { 'http.request.method': method, 'server.address': url.hostname, 'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)) },
          async (span) => {
            const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
            if (span) propagation.inject(context.active(), headers);
            const started = performance.now();
            try {
              const response = await base(input, { ...init, headers });
              span?.setAttribute('http.status_code', response.status);
              if (response.status >= 400) failed(span, String(response.status));
              metrics?.outbound(url.host, String(response.status), (performance.now() - started) / 1000);
              return response;
            } catch (e) {
              failed(span, (e as Error).name);
              metrics?.outbound(url.host, 'error', (performance.now() - started) / 1000);
              throw e;
            }
          },
          SpanKind.CLIENT,
        );
      };
    },

    httpRequest(req, res, handle) {
      if (!tracing) return handle();
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const span = tracer.startSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': path } }, parent);
      requestSpans.set(res, span);
      res.once('close', () => {
        span.setAttribute('http.status_code', res.statusCode);
        const session = res.getHeader('mcp-session-id') ?? req.headers['mcp-session-id'];
        if (typeof session === 'string') span.setAttribute('mcp.session.id', hashed(session));
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      return context.with(trace.setSpan(parent, span), handle);
    },

    traceIdsOf(res) {
      const ids = requestSpans.get(res)?.spanContext();
      return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : undefined;
    },
  };
}

/** Session ids are bearer-like secrets: traces carry a hash that joins spans, not the id itself. */
function hashed(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
