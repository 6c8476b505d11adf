// Credentials as the user gives them: env var NAMES (in the config file or `--auth NAME=ENV_VAR`), never
// values. A value that looks like a secret is refused at start-up, and no message here ever repeats it:
// once a token is in an error it is in the model's context or a log.
import type { CredentialConfig, OpenApiSourceConfig } from './config-types.js';
import { ConfigError } from './errors.js';

/** An environment variable name as shells accept it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Prefixes of well-known token formats (GitHub, Stripe, OpenAI/Anthropic, Slack, GitLab, AWS, Google,
 * npm, Hugging Face, SendGrid); case-sensitive, so upper-case names such as GITHUB_PAT_FILE stay names.
 */
const SECRET_PREFIXES = [/^gh[opusr]_[A-Za-z0-9]/, /^github_pat_/, /^(sk|rk|pk)_(live|test)_/, /^sk-/, /^xox[abposr]-/, /^glpat-/, /^AKIA[0-9A-Z]{12}/, /^AIza[0-9A-Za-z_-]{20}/, /^npm_[A-Za-z0-9]{20}/, /^hf_[A-Za-z0-9]{20}/, /^SG\./];
/** Env var names are words; a long run mixing lower case, upper case and digits is a key, not a name. */
const RANDOM_LOOKING = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9]{20,}$/;

/** The wildcard credentials key `--auth NAME=ENV_VAR` fills: any scheme the catalog declares, or a bearer token when it declares none. */
export const ANY_SCHEME = '*';

/** The env vars the embedded GitHub catalog reads, in order: the first that is set is used. */
export const GITHUB_TOKEN_ENVS = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export function looksLikeSecret(value: string): boolean {
  return !ENV_NAME.test(value) || SECRET_PREFIXES.some((p) => p.test(value)) || RANDOM_LOOKING.test(value);
}

/** Throws when an env-name field holds something that is not a plain env var name. `where` names the place, never the value. */
export function checkEnvName(value: string, where: string): void {
  if (!looksLikeSecret(value)) return;
  const kind = ENV_NAME.test(value) ? 'looks like a secret (a token or key)' : 'is not an environment variable name';
  throw new ConfigError(
    `${where} ${kind}, and it is not repeated here. Credentials name the environment variable that holds the secret: put the secret in the environment (export MY_TOKEN=...) and give its name ("env": "MY_TOKEN", or --auth NAME=MY_TOKEN). If that was a real secret, revoke it: it was written to a file or a command line.`,
  );
}

export function checkCredentialNames(namespace: string, credentials: Record<string, CredentialConfig> | undefined, origin: string): void {
  for (const [scheme, c] of Object.entries(credentials ?? {})) {
    for (const field of ['env', 'usernameEnv', 'passwordEnv'] as const) {
      const value = c[field];
      if (value !== undefined) checkEnvName(value, `${origin}: catalogs.${namespace}.credentials.${scheme}.${field}`);
    }
  }
}

export interface AuthFlag {
  namespace: string;
  /** The security scheme, or ANY_SCHEME. */
  scheme: string;
  credential: CredentialConfig;
}

/**
 * `--auth NAME=ENV_VAR` (every scheme of the catalog, a bearer token when it declares none),
 * `--auth NAME.SCHEME=ENV_VAR`, or `--auth NAME.SCHEME=USER_ENV:PASS_ENV` for HTTP basic.
 */
export function parseAuthFlag(value: string): AuthFlag {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([^=]+))?=(.*)$/.exec(value);
  if (!match) throw new ConfigError('--auth expects NAME=ENV_VAR, NAME.SCHEME=ENV_VAR or NAME.SCHEME=USER_ENV:PASS_ENV (e.g. --auth github=GITHUB_TOKEN)');
  const [, namespace, scheme, names] = match as unknown as [string, string, string | undefined, string];
  const parts = names.split(':');
  const where = `--auth ${namespace}${scheme ? `.${scheme}` : ''}=…: the value`;
  for (const part of parts) checkEnvName(part, where);
  if (parts.length > 2) throw new ConfigError(`${where} has more than two names; basic auth takes USER_ENV:PASS_ENV`);
  const credential: CredentialConfig = parts.length === 2 ? { usernameEnv: parts[0]!, passwordEnv: parts[1]!, ...(scheme ? {} : { type: 'basic' }) } : { env: parts[0]!, ...(scheme ? {} : { type: 'bearer' }) };
  return { namespace: namespace!, scheme: scheme ?? ANY_SCHEME, credential };
}

/** Adds `--auth` entries to their catalogs (over the config file's entries for the same scheme). */
export function applyAuthFlags(sources: OpenApiSourceConfig[], flags: AuthFlag[]): void {
  for (const flag of flags) {
    const target = sources.find((s) => s.namespace === flag.namespace) ?? (sources.length === 1 && !sources[0]!.namespace ? sources[0] : undefined);
    if (!target) throw new ConfigError(`--auth ${flag.namespace}=…: no catalog is named "${flag.namespace}" (catalogs: ${sources.map((s) => s.namespace ?? s.openapi).join(', ') || 'none'})`);
    target.credentials = { ...target.credentials, [flag.scheme]: flag.credential };
  }
}

/** The embedded GitHub catalog's credentials: GITHUB_TOKEN, else GH_TOKEN (the gh CLI's), as a bearer token. */
export function githubCredentials(env: NodeJS.ProcessEnv): Record<string, CredentialConfig> {
  const set = GITHUB_TOKEN_ENVS.find((name) => env[name]);
  return { [ANY_SCHEME]: { type: 'bearer', env: set ?? GITHUB_TOKEN_ENVS[0] } };
}
