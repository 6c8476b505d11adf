// What describe_tools and the start-up lines say about auth, read from the environment as it is now:
// `configured (ENV_VAR)`, `missing (set ENV_VAR)` or `not needed`. It asks the same resolver that adds
// credentials to requests, so the status cannot claim what a request would not send.
import type { SecurityScheme, ToolEntry } from '../catalog/tool-entry.js';
import type { CredentialConfig } from '../config-types.js';
import { resolveCredentials } from './credentials.js';

export type AuthState = 'configured' | 'missing' | 'not needed';

export interface AuthStatus {
  state: AuthState;
  /** `configured (GITHUB_TOKEN)`, `missing (set GITHUB_TOKEN)`, `not needed`, …: env var names only, never values. */
  text: string;
  /** configured: the env vars whose values are sent. */
  from?: string[];
}

export interface CatalogAuth {
  namespace: string;
  schemes: Record<string, SecurityScheme>;
  credentials: Record<string, CredentialConfig> | undefined;
}

export function toolAuthStatus(entry: ToolEntry, catalog: CatalogAuth, env: NodeJS.ProcessEnv): AuthStatus {
  if (entry.binding.kind !== 'http') return { state: 'not needed', text: 'handled by the upstream server' };
  const security = entry.binding.security;
  const creds = resolveCredentials({ namespace: catalog.namespace, security, schemes: catalog.schemes, config: catalog.credentials, env });
  if (creds.sentFrom.length) return configuredStatus(creds.sentFrom);
  const schemeless = security.length === 0 && Object.keys(catalog.schemes).length === 0;
  const anyConfigured = Object.keys(catalog.credentials ?? {}).length > 0;
  // A spec that declares no auth at all: nothing is known to be needed until the user names a variable.
  if ((schemeless && !anyConfigured) || !creds.missingHint) return { state: 'not needed', text: schemeless ? 'not needed (the spec declares none)' : 'not needed' };
  if (security.some((alt) => alt.length === 0)) return { state: 'not needed', text: `not needed (optional; to authenticate: ${creds.missingHint})` };
  return { state: 'missing', text: `missing (${creds.missingHint})` };
}

/** One status for a whole catalog, for its start-up line: configured if any operation would send credentials. */
export function catalogAuthStatus(tools: readonly ToolEntry[], catalog: CatalogAuth, env: NodeJS.ProcessEnv): AuthStatus {
  // Operations share a handful of security requirements; one status per distinct requirement.
  const seen = new Map<string, AuthStatus>();
  for (const tool of tools) {
    const key = tool.binding.kind === 'http' ? JSON.stringify(tool.binding.security) : 'mcp';
    if (!seen.has(key)) seen.set(key, toolAuthStatus(tool, catalog, env));
  }
  const statuses = [...seen.values()];
  const configured = statuses.filter((s) => s.state === 'configured');
  if (configured.length) return configuredStatus(configured.flatMap((s) => s.from ?? []));
  return statuses.find((s) => s.state === 'missing') ?? statuses[0] ?? { state: 'not needed', text: 'not needed' };
}

function configuredStatus(envs: string[]): AuthStatus {
  const from = [...new Set(envs)];
  return { state: 'configured', text: `configured (${from.join(', ')})`, from };
}
