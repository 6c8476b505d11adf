// `toolshed init [--openapi NAME=SPEC]... [--config FILE] [--force]`: reads each spec, writes a starter
// toolshed.config.json (namespaces, one credentials entry per auth scheme the spec declares, each naming
// an env var to hold the secret) and prints the Claude Desktop entry that serves it.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { SecurityScheme } from './catalog/tool-entry.js';
import { CONFIG_FILE_DEFAULT, credentialEnvNames, desktopEntry, desktopHelp, exampleQuery } from './cli-desktop.js';
import { GITHUB_TOKEN_ENVS } from './config-credentials.js';
import type { CredentialConfig, OpenApiSourceConfig } from './config-types.js';
import { parseOpenApiFlag } from './config.js';
import { ConfigError } from './errors.js';

export const INIT_OPTIONS = {
  force: { type: 'boolean' },
} as const;

export const INIT_USAGE = `Starter config (init): toolshed init [--openapi [NAME=]SPEC]... [--config FILE] [--force]
  writes FILE (default ./${CONFIG_FILE_DEFAULT}) with each spec's namespace and an env var name per auth
  scheme it declares (no --openapi: the embedded defaults), then prints the Claude Desktop entry
  --force                overwrite an existing file`;

interface InitFlags {
  openapi?: string[] | undefined;
  config?: string | undefined;
  force?: boolean | undefined;
}

export async function initCommand(flags: InitFlags, defaults: OpenApiSourceConfig[]): Promise<number> {
  const path = resolve(flags.config ?? CONFIG_FILE_DEFAULT);
  if (existsSync(path) && !flags.force) throw new ConfigError(`${path} exists: edit it, pass --force to overwrite it, or --config OTHER.json to write elsewhere`);
  const sources = flags.openapi?.length ? flags.openapi.map(parseOpenApiFlag) : defaults;
  const catalogs: Record<string, { openapi: string; credentials?: Record<string, CredentialConfig> }> = {};
  const notes: string[] = [];
  let example: string | undefined;
  // Imported here: the document parser is for init and serving's background load, not every command's start.
  const { loadOpenApiCatalog } = await import('./catalog/load-openapi.js');
  for (const source of sources) {
    const catalog = await loadOpenApiCatalog({ source: source.openapi, ...(source.namespace ? { namespace: source.namespace } : {}) });
    const credentials = starterCredentials(catalog.namespace, catalog.securitySchemes, defaults.some((d) => d.openapi === source.openapi && d.namespace === 'github'));
    catalogs[catalog.namespace] = { openapi: pathFrom(dirname(path), source.openapi), ...(Object.keys(credentials).length ? { credentials } : {}) };
    example ??= exampleQuery(catalog.tools);
    const names = credentialEnvNames({ openapi: [{ openapi: '', credentials }] });
    notes.push(`  ${catalog.namespace}: ${catalog.tools.length} operations; ${names.length ? `auth from ${names.join(', ')}` : `the spec declares no auth (if the API wants a token: "credentials": { "default": { "type": "bearer", "env": "${envName(catalog.namespace, 'TOKEN')}" } })`}`);
  }
  await writeFile(path, `${JSON.stringify({ catalogs }, null, 2)}\n`);
  const entry = desktopEntry(['--config', path], credentialEnvNames({ openapi: Object.values(catalogs) }));
  process.stderr.write(`wrote ${path}:\n${notes.join('\n')}\n\n${desktopHelp(entry, example)}`);
  return 0;
}

/** One entry per declared scheme, named NAMESPACE_TOKEN / NAMESPACE_API_KEY / …; the embedded GitHub catalog's own variable. */
export function starterCredentials(namespace: string, schemes: Record<string, SecurityScheme>, isGithub: boolean): Record<string, CredentialConfig> {
  if (Object.keys(schemes).length === 0) return isGithub ? { default: { type: 'bearer', env: GITHUB_TOKEN_ENVS[0] } } : {};
  const out: Record<string, CredentialConfig> = {};
  const used = new Set<string>();
  for (const [name, scheme] of Object.entries(schemes)) {
    const unique = (suffix: string) => {
      const plain = envName(namespace, suffix);
      const chosen = used.has(plain) ? envName(namespace, `${name}_${suffix}`) : plain;
      used.add(chosen);
      return chosen;
    };
    if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') out[name] = { usernameEnv: unique('USERNAME'), passwordEnv: unique('PASSWORD') };
    else if (scheme.type === 'apiKey') out[name] = { env: unique('API_KEY') };
    else if (scheme.type === 'http' && scheme.scheme.toLowerCase() !== 'bearer') continue; // digest and the like: no static secret answers them
    else out[name] = { env: unique('TOKEN') };
  }
  return out;
}

function envName(namespace: string, suffix: string): string {
  return `${namespace}_${suffix}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Config paths are relative to the config file; URLs and paths outside its folder tree stay as given (absolute). */
function pathFrom(base: string, source: string): string {
  if (/^https?:\/\//i.test(source)) return source;
  const absolute = isAbsolute(source) ? source : resolve(source);
  const rel = relative(base, absolute);
  return rel.startsWith('..') ? absolute : rel;
}
