// Adds secrets to an outbound request on the host, from env vars named in the config. The model never
// sees or supplies them; everything that leaves this module for the model is text without them.
import type { SecurityRequirement, SecurityScheme } from '../catalog/tool-entry.js';
import { ANY_SCHEME } from '../config-credentials.js';
import type { CredentialConfig } from '../config-types.js';
import type { HttpRequestSpec } from './build-request.js';

import { redactText, secretForms } from './redact.js';

export { REDACTED } from './redact.js';

export interface CredentialContext {
  namespace: string;
  /** The operation's security alternatives (binding.security). */
  security: SecurityRequirement[];
  /** The catalog's declared schemes. */
  schemes: Record<string, SecurityScheme>;
  /** Config entries, keyed by scheme name (or any name, with `type`, for catalogs without schemes). */
  config: Record<string, CredentialConfig> | undefined;
  env: NodeJS.ProcessEnv;
}

/** What to add to the request, plus what to tell the model (by env var name, never by value). */
export interface ResolvedCredentials {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  cookies: Array<[string, string]>;
  /** Values to scrub from anything returned. */
  secrets: string[];
  /** Env vars whose values were sent, e.g. ["GITHUB_TOKEN"]. */
  sentFrom: string[];
  /** Scopes the chosen (or first) alternative asks for, for 403 hints. */
  scopes: string[];
  /** When nothing was sent but something could be: what the user should set (for 401/403 messages). */
  missingHint?: string;
}

type Applied = Pick<ResolvedCredentials, 'headers' | 'query' | 'cookies' | 'secrets' | 'sentFrom'>;

export function resolveCredentials(ctx: CredentialContext): ResolvedCredentials {
  const empty = (): Applied => ({ headers: {}, query: [], cookies: [], secrets: [], sentFrom: [] });
  const config = ctx.config ?? {};

  if (ctx.security.length === 0) {
    // Catalogs without schemes (GitHub's REST description) get the `type` entries on every request.
    if (Object.keys(ctx.schemes).length > 0) return { ...empty(), scopes: [] };
    const out = empty();
    // `--auth NAME=ENV_VAR` (the wildcard) stands for the catalog's whole auth: it replaces the file's entries.
    const typed = config[ANY_SCHEME] ? [[ANY_SCHEME, config[ANY_SCHEME]] as const] : Object.entries(config).filter(([, c]) => c.type !== undefined);
    for (const [, c] of typed) applyTyped(c, ctx.env, out);
    if (out.sentFrom.length > 0 || typed.length > 0) {
      return { ...out, scopes: [], ...(out.sentFrom.length === 0 ? { missingHint: setEnvHint(typed.map(([, c]) => c)) } : {}) };
    }
    const suggested = `${ctx.namespace.toUpperCase()}_TOKEN`;
    return {
      ...out,
      scopes: [],
      missingHint: `set ${suggested} and start toolshed with --auth ${ctx.namespace}=${suggested} (or name it in the config: "credentials": { "default": { "type": "bearer", "env": "${suggested}" } })`,
    };
  }

  // Alternatives that send something come first; an empty one ({}: auth optional) is the same as sending nothing.
  for (const alternative of ctx.security.filter((alt) => alt.length > 0)) {
    const out = empty();
    if (alternative.every(({ scheme }) => applyScheme(ctx.schemes[scheme], config[scheme] ?? config[ANY_SCHEME], ctx.env, out))) {
      return { ...out, scopes: alternative.flatMap((r) => r.scopes) };
    }
  }
  // Nothing configured is usable: send without (public APIs often answer anyway) and keep a hint for a 401/403.
  const first = ctx.security.find((alt) => alt.length > 0);
  if (!first) return { ...empty(), scopes: [] }; // only `{}` alternatives: auth is optional and none is declared
  return { ...empty(), scopes: first.flatMap((r) => r.scopes), missingHint: first.map(({ scheme }) => schemeHint(ctx, scheme)).join(' and ') };
}

/** Adds the resolved credentials to a request (a copy). */
export function applyCredentials(request: HttpRequestSpec, creds: ResolvedCredentials): HttpRequestSpec {
  const headers = { ...request.headers, ...creds.headers };
  if (creds.cookies.length) {
    const pairs = creds.cookies.map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    headers.cookie = [headers.cookie, ...pairs].filter(Boolean).join('; ');
  }
  let url = request.url;
  if (creds.query.length) {
    const pairs = creds.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    url += `${url.includes('?') ? '&' : '?'}${pairs}`;
  }
  return { ...request, url, headers };
}

