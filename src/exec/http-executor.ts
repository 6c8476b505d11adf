// The ToolExecutor for OpenAPI tools: validate → build → add credentials → send (timeout, allowed hosts
// only, redirects followed by hand) → parse → cut for the model. Never throws for anything the model
// or the API did; every outcome is an ExecResult.
import type { HttpBinding, SecurityScheme, ToolEntry } from '../catalog/tool-entry.js';
import { DEFAULT_EXEC_LIMITS, type CredentialConfig, type ExecLimits } from '../config-types.js';
import type { ToolFailure } from '../errors.js';
import { allowedOrigins, buildRequest, resolveBaseUrl, type HttpRequestSpec } from './build-request.js';
import { applyCredentials, redactSecrets, resolveCredentials, type ResolvedCredentials } from './credentials.js';
import { CHARS_PER_TOKEN, cutJson } from './cut-response.js';
import type { ExecOptions, ExecResult, ToolExecutor } from './executor.js';
import { decodeBody, type Decoded } from './decode-body.js';
import { API_MESSAGE_MAX_CHARS, httpFailure } from './http-failure.js';
import { DEFAULT_RESPONSE_PROFILE, type ResponseProfile } from './lean-response.js';
import { shapeResponse } from './shape-response.js';
import { createArgsValidator, type ArgsValidator } from './validate-args.js';

/** Redirects followed (same allowed origins only) before giving up. */
export const MAX_REDIRECTS = 5;
/** Bodies larger than this are not read at all: no cut could make them useful, and they cost memory. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** What the executor needs to know about one catalog, looked up by namespace at call time. */
export interface HttpCatalogSettings {
  securitySchemes?: Record<string, SecurityScheme>;
  credentials?: Record<string, CredentialConfig>;
  /** OpenApiSourceConfig.server: replaces the spec's servers; requests then go only there. */
  server?: string;
  limits?: Partial<ExecLimits>;
  /** How execute_tool shows JSON results (default lean). */
  responses?: ResponseProfile;
}

export interface HttpExecutorOptions {
  catalog: (namespace: string) => HttpCatalogSettings | undefined;
  /** Where credential env vars are read (at request time). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Shared with other callers that validate (optional): compiled validators are cached per tool id. */
  validator?: ArgsValidator;
  maxRedirects?: number;
  maxResponseBytes?: number;
}

export function createHttpExecutor(options: HttpExecutorOptions): ToolExecutor {
  const deps: Deps = {
    catalog: options.catalog,
    env: options.env ?? process.env,
    fetch: options.fetch ?? globalThis.fetch,
    validator: options.validator ?? createArgsValidator(),
    maxRedirects: options.maxRedirects ?? MAX_REDIRECTS,
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
  };
  return { execute: (entry, args, execOptions) => execute(deps, entry, args, execOptions ?? {}) };
}

type Deps = Required<Omit<HttpExecutorOptions, 'env'>> & { env: NodeJS.ProcessEnv };

