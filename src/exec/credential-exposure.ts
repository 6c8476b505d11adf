// What the host knows about the secrets it holds, apart from any one request: every configured secret
// (so Code Mode can redact them from a run's result, logs and errors, whatever path they took), and the
// start-up warning for credentials that would cross the network in clear text.
import type { Catalog } from '../catalog/load-openapi.js';
import type { CredentialConfig, OpenApiSourceConfig } from '../config-types.js';
import { allowedOrigins } from './server-origins.js';

/** The values of every credential env var the config names (empty or unset ones left out). */
export function configuredSecrets(credentials: ReadonlyArray<Record<string, CredentialConfig> | undefined>, env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const entries of credentials) {
    for (const c of Object.values(entries ?? {})) {
      const values = [c.env, c.usernameEnv, c.passwordEnv].map((name) => (name === undefined ? undefined : env[name]));
      for (const value of values) if (value) out.add(value);
      const [user, password] = [values[1], values[2]];
      if (user && password) out.add(`${user}:${password}`);
    }
  }
  return [...out];
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * One warning per catalog whose credentials would go over plain http:// to a host other than this
 * machine (anyone on the path can read them). Loopback mocks and Prism on 127.0.0.1 are fine.
 */
export function plainHttpCredentialWarnings(source: OpenApiSourceConfig, catalog: Catalog, env: NodeJS.ProcessEnv): string[] {
  if (configuredSecrets([source.credentials], env).length === 0) return [];
  const origins = new Set<string>();
  for (const tool of catalog.tools) {
    if (tool.binding.kind !== 'http') continue;
    for (const origin of allowedOrigins(tool.binding, source.server)) origins.add(origin);
    if (source.server !== undefined) break; // one override: every tool has the same origin
  }
  const exposed = [...origins].filter((origin) => {
    const url = new URL(origin);
    return url.protocol === 'http:' && !LOOPBACK.test(url.hostname);
  });
  return exposed.map(
    (origin) =>
      `catalog "${catalog.namespace}": credentials are configured and requests go to ${origin} over plain HTTP, where anyone on the network path can read them; use an https:// server (--server ${catalog.namespace}=https://...)`,
  );
}
