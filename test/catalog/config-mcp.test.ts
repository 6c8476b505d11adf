// Upstream MCP sources from flags and from toolshed.config.json (a pasted Claude Desktop block).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mcpFlagValue, parseMcpFlag, parseToolsJsonFlag, splitCommandLine } from '../../src/config-mcp.js';
import { readConfigFile } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { expandEnv } from '../../src/exec/mcp-transport.js';

const dir = mkdtempSync(join(tmpdir(), 'toolshed-config-mcp-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

test('command lines split as a POSIX shell splits words, without expansion', () => {
  assert.deepEqual(splitCommandLine('npx -y @modelcontextprotocol/server-filesystem /tmp'), ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp']);
  assert.deepEqual(splitCommandLine(`node server.js "My Documents" 'it''s' a\\ b ""`), ['node', 'server.js', 'My Documents', 'its', 'a b', '']);
  assert.deepEqual(splitCommandLine(`echo "say \\"hi\\" \\$HOME" '$HOME' *.txt | x`), ['echo', 'say "hi" $HOME', '$HOME', '*.txt', '|', 'x']);
  assert.deepEqual(splitCommandLine('  spaced\t out  '), ['spaced', 'out']);
  assert.throws(() => splitCommandLine('node "open'), /unterminated " quote/);
  assert.throws(() => splitCommandLine("node 'open"), /unterminated ' quote/);
});

test('--mcp NAME=COMMAND ARGS is a stdio server, --mcp NAME=URL a Streamable HTTP one', () => {
  assert.deepEqual(parseMcpFlag('memory=npx -y @modelcontextprotocol/server-memory'), { namespace: 'memory', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } });
  assert.deepEqual(parseMcpFlag('fs=node "/opt/my servers/fs.js" --root=/tmp'), { namespace: 'fs', server: { command: 'node', args: ['/opt/my servers/fs.js', '--root=/tmp'] } });
  assert.deepEqual(parseMcpFlag('everything=http://127.0.0.1:3001/mcp'), { namespace: 'everything', server: { url: 'http://127.0.0.1:3001/mcp' } });
  assert.deepEqual(parseMcpFlag('bing-cn=bing-cn-mcp'), { namespace: 'bing_cn', server: { command: 'bing-cn-mcp' } });
  assert.throws(() => parseMcpFlag('npx -y server'), (e: unknown) => e instanceof ConfigError && /--mcp expects NAME=COMMAND/.test(e.message));
  assert.throws(() => parseMcpFlag('x=   '), ConfigError);
});

test('a source prints back as a --mcp value that parses to the same source', () => {
  for (const value of ['fs=node "/opt/my servers/fs.js" --root=/tmp', "q=echo 'it'\\''s'", 'h=https://example.com/mcp']) {
    const source = parseMcpFlag(value);
    assert.deepEqual(parseMcpFlag(mcpFlagValue(source)), source);
  }
});

test('--tools-json [NAME=]FILE; config entries resolve against the config folder', () => {
  assert.deepEqual(parseToolsJsonFlag('bench/tools.json'), { file: 'bench/tools.json' });
  assert.deepEqual(parseToolsJsonFlag('mem=memory.json', '/etc/toolshed'), { file: '/etc/toolshed/memory.json', namespace: 'mem' });
});

test("a Claude Desktop mcpServers block pastes as is: stdio with env, HTTP with headers, disabled skipped", async () => {
  const config = await readConfigFile(write('desktop.json', {
    mcpServers: {
      memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/tmp/memory.json' } },
      'bing-cn-mcp': { command: 'npx', args: ['bing-cn-mcp'] },
      remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${REMOTE_TOKEN}' } },
      old: { command: 'old-server', disabled: true },
    },
    toolsJson: ['bench/tools.json', 'mem=memory.json'],
  }));
  assert.deepEqual(config.mcp, [
    { namespace: 'memory', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/tmp/memory.json' } } },
    { namespace: 'bing_cn_mcp', server: { command: 'npx', args: ['bing-cn-mcp'] } },
    { namespace: 'remote', server: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${REMOTE_TOKEN}' } } },
  ]);
  assert.deepEqual(config.toolsJson, [{ file: join(dir, 'bench/tools.json') }, { file: join(dir, 'memory.json'), namespace: 'mem' }]);
  assert.deepEqual(config.openapi, []);
});

test('mcpServers mistakes are reported with their path', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ mcpServers: { a: { command: 'x', url: 'http://h/mcp' } } }, /mcpServers\.a: give either "command"/],
    [{ mcpServers: { a: {} } }, /mcpServers\.a: give either "command"/],
    [{ mcpServers: { a: { url: 'http://h/mcp', env: { X: '1' } } } }, /"args", "env" and "cwd" belong to a stdio server/],
    [{ mcpServers: { a: { command: 'x', headers: { X: '1' } } } }, /"headers" belong to a "url" server/],
    [{ mcpServers: { a: { type: 'sse', url: 'http://h/sse' } } }, /SSE upstreams are not supported/],
    [{ mcpServers: { a: { command: 'x', argz: [] } } }, /mcpServers\.a: Unrecognized key\(s\) in object: 'argz'/],
    [{ mcpServers: { a: { url: 'ftp://h' } } }, /mcpServers\.a\.url: an http\(s\) URL/],
  ];
  for (const [value, message] of cases) {
    await assert.rejects(readConfigFile(write('bad.json', value)), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(value));
  }
});

test('${VAR} and ${VAR:-default} in env and headers come from the environment at connect time', () => {
  assert.equal(expandEnv('Bearer ${TOKEN}', { TOKEN: 'abc' }), 'Bearer abc');
  assert.equal(expandEnv('${MISSING:-fallback}/x', {}), 'fallback/x');
  assert.equal(expandEnv('no vars, $HOME stays', {}), 'no vars, $HOME stays');
  assert.throws(() => expandEnv('${MISSING}', {}), /environment variable MISSING is not set/);
});