async function execute(deps: Deps, entry: ToolEntry, args: Record<string, unknown>, execOptions: ExecOptions): Promise<ExecResult> {
  const binding = entry.binding;
  if (binding.kind !== 'http') return failed({ code: 'unknown_tool', message: `${entry.id} is not an HTTP tool` });
  const settings = deps.catalog(entry.namespace) ?? {};
  const limits: ExecLimits = {
    timeoutMs: settings.limits?.timeoutMs ?? DEFAULT_EXEC_LIMITS.timeoutMs,
    maxResponseTokens: settings.limits?.maxResponseTokens ?? DEFAULT_EXEC_LIMITS.maxResponseTokens,
  };

  const invalid = deps.validator.validate(entry, args);
  if (invalid) return failed(invalid);
  const base = resolveBaseUrl(binding, settings.server);
  if (!base.ok) return failed(base.failure);
  const built = buildRequest(binding, args, base.value);
  if (!built.ok) return failed(built.failure);
  const creds = resolveCredentials({
    namespace: entry.namespace,
    security: binding.security,
    schemes: settings.securitySchemes ?? {},
    config: settings.credentials,
    env: deps.env,
  });

  const sent = await send(deps, binding, built.value, creds, allowedOrigins(binding, settings.server), limits, execOptions.signal);
  if (!sent.ok) return failed(scrub(sent.failure, creds.secrets));
  const { response, bytes } = sent;
  const decoded = decodeBody(response.headers.get('content-type') ?? '', bytes, creds.secrets);
  const value = decoded.kind === 'empty' ? undefined : decoded.value;

  if (response.status < 200 || response.status > 299) {
    const path = new URL(response.url || built.value.url).pathname;
    const failure = httpFailure(entry, { status: response.status, statusText: response.statusText, headers: response.headers, value, path }, creds);
    return { ok: false, status: response.status, failure: scrub(failure, creds.secrets), ...(value !== undefined ? { value } : {}) };
  }
  if (value === undefined) return { ok: true, status: response.status, value: null, text: `HTTP ${response.status} (no content)`, truncated: false };
  const dishonest = unexpectedBody(entry, decoded, response.status);
  if (dishonest) return { ok: false, status: response.status, failure: scrub(dishonest, creds.secrets), value };
  const shaped = execOptions.response
    ? shapeResponse(value, execOptions.response, { profile: settings.responses ?? DEFAULT_RESPONSE_PROFILE, apiOrigins: [...allowedOrigins(binding, undefined), ...allowedOrigins(binding, settings.server)] })
    : { value, notices: [] };
  const cut = cutJson(shaped.value, limits.maxResponseTokens * CHARS_PER_TOKEN);
  const body = typeof cut.value === 'string' ? cut.value : JSON.stringify(cut.value); // compact JSON: indentation costs tokens
  const notices = [...shaped.notices, ...(cut.notice ? [cut.notice] : [])];
  return { ok: true, status: response.status, value, text: notices.length ? `${body}\n${notices.join('\n')}` : body, truncated: cut.truncated };
}

type Sent = { ok: true; response: Response; bytes: Uint8Array } | { ok: false; failure: ToolFailure };

/** Sends with the timeout, following redirects by hand so that no request ever leaves the allowed origins. */
async function send(
  deps: Deps,
  binding: HttpBinding,
  request: HttpRequestSpec,
  creds: ResolvedCredentials,
  allowed: Set<string>,
  limits: ExecLimits,
  callerSignal: AbortSignal | undefined,
): Promise<Sent> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = callerSignal ? AbortSignal.any([timeout, callerSignal]) : timeout;
  const first = applyCredentials(request, creds);
  const origin = new URL(first.url).origin;
  const what = `${binding.method} ${binding.path}`;
  if (!allowed.has(origin)) return refused(origin, allowed, what);

  let url = first.url;
  let method = first.method;
  let body = first.body;
  let headers = first.headers;
  try {
    for (let hop = 0; ; hop++) {
      const response = await deps.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || location === null) {
        const bytes = await readBody(response, deps.maxResponseBytes);
        if (!bytes) return tooLarge(deps.maxResponseBytes, what);
        return { ok: true, response, bytes };
      }
      await response.body?.cancel();
      if (hop >= deps.maxRedirects) {
        return { ok: false, failure: { code: 'network_error', message: `${what}: more than ${deps.maxRedirects} redirects`, next: 'The API is redirecting in a loop; try again later or use a different operation.' } };
      }
      const target = new URL(location, url);
      if (!allowed.has(target.origin)) return refused(target.origin, allowed, what);
      // As browsers do: 303 (and 301/302 after POST) become a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        const { 'content-type': _dropped, ...rest } = headers;
        headers = rest;
      }
      // Credentials go only back to the origin they were meant for, even among allowed origins.
      if (target.origin !== origin) headers = withoutCredentialHeaders(headers, request.headers, creds);
      url = target.toString();
    }
  } catch (e) {
    if (callerSignal?.aborted) return { ok: false, failure: { code: 'cancelled', message: `${what} was cancelled` } };
    if (timeout.aborted) {
      return {
        ok: false,
        failure: {
          code: 'timeout',
          message: `${what}: no complete answer from ${origin} within ${limits.timeoutMs / 1000} s`,
          next: 'Retry once; if it times out again, ask for less (filters, a smaller page size) or ask the user to raise limits.timeoutMs for this catalog.',
        },
      };
    }
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      failure: {
        code: 'network_error',
        message: `${what}: could not reach ${origin} (${cause?.code ?? cause?.message ?? (e as Error).message})`,
        next: 'Retry later; if it keeps failing, the server URL may be wrong: ask the user to check it or set a server override for this catalog.',
      },
    };
  }
}

