// Upstream MCP sources, from flags (`--mcp NAME=COMMAND [ARGS...]`, `--mcp NAME=URL`,
// `--tools-json [NAME=]FILE`) and from toolshed.config.json (`mcpServers`, in the shape of Claude
// Desktop's block so a user can paste theirs, and `toolsJson`).
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { namespaceFromServerName } from './catalog/mcp-tools.js';
import type { McpServerConfig, McpSourceConfig, StaticToolsSourceConfig } from './config-types.js';
import { ConfigError } from './errors.js';

/** One `mcpServers` entry. Keys other clients write (`type`, `disabled`) are understood, not refused. */
export const mcpServerSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()),
    env: z.record(z.string()),
    cwd: z.string().min(1),
    url: z.string().regex(/^https?:\/\//i, 'an http(s) URL'),
    headers: z.record(z.string()),
    type: z.enum(['stdio', 'http', 'streamable-http', 'streamableHttp', 'sse']),
    disabled: z.boolean(),
  })
  .partial()
  .strict()
  .superRefine((s, ctx) => {
    if (s.type === 'sse') ctx.addIssue({ code: 'custom', message: 'SSE upstreams are not supported: use the server\'s Streamable HTTP endpoint (usually /mcp)' });
    if (!s.command === !s.url) ctx.addIssue({ code: 'custom', message: 'give either "command" (a stdio server) or "url" (a Streamable HTTP server)' });
    if (s.url && (s.args || s.env || s.cwd)) ctx.addIssue({ code: 'custom', message: '"args", "env" and "cwd" belong to a stdio server ("command"), not to a "url" one' });
    if (s.command && s.headers) ctx.addIssue({ code: 'custom', message: '"headers" belong to a "url" server, not to a stdio one' });
  });

export const mcpServersSchema = z.record(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_ .-]*$/, 'a server name: letters, digits, space, _ . -'), mcpServerSchema);

/** Parsed `mcpServers` → sources, skipping `disabled` ones; namespaces are the names made identifiers. */
export function mcpSourcesFromConfig(servers: z.infer<typeof mcpServersSchema>): McpSourceConfig[] {
  return Object.entries(servers)
    .filter(([, s]) => !s.disabled)
    .map(([name, s]) => ({
      namespace: namespaceFromServerName(name),
      server: s.url
        ? { url: s.url, ...(s.headers ? { headers: s.headers } : {}) }
        : { command: s.command!, ...(s.args ? { args: s.args } : {}), ...(s.env ? { env: s.env } : {}), ...(s.cwd ? { cwd: s.cwd } : {}) },
    }));
}

/** `--mcp NAME=COMMAND [ARGS...]` (one flag value, split as a shell would) or `--mcp NAME=http(s)://host/mcp`. */
export function parseMcpFlag(value: string): McpSourceConfig {
  const match = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.+)$/s.exec(value.trim());
  if (!match) throw new ConfigError(`--mcp expects NAME=COMMAND [ARGS...] or NAME=URL (e.g. --mcp "memory=npx -y @modelcontextprotocol/server-memory"), got "${value}"`);
  const [, name, rest] = match as unknown as [string, string, string];
  const namespace = namespaceFromServerName(name);
  if (/^https?:\/\/\S+$/i.test(rest.trim())) return { namespace, server: { url: rest.trim() } };
  const [command, ...args] = splitCommandLine(rest, `--mcp ${name}`);
  if (!command) throw new ConfigError(`--mcp ${name}=: no command given`);
  const server: McpServerConfig = args.length ? { command, args } : { command };
  return { namespace, server };
}

/** The `--mcp` value that recreates a source (for the printed Claude Desktop snippet); env and headers are not flags. */
export function mcpFlagValue(source: McpSourceConfig): string {
  const { server } = source;
  if ('url' in server) return `${source.namespace}=${server.url}`;
  return `${source.namespace}=${[server.command, ...(server.args ?? [])].map(quoteWord).join(' ')}`;
}

/** Single-quotes a word when splitCommandLine would otherwise split or unescape it. */
export function quoteWord(word: string): string {
  return word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `--tools-json [NAME=]FILE` (and the same strings in config `toolsJson`, relative to the config file). */
export function parseToolsJsonFlag(value: string, base?: string): StaticToolsSourceConfig {
  const named = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.+)$/.exec(value);
  const [file, namespace] = named ? [named[2]!, namespaceFromServerName(named[1]!)] : [value, undefined];
  const path = base && !isAbsolute(file) ? resolve(base, file) : file;
  return namespace ? { file: path, namespace } : { file: path };
}

/**
 * POSIX-shell word splitting: whitespace separates words; '...' is literal; "..." keeps spaces and
 * honours \" \\ \$ \`; a backslash outside quotes escapes the next character. No expansion, globbing
 * or operators: a command line here is data, not a script. Hand-written because shell-quote (the
 * usual package) is not a dependency of ours and its parse() turns `|`, `>` and `*` into operator
 * objects, which a spawn argument list cannot hold.
 */
export function splitCommandLine(line: string, what = 'command line'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ConfigError(`${what}: unterminated ' quote`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) throw new ConfigError(`${what}: unterminated " quote`);
      inWord = true;
      i = j;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
