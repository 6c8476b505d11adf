// The Claude Desktop entry `serve` prints reproduces the server: started as printed from another
// directory, it serves the same catalog (config, --server, --auth, --mode carried, paths absolute), its
// env block names the variables (empty, never the values), and the printed search line finds a tool.
// `toolshed init` writes a starter config for a spec and prints an entry that serves it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { json, startRecordingServer, type RecordingServer } from '../exec/recording-server.js';
import { BIN, call } from '../helpers/mcp-client.js';
import { toolshed } from '../helpers/run-cli.js';

const SECRET = 'shop-secret-Zq8w1x-value';

interface Entry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Starts `toolshed serve` in `cwd`, reads its stderr up to the help text, then closes its stdin (it exits). */
async function serveHelp(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('Press Ctrl+C to stop.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
  } finally {
    child.stdin.end();
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
  return stderr;
}

function entryOf(text: string): Entry {
  const start = text.indexOf('{\n  "mcpServers"');
  const end = text.indexOf('\n}\n', start);
  return (JSON.parse(text.slice(start, end + 2)) as { mcpServers: { toolshed: Entry } }).mcpServers.toolshed;
}

let api: RecordingServer;
let dir: string;
before(async () => {
  api = await startRecordingServer();
  api.handle('/orders', (req, res) => json(res, 200, [{ id: 7, key: req.headers['x-api-key'] ?? null }]));
  dir = mkdtempSync(join(tmpdir(), 'toolshed-desktop-'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(
    join(dir, 'specs', 'shop.json'),
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Shop', version: '1' },
      servers: [{ url: 'https://shop.example.com' }],
      components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
      security: [{ key: [] }],
      paths: {
        '/orders': { get: { operationId: 'listOrders', summary: 'List open orders', responses: { 200: { description: 'ok' } } } },
        '/orders/{id}/refund': { post: { operationId: 'refundOrder', summary: 'Refund a paid order', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } },
      },
    }),
  );
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ catalogs: { shop: { openapi: 'specs/shop.json' } } }));
});
after(() => api.close());

describe('serve prints an entry that reproduces it', () => {
  let entry: Entry;
  let help: string;
  before(async () => {
    help = await serveHelp(['--config', 'cfg.json', '--server', `shop=${api.origin}`, '--auth', 'shop=SHOP_KEY', '--mode', 'dynamic'], dir, { SHOP_KEY: SECRET });
    entry = entryOf(help);
  });

  test('every flag that shaped the catalog, the config path absolute, env names with empty values', () => {
    assert.equal(entry.command, process.execPath);
    assert.deepEqual(entry.args, [BIN, 'serve', '--config', join(dir, 'cfg.json'), '--server', `shop=${api.origin}`, '--auth', 'shop=SHOP_KEY', '--mode', 'dynamic']);
    assert.deepEqual(entry.env, { SHOP_KEY: '' });
    assert.ok(!help.includes(SECRET), 'the value of SHOP_KEY is printed nowhere');
  });

  test('started as printed, from another directory, it serves the same catalog and sends the key', async () => {
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, cwd: tmpdir(), env: { ...(process.env as Record<string, string>), SHOP_KEY: SECRET }, stderr: 'pipe' });
    const client = new Client({ name: 'desktop-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['describe_tools', 'execute_tool', 'search_tools'], '--mode dynamic carried');
      const result = await call(client, 'execute_tool', { name: 'shop.list_orders', arguments: {} });
      assert.ok(!result.isError);
      assert.equal(api.requests.at(-1)!.headers['x-api-key'], SECRET, '--server and --auth carried');
    } finally {
      await client.close();
    }
  });

  test('the search line comes from the served catalog and finds its tool', async () => {
    const line = /Try search without an agent:\n {2}(.+)\n/.exec(help)?.[1];
    assert.ok(line, help);
    assert.match(line, /search '(list open orders|refund a paid order)' --config /);
    const query = /search '([^']+)'/.exec(line)![1]!;
    const r = await toolshed(['search', query, '--config', join(dir, 'cfg.json'), '--limit', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toLowerCase(), new RegExp(`1\\. shop\\.\\w+ .*\\n\\s+${query}`));
  });
});

describe('toolshed init', () => {
  test('writes namespaces, an env var name per auth scheme, and prints the entry; refuses to overwrite', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'toolshed-init-'));
    const spec = join(dir, 'specs', 'shop.json');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'init', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const first = await run(['--openapi', `shop=${spec}`]);
    assert.equal(first.code, 0, first.stderr);
    const written = JSON.parse(readFileSync(join(cwd, 'toolshed.config.json'), 'utf8'));
    assert.deepEqual(written, { catalogs: { shop: { openapi: spec, credentials: { key: { env: 'SHOP_API_KEY' } } } } });
    const entry = entryOf(first.stderr);
    assert.deepEqual(entry.args.slice(1), ['serve', '--config', join(cwd, 'toolshed.config.json')]);
    assert.deepEqual(entry.env, { SHOP_API_KEY: '' });
    assert.match(first.stderr, /shop: 2 operations; auth from SHOP_API_KEY/);
    const again = await run(['--openapi', `shop=${spec}`]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /toolshed\.config\.json exists: edit it, pass --force to overwrite it/);
  });
});
