// Prometheus metrics (prom-client), on a registry of our own (no global state). Label values come only
// from closed sets (meta-tool names, error codes, declared hosts, the catalog's own tool ids): never
// from arguments, queries or anything else a user typed.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Toolshed } from '../toolshed.js';

export const METRICS_PATH = '/metrics';
/** Seconds: from a cached search (~1 ms) to a slow API or a long run_code (~30 s). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const META_TOOLS = new Set(['search_tools', 'describe_tools', 'execute_tool', 'run_code']);
/** The codes toolshed itself gives (ToolErrorCode); anything else an upstream says is `tool_error`. */
const ERROR_CODES = new Set(['unknown_tool', 'invalid_arguments', 'http_error', 'network_error', 'timeout', 'refused_host', 'missing_credentials', 'busy', 'not_connected', 'upstream_error', 'type_error', 'runtime_error', 'limit_exceeded', 'cancelled', 'forbidden']);

export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
}

export interface MetricSources {
  sessions?: () => number;
  gate?: { readonly active: number; readonly queued: number };
  pool?: () => PoolStats | undefined;
  toolshed?: () => Toolshed | undefined;
}

export interface Metrics {
  readonly registry: Registry;
  /** Adds live values read at scrape time (sessions, gate, pool, index size); later calls add to earlier ones. */
  watch(sources: MetricSources): void;
  metaToolCall(tool: string, seconds: number, errorCode: string | undefined, tokens: number | undefined): void;
  toolCall(namespace: string, toolId: string, seconds: number, errorCode: string | undefined): void;
  outbound(host: string, status: string, seconds: number): void;
  codeRun(outcome: string): void;
  catalogLoaded(seconds: number): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** An error code from a failure text (`Error (code): ...`), limited to the known set. */
export function errorCodeOf(text: string | undefined): string {
  const code = text ? /^Error \((\w+)\)/.exec(text)?.[1] : undefined;
  return code && ERROR_CODES.has(code) ? code : 'tool_error';
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sources: MetricSources[] = [];
  const sum = (read: (s: MetricSources) => number | undefined) => sources.reduce((total, s) => total + (read(s) ?? 0), 0);
  const registers = [registry];

  const metaCalls = new Counter({ name: 'toolshed_meta_tool_calls_total', help: 'Meta-tool calls', labelNames: ['tool'], registers });
  const metaErrors = new Counter({ name: 'toolshed_meta_tool_errors_total', help: 'Meta-tool calls that returned an error result, by code', labelNames: ['tool', 'code'], registers });
  const metaLatency = new Histogram({ name: 'toolshed_meta_tool_duration_seconds', help: 'Meta-tool call latency', labelNames: ['tool'], buckets: LATENCY_BUCKETS, registers });
  const tokens = new Counter({ name: 'toolshed_result_tokens_total', help: 'Tokens returned to the model (o200k_base estimate), by meta-tool', labelNames: ['tool'], registers });
  const toolCalls = new Counter({ name: 'toolshed_tool_calls_total', help: 'Catalog tool calls (execute_tool and run_code), by catalog and tool', labelNames: ['namespace', 'tool'], registers });
  const toolErrors = new Counter({ name: 'toolshed_tool_errors_total', help: 'Catalog tool calls that failed, by code', labelNames: ['namespace', 'tool', 'code'], registers });
  const toolLatency = new Histogram({ name: 'toolshed_tool_duration_seconds', help: 'Catalog tool call latency', labelNames: ['namespace', 'tool'], buckets: LATENCY_BUCKETS, registers });
  const outboundRequests = new Counter({ name: 'toolshed_outbound_requests_total', help: 'HTTP requests to the APIs behind the catalogs, by host and status (error: no response)', labelNames: ['host', 'status'], registers });
  const outboundLatency = new Histogram({ name: 'toolshed_outbound_request_duration_seconds', help: 'HTTP request latency to the APIs, by host', labelNames: ['host'], buckets: LATENCY_BUCKETS, registers });
  const runs = new Counter({ name: 'toolshed_code_runs_total', help: 'run_code programs, by outcome (ok or an error code)', labelNames: ['outcome'], registers });
  const loadTime = new Gauge({ name: 'toolshed_catalog_load_seconds', help: 'Time to load the catalogs and build the search index at start-up', registers });
  new Gauge({ name: 'toolshed_sessions_open', help: 'Open MCP sessions', registers, collect() { this.set(sum((s) => s.sessions?.())); } });
  new Gauge({ name: 'toolshed_calls_in_flight', help: 'Tool executions holding a concurrency slot', registers, collect() { this.set(sum((s) => s.gate?.active)); } });
  new Gauge({ name: 'toolshed_calls_queued', help: 'Tool executions waiting for a concurrency slot', registers, collect() { this.set(sum((s) => s.gate?.queued)); } });
  new Gauge({
    name: 'toolshed_isolates',
    help: 'run_code isolates by state (busy, idle) and runs waiting for one (queued)',
    labelNames: ['state'],
    registers,
    collect() {
      this.set({ state: 'busy' }, sum((s) => s.pool?.()?.inUse));
      this.set({ state: 'idle' }, sum((s) => s.pool?.()?.idle));
      this.set({ state: 'queued' }, sum((s) => s.pool?.()?.waiting));
    },
  });
  new Gauge({
    name: 'toolshed_index_tools',
    help: 'Tools in the search index, by catalog',
    labelNames: ['namespace'],
    registers,
    collect() {
      this.reset();
      for (const source of sources) for (const c of source.toolshed?.()?.catalogs ?? []) this.inc({ namespace: c.namespace }, c.tools.length);
    },
  });

  return {
    registry,
    watch: (s) => void sources.push(s),
    metaToolCall(tool, seconds, errorCode, tokenCount) {
      const label = META_TOOLS.has(tool) ? tool : 'unknown';
      metaCalls.inc({ tool: label });
      metaLatency.observe({ tool: label }, seconds);
      if (errorCode) metaErrors.inc({ tool: label, code: errorCode });
      if (tokenCount) tokens.inc({ tool: label }, tokenCount);
    },
    toolCall(namespace, toolId, seconds, errorCode) {
      toolCalls.inc({ namespace, tool: toolId });
      toolLatency.observe({ namespace, tool: toolId }, seconds);
      if (errorCode) toolErrors.inc({ namespace, tool: toolId, code: errorCode });
    },
    outbound(host, status, seconds) {
      outboundRequests.inc({ host, status });
      outboundLatency.observe({ host }, seconds);
    },
    codeRun: (outcome) => runs.inc({ outcome }),
    catalogLoaded: (seconds) => loadTime.set(seconds),
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