/** Replaces every secret that was sent, in any encoding an API may echo it in, with a marker. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.length ? redactText(text, secretForms(secrets)) : text;
}

function read(env: NodeJS.ProcessEnv, name: string | undefined): string | undefined {
  const value = name === undefined ? undefined : env[name];
  return value === undefined || value === '' ? undefined : value;
}

function addBearer(token: string, envName: string, out: Applied): void {
  out.headers.authorization = `Bearer ${token}`;
  out.secrets.push(token);
  out.sentFrom.push(envName);
}

/** Basic auth from usernameEnv + passwordEnv, or from one env var already holding "user:password". */
function addBasic(c: CredentialConfig, env: NodeJS.ProcessEnv, out: Applied): boolean {
  const user = read(env, c.usernameEnv);
  const password = read(env, c.passwordEnv);
  const pair = user !== undefined && password !== undefined ? `${user}:${password}` : read(env, c.env);
  if (pair === undefined) return false;
  const encoded = Buffer.from(pair, 'utf8').toString('base64');
  out.headers.authorization = `Basic ${encoded}`;
  out.secrets.push(encoded, pair, pair.slice(pair.indexOf(':') + 1));
  out.sentFrom.push(...(user !== undefined && password !== undefined ? [c.usernameEnv!, c.passwordEnv!] : [c.env!]));
  return true;
}

function addApiKey(where: 'header' | 'query' | 'cookie', name: string, value: string, envName: string, out: Applied): void {
  if (where === 'header') out.headers[name.toLowerCase()] = value;
  else if (where === 'query') out.query.push([name, value]);
  else out.cookies.push([name, value]);
  out.secrets.push(value);
  out.sentFrom.push(envName);
}

/** One declared scheme; false when its secret is not available. */
function applyScheme(scheme: SecurityScheme | undefined, c: CredentialConfig | undefined, env: NodeJS.ProcessEnv, out: Applied): boolean {
  if (!scheme || !c) return false;
  if (scheme.type === 'http') {
    const kind = scheme.scheme.toLowerCase();
    if (kind === 'basic') return addBasic(c, env, out);
    if (kind !== 'bearer') return false; // digest, hoba, ...: nothing a static secret can answer
  } else if (scheme.type === 'apiKey') {
    const value = read(env, c.env);
    if (value === undefined) return false;
    addApiKey(scheme.in, scheme.name, value, c.env!, out);
    return true;
  }
  // http bearer, oauth2 and openIdConnect: the user obtains the token; we send it as a bearer token.
  const token = read(env, c.env);
  if (token === undefined) return false;
  addBearer(token, c.env!, out);
  return true;
}

/** A `type` entry for catalogs that declare no schemes. */
function applyTyped(c: CredentialConfig, env: NodeJS.ProcessEnv, out: Applied): void {
  if (c.type === 'basic') {
    addBasic(c, env, out);
    return;
  }
  const value = read(env, c.env);
  if (value === undefined) return;
  if (c.type === 'apiKey') addApiKey(c.in ?? 'header', c.name ?? 'x-api-key', value, c.env!, out);
  else addBearer(value, c.env!, out);
}

function setEnvHint(configs: CredentialConfig[]): string {
  const names = configs.flatMap((c) => (c.usernameEnv && c.passwordEnv ? [c.usernameEnv, c.passwordEnv] : c.env ? [c.env] : []));
  return names.length ? `set ${names.join(' and ')}` : 'give the credentials entry an "env" naming the variable that holds the secret';
}

function schemeHint(ctx: CredentialContext, scheme: string): string {
  const c = ctx.config?.[scheme] ?? ctx.config?.[ANY_SCHEME];
  if (c && (c.env || (c.usernameEnv && c.passwordEnv))) return setEnvHint([c]);
  const s = ctx.schemes[scheme];
  const kind = !s ? 'a secret' : s.type === 'http' ? `an HTTP ${s.scheme} credential` : s.type === 'apiKey' ? `an API key (${s.in} "${s.name}")` : 'an OAuth access token';
  const example = s?.type === 'http' && s.scheme.toLowerCase() === 'basic' ? '{ "usernameEnv": "...", "passwordEnv": "..." }' : '{ "env": "NAME_OF_ENV_VAR" }';
  const flag = s?.type === 'http' && s.scheme.toLowerCase() === 'basic' ? `${ctx.namespace}.${scheme}=USER_ENV:PASS_ENV` : `${ctx.namespace}=ENV_VAR`;
  return `put ${kind} in an environment variable and name it: --auth ${flag}, or "credentials": { "${scheme}": ${example} } for the "${ctx.namespace}" catalog`;
}
