// stdio lines the server cannot take (issue 19: a line over 10 MiB ended the server silently with exit
// 0; a malformed one got no reply and no log): each gets a JSON-RPC error when its id can be found, a log
// line otherwise, and the server keeps serving. Raw pipes to the real bin, since an SDK client cannot
// send a broken line.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { idAtEdges, MAX_LINE_BYTES_DEFAULT } from '../../src/server/stdio-transport.js';
import { BIN } from '../helpers/mcp-client.js';

const WAIT_MS = 60_000;

interface RawStdio {
  child: ChildProcessWithoutNullStreams;
  send(line: string): void;
  /** The next message with this id (bounded wait). */
  reply(id: number): Promise<{ id: number; result?: Record<string, unknown>; error?: { code: number; message: string } }>;
  waitForLog(pattern: RegExp): Promise<void>;
  stderr(): string;
}

function spawnStdio(args: string[]): RawStdio {
  const child = spawn(process.execPath, [BIN, 'serve', '--openapi', 'catalogs/petstore.json', ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const poll = async <T>(find: () => T | undefined, what: string): Promise<T> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${what}: ${child.exitCode !== null ? `exited ${child.exitCode}` : 'timed out'}\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    child,
    send: (line) => void child.stdin.write(`${line}\n`),
    reply: (id) => poll(() => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.id === id), `reply ${id}`),
    waitForLog: async (pattern) => void (await poll(() => (pattern.test(stderr) ? true : undefined), String(pattern))),
    stderr: () => stderr,
  };
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const search = (id: number, query: string) => ({ method: 'tools/call', params: { name: 'search_tools', arguments: { query } }, jsonrpc: '2.0', id });

describe('stdio: lines the server cannot take', () => {
  const LIMIT = 64 * 1024;
  let io: RawStdio;
  before(async () => {
    io = spawnStdio(['--max-line-bytes', String(LIMIT)]);
    io.send(JSON.stringify(INIT));
    assert.ok((await io.reply(1)).result);
    io.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  after(() => {
    io.child.kill('SIGKILL');
  });

  /** After each refusal the server still answers a normal request. */
  async function stillServing(id: number): Promise<void> {
    io.send(JSON.stringify(search(id, 'find pet by id')));
    const answer = await io.reply(id);
    assert.match(JSON.stringify(answer.result), /petstore\.get_pet_by_id/);
  }

  test('an oversized line with an id (written last, as SDK clients do) gets -32600 naming the limit and the flag', async () => {
    io.send(JSON.stringify(search(7, 'x'.repeat(LIMIT * 3))));
    const { error } = await io.reply(7);
    assert.equal(error!.code, -32600);
    assert.match(error!.message, new RegExp(`${LIMIT} bytes \\(--max-line-bytes\\)`));
    await stillServing(8);
  });

  test('an oversized line with its id first gets the error too', async () => {
    io.send(JSON.stringify({ jsonrpc: '2.0', id: 'big-1', method: 'tools/call', params: { name: 'search_tools', arguments: { query: 'y'.repeat(LIMIT * 2) } } }));
    const deadline = Date.now() + WAIT_MS;
    while (!io.stderr().includes('"id":"big-1"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(io.stderr(), /"id":"big-1","msg":"stdio: line refused"/);
    await stillServing(9);
  });

  test('an oversized line without an id is logged, and the server goes on', async () => {
    io.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'z'.repeat(LIMIT * 2), progress: 1 } }));
    await io.waitForLog(/"msg":"stdio: line dropped \(no id to answer\)"/);
    await stillServing(10);
  });

  test('a malformed line with an id gets -32700; one without is logged', async () => {
    io.send('{"jsonrpc": "2.0", "id": 11, "method": "tools/list"');
    const { error } = await io.reply(11);
    assert.equal(error!.code, -32700);
    const before = (io.stderr().match(/line dropped/g) ?? []).length;
    io.send('this is not json');
    const deadline = Date.now() + WAIT_MS;
    while ((io.stderr().match(/line dropped/g) ?? []).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok((io.stderr().match(/line dropped/g) ?? []).length > before, 'logged');
    await stillServing(12);
  });

  test('valid JSON that is not JSON-RPC, with an id, gets -32600', async () => {
    io.send(JSON.stringify({ id: 13, hello: 'world' }));
    assert.equal((await io.reply(13)).error!.code, -32600);
    await stillServing(14);
  });
});

describe('stdio: the default line limit', () => {
  test(`a line over ${MAX_LINE_BYTES_DEFAULT} bytes (and over the SDK's 10 MiB) is refused; the server keeps serving`, async () => {
    const io = spawnStdio([]);
    try {
      io.send(JSON.stringify(INIT));
      await io.reply(1);
      io.send(JSON.stringify(search(2, 'q'.repeat(11 * 1024 * 1024))));
      assert.equal((await io.reply(2)).error!.code, -32600);
      io.send(JSON.stringify(search(3, 'add a new pet')));
      assert.match(JSON.stringify((await io.reply(3)).result), /petstore\.add_pet/);
      assert.equal(io.child.exitCode, null);
    } finally {
      io.child.kill('SIGKILL');
    }
  });
});

describe('idAtEdges', () => {
  test('finds a top-level id first or last, never one nested in the params', () => {
    assert.equal(idAtEdges('{"jsonrpc":"2.0","id":5,"method":"x","params":{', ''), 5);
    assert.equal(idAtEdges('{"id":"a\\"b","method"', ''), 'a"b');
    assert.equal(idAtEdges('{"method":"x"', 'aaa"},"jsonrpc":"2.0","id":42}'), 42);
    assert.equal(idAtEdges('{"method":"x","params":{"id":3', '"params":{"id":3}}'), undefined);
    assert.equal(idAtEdges('{"method":"x"', '"x":1}'), undefined);
  });
});
