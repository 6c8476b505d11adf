// Tokens a client pays up front for upstream MCP servers: the three reference servers' own tools/list
// (everything + filesystem + memory, as a client connected to each would load them) beside toolshed's
// tools/list when it fronts the same three; and LiveMCPBench's 527 tools beside toolshed serving them
// as a static source. o200k_base stands in for model tokenizers generally.
// Run (after `npm run build`): node --import tsx bench/mcp-tokens.ts
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { McpServerConfig } from '../src/config-types.js';

const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const TOOLSHED = fileURLToPath(new URL('../bin/toolshed.js', import.meta.url));
const LIVEMCPBENCH = fileURLToPath(new URL('../test/fixtures/livemcpbench/tools.json', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'toolshed-bench-'));
type StdioServer = Extract<McpServerConfig, { command: string }>;
const servers: Record<string, StdioServer> = {
  everything: { command: process.execPath, args: [bin('mcp-server-everything')] },
  filesystem: { command: process.execPath, args: [bin('mcp-server-filesystem'), dir] },
  memory: { command: process.execPath, args: [bin('mcp-server-memory')], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
};

const tokens = (tools: unknown[]) => encode(JSON.stringify({ tools })).length;

async function listTools(server: StdioServer): Promise<Tool[]> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: server.command, args: server.args ?? [], ...(server.env ? { env: server.env } : {}), stderr: 'ignore' }));
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  await client.close();
  return tools;
}

const row = (label: string, count: number, total: number, base?: number) =>
  console.log(`${label.padEnd(52)} ${String(count).padStart(4)} tools ${String(total).padStart(8)} tokens${base ? `  ${(base / total).toFixed(1)}× fewer` : ''}`);

console.log('tools/list tokens (o200k_base)\n');
let combined: Tool[] = [];
for (const [name, server] of Object.entries(servers)) {
  const tools = await listTools(server);
  row(`  ${name}`, tools.length, tokens(tools));
  combined = combined.concat(tools);
}
const upstream = tokens(combined);
row('upstreams combined (a client connected to all three)', combined.length, upstream);

const config = join(dir, 'toolshed.config.json');
writeFileSync(config, JSON.stringify({ mcpServers: servers }));
for (const mode of ['dynamic', 'both']) {
  const own = await listTools({ command: process.execPath, args: [TOOLSHED, 'serve', '--config', config, '--mode', mode, '--log-level', 'warn'] });
  row(`toolshed --mode ${mode} fronting the three`, own.length, tokens(own), upstream);
}

const bench = JSON.parse(readFileSync(LIVEMCPBENCH, 'utf8')) as Array<{ tools: Record<string, { tools: unknown[] }> }>;
const benchTools = bench.flatMap((s) => Object.values(s.tools).flatMap((l) => l.tools));
const benchTokens = tokens(benchTools);
console.log('');
row("LiveMCPBench's 70 servers' tools/list combined", benchTools.length, benchTokens);
const own = await listTools({ command: process.execPath, args: [TOOLSHED, 'serve', '--tools-json', LIVEMCPBENCH, '--log-level', 'warn'] });
row('toolshed --mode both serving them (static source)', own.length, tokens(own), benchTokens);
