// The Claude Desktop entry for the server as it runs: the same flags (paths made absolute, the config
// file named even when it was found implicitly), the env var names its catalogs read (never their
// values), and a `search` line built from the served catalog to try it without an agent.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ToolEntry } from './catalog/tool-entry.js';
import { quoteWord } from './config-mcp.js';
import type { ToolshedConfig } from './config.js';

export const CONFIG_FILE_DEFAULT = 'toolshed.config.json';

/** Flags that say how to run the command rather than what is served: not carried into the entry. */
const NOT_CARRIED = new Set(['help', 'version', 'progress', 'force', 'limit', 'tasks', 'out', 'allow-writes']);
/** Flags whose value is a path (or NAME=path): made absolute, since Claude Desktop starts us in another directory. */
const PATH_FLAGS = new Set(['config', 'openapi', 'tools-json']);

/** The config file `serve` reads: --config, or ./toolshed.config.json when present. */
export function configPathOf(flags: { config?: string | undefined }): string | undefined {
  return flags.config ?? (existsSync(CONFIG_FILE_DEFAULT) ? CONFIG_FILE_DEFAULT : undefined);
}

/** `argv` after the command, rebuilt for another working directory. */
export function carriedArgs(argv: string[], options: ParseArgsConfig['options']): string[] {
  const { tokens = [] } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const out: string[] = [];
  let sawConfig = false;
  for (const token of tokens) {
    if (token.kind !== 'option' || NOT_CARRIED.has(token.name)) continue;
    sawConfig ||= token.name === 'config';
    out.push(`--${token.name}`);
    if (token.value !== undefined) out.push(PATH_FLAGS.has(token.name) ? absoluteSource(token.value) : token.value);
  }
  const implicit = !sawConfig ? configPathOf({}) : undefined;
  return implicit ? ['--config', resolve(implicit), ...out] : out;
}

/** `NAME=path` or `path` → absolute; URLs unchanged. */
function absoluteSource(value: string): string {
  const named = /^([A-Za-z_][A-Za-z0-9_-]*)=(.+)$/.exec(value);
  const [prefix, source] = named && !/^https?$/i.test(named[1]!) ? [`${named[1]}=`, named[2]!] : ['', value];
  return /^https?:\/\//i.test(source) || isAbsolute(source) ? value : `${prefix}${resolve(source)}`;
}

/** Every env var name a catalog's credentials read. */
export function credentialEnvNames(config: Pick<ToolshedConfig, 'openapi'>): string[] {
  const names = config.openapi.flatMap((c) => Object.values(c.credentials ?? {}).flatMap((cred) => [cred.env, cred.usernameEnv, cred.passwordEnv]));
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

export interface DesktopEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** `serveArgs` are the flags after `serve`; env values are left empty for the user to fill in. */
export function desktopEntry(serveArgs: string[], envNames: string[]): DesktopEntry {
  const bin = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
  return { command: process.execPath, args: [bin, 'serve', ...serveArgs], ...(envNames.length ? { env: Object.fromEntries(envNames.map((n) => [n, ''])) } : {}) };
}

/** A query a person would type for one of the served tools: a short summary, lower-cased. */
export function exampleQuery(tools: readonly ToolEntry[]): string | undefined {
  const words = (t: ToolEntry) => t.summary.trim().split(/\s+/).length;
  const plain = tools.filter((t) => words(t) >= 3 && words(t) <= 6 && !/[[\]()]/.test(t.summary));
  // An everyday action reads as an example ("create an issue"); a title-like summary ("GitHub API Root") does not.
  const pick = plain.find((t) => /^(create|list|get|add|update|search|find|send|delete)\b/i.test(t.summary)) ?? plain[0] ?? tools.find((t) => t.summary);
  return pick?.summary.replace(/\.$/, '').toLowerCase();
}

/** What `serve` (in a terminal) and `init` print on stderr. */
export function desktopHelp(entry: DesktopEntry, example: string | undefined): string {
  const text = [`To use it from Claude Desktop, add this to claude_desktop_config.json and restart the app:`, '', JSON.stringify({ mcpServers: { toolshed: entry } }, null, 2), ''];
  if (entry.env) text.push(`Fill in the values of ${Object.keys(entry.env).join(', ')} in "env" (they stay on your machine; toolshed never prints them).`, '');
  if (example) text.push('Try search without an agent:', `  ${[entry.command, entry.args[0]!, 'search', example, ...entry.args.slice(2)].map(quoteWord).join(' ')}`, '');
  return text.join('\n');
}