function withoutCredentialHeaders(headers: Record<string, string>, original: Record<string, string>, creds: ResolvedCredentials): Record<string, string> {
  const out = { ...headers };
  for (const name of Object.keys(creds.headers)) {
    if (original[name] !== undefined) out[name] = original[name];
    else delete out[name];
  }
  if (creds.cookies.length) {
    if (original.cookie !== undefined) out.cookie = original.cookie;
    else delete out.cookie;
  }
  return out;
}

function refused(target: string, allowed: Set<string>, what: string): Sent {
  return {
    ok: false,
    failure: {
      code: 'refused_host',
      message: `${what} would go to ${target}, which is not one of this catalog's servers (${[...allowed].join(', ') || 'none'}); the request was not sent there`,
      next: 'If that host is trusted, ask the user to set it as the server override for this catalog; otherwise use a different operation.',
    },
  };
}

function tooLarge(maxBytes: number, what: string): Sent {
  return {
    ok: false,
    failure: {
      code: 'limit_exceeded',
      message: `${what}: the response is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, so it was not read`,
      next: 'Ask for less: use pagination or filter parameters (such as per_page), or a more specific operation.',
    },
  };
}

/** The whole body, or undefined when it exceeds maxBytes (the stream is cancelled then). */
async function readBody(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** A 2xx answer that must not pass as success: JSON that does not parse, or a web page where JSON was expected. */
function unexpectedBody(entry: ToolEntry, decoded: Decoded, status: number): ToolFailure | undefined {
  const what = entry.binding.kind === 'http' ? `${entry.binding.method} ${entry.binding.path}` : entry.id;
  if (decoded.kind === 'invalid_json') {
    return {
      code: 'invalid_response',
      message: `${what}: HTTP ${status} with a body declared as JSON that does not parse (${decoded.error}); it may be truncated. It begins: ${decoded.value.slice(0, 200)}`,
      next: 'Retry once; if the body is cut again, ask for less (pagination, filters) or use another operation.',
    };
  }
  // toolshed asks for JSON; a page in its place is a login wall, a proxy, or a wrong server URL.
  if (decoded.kind === 'html' && entry.output) {
    return {
      code: 'invalid_response',
      message: `${what}: HTTP ${status} answered with an HTML page${decoded.title ? ` ("${decoded.title}")` : ''} where JSON was expected: ${decoded.value.slice(0, API_MESSAGE_MAX_CHARS)}`,
      next: 'The server URL or the credentials may be wrong (a login or proxy page): ask the user to check the server override and credentials for this catalog.',
    };
  }
  return undefined;
}

function scrub(failure: ToolFailure, secrets: readonly string[]): ToolFailure {
  if (!secrets.length) return failure;
  return { ...failure, message: redactSecrets(failure.message, secrets), ...(failure.next ? { next: redactSecrets(failure.next, secrets) } : {}) };
}

function failed(failure: ToolFailure): ExecResult {
  return { ok: false, failure };
}
