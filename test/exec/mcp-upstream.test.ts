// One upstream connection against real MCP servers: paging, list_changed, progress, cancellation,
// restart after the process dies, start-up failures, Streamable HTTP.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { createMcpUpstream, type McpUpstream, type McpUpstreamOptions } from '../../src/exec/mcp-upstream.js';
import { captureLog, descendants, everythingServer, pagedServer, startEverythingHttp, waitFor } from '../helpers/upstream-servers.js';

const FAST = { retryInitialMs: 50, retryMaxMs: 200, connectTimeoutMs: 10_000 };

function open(options: Partial<McpUpstreamOptions> & Pick<McpUpstreamOptions, 'server'>) {
  const { log, text } = captureLog();
  const listings: Tool[][] = [];
  const upstream = createMcpUpstream({ name: 'up', log, onTools: (tools) => listings.push(tools), ...FAST, ...options });
  return { upstream, listings, logText: text };
}

const textOf = (outcome: Awaited<ReturnType<McpUpstream['callTool']>>) => {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
};

describe('a stdio upstream (paged fixture server)', () => {
  const { upstream, listings, logText } = open({ server: pagedServer(5) });
  after(() => upstream.close());

  test('start lists every page of tools', async () => {
    await upstream.start();
    assert.equal(upstream.status().state, 'ready');
    assert.equal(listings.length, 1);
    assert.deepEqual(listings[0]!.map((t) => t.name), ['add_tool', 'crash', 'slow', 'fail', 'whoami', 'extra_0', 'extra_1', 'extra_2', 'extra_3', 'extra_4']);
  });

  test('notifications/tools/list_changed re-lists the tools', async () => {
    const version = upstream.toolsVersion();
    textOf(await upstream.callTool('add_tool', { name: 'brand_new' }, { timeoutMs: 5000 }));
    await waitFor(() => listings.length === 2, 'the second listing');
    assert.ok(listings[1]!.some((t) => t.name === 'brand_new'));
    assert.equal(listings[1]!.length, 11);
    assert.ok(upstream.toolsVersion() > version);
  });

  test('progress notifications reach onProgress; an abort is forwarded upstream as a cancellation', async () => {
    const progress: Array<[number, number | undefined, string | undefined]> = [];
    const controller = new AbortController();
    const outcome = await upstream.callTool('slow', { ms: 10_000 }, {
      timeoutMs: 30_000,
      signal: controller.signal,
      onProgress: (p, total, message) => {
        progress.push([p, total, message]);
        if (progress.length === 2) controller.abort();
      },
    });
    assert.deepEqual(outcome, { ok: false, failure: { code: 'cancelled', message: 'the call was cancelled' } });
    assert.deepEqual(progress[0], [1, 200, 'step 1']);
    await waitFor(() => logText().includes('slow call cancelled after'), 'the upstream to see the cancellation');
  });

  test('an upstream isError result comes back as a result (the executor maps it)', async () => {
    const outcome = await upstream.callTool('fail', {}, { timeoutMs: 5000 });
    assert.ok(outcome.ok && outcome.result.isError === true);
  });

  test('when the process dies, the call in flight gets a clear error and the next call runs on a restarted process', async () => {
    const before = textOf(await upstream.callTool('whoami', {}, { timeoutMs: 5000 }));
    const crashed = await upstream.callTool('crash', {}, { timeoutMs: 5000 });
    assert.equal(crashed.ok, false);
    assert.ok(!crashed.ok);
    assert.equal(crashed.failure.code, 'upstream_error');
    assert.match(crashed.failure.message, /upstream MCP server up went away during the call.*restarting it/);
    // No waiting here: the call waits for the restart itself.
    const after = textOf(await upstream.callTool('whoami', {}, { timeoutMs: 5000 }));
    assert.notEqual(after, before, 'a new process answered');
    assert.equal(upstream.status().state, 'ready');
    assert.ok(listings.length >= 3, 'tools are listed again after the restart');
  });

  test('a process killed from outside is restarted too', async () => {
    const pid = Number(textOf(await upstream.callTool('whoami', {}, { timeoutMs: 5000 })));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => upstream.status().state !== 'ready', 'the exit to be noticed');
    assert.notEqual(textOf(await upstream.callTool('whoami', {}, { timeoutMs: 5000 })), String(pid));
  });
});

describe('upstreams that cannot start', () => {
  test('a missing command: unavailable with the reason, retried with backoff, calls answer not_connected', async () => {
    const { upstream, logText } = open({ server: { command: '/nonexistent/mcp-server' }, callWaitMs: 0 });
    try {
      await upstream.start();
      const status = upstream.status();
      assert.equal(status.state, 'unavailable');
      assert.match(status.error ?? '', /command not found|ENOENT/);
      assert.ok(status.retryAt! > Date.now() - 1000);
      const outcome = await upstream.callTool('x', {}, { timeoutMs: 1000 });
      assert.ok(!outcome.ok);
      assert.equal(outcome.failure.code, 'not_connected');
      assert.match(outcome.failure.message, /upstream MCP server up is unavailable: .*(command not found|ENOENT)/);
      await waitFor(() => (logText().match(/upstream unavailable/g) ?? []).length >= 3, 'retries');
    } finally {
      await upstream.close();
    }
  });

  test('a server that exits at once: the error quotes its stderr', async () => {
    const { upstream } = open({ server: { command: process.execPath, args: ['-e', 'console.error("unknown flag --frobnicate"); process.exit(2)'] } });
    try {
      await upstream.start();
      assert.equal(upstream.status().state, 'unavailable');
      assert.match(upstream.status().error ?? '', /stderr: unknown flag --frobnicate/);
    } finally {
      await upstream.close();
    }
  });

  test('a server that never answers: the connect timeout gives up', async () => {
    const { upstream } = open({ server: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }, connectTimeoutMs: 300 });
    try {
      await upstream.start();
      assert.equal(upstream.status().state, 'unavailable');
      assert.match(upstream.status().error ?? '', /timed out/i);
    } finally {
      await upstream.close();
    }
    await waitFor(() => descendants(process.pid, /setInterval/).length === 0, 'close to end every child');
  });
});

describe('the everything server', () => {
  test('over stdio: echo, and structuredContent comes through', async () => {
    const { upstream, listings } = open({ server: everythingServer() });
    try {
      await upstream.start();
      assert.ok(listings[0]!.some((t) => t.name === 'get-structured-content'));
      assert.equal(textOf(await upstream.callTool('echo', { message: 'hi' }, { timeoutMs: 5000 })), 'Echo: hi');
      const outcome = await upstream.callTool('get-structured-content', { location: 'Chicago' }, { timeoutMs: 5000 });
      assert.ok(outcome.ok);
      assert.equal(typeof (outcome.result.structuredContent as { temperature: unknown }).temperature, 'number');
    } finally {
      await upstream.close();
    }
  });

  test('over Streamable HTTP; when the server goes away the upstream reconnects once it is back', async () => {
    let server = await startEverythingHttp();
    const { upstream, listings } = open({ server: { url: server.url } });
    try {
      await upstream.start();
      assert.equal(upstream.status().state, 'ready', upstream.status().error);
      assert.ok(listings[0]!.some((t) => t.name === 'echo'));
      assert.equal(textOf(await upstream.callTool('echo', { message: 'over http' }, { timeoutMs: 5000 })), 'Echo: over http');
      await server.stop();
      const down = await upstream.callTool('echo', { message: 'nobody there' }, { timeoutMs: 5000 });
      assert.ok(!down.ok);
      assert.match(down.failure.code, /network_error|not_connected/);
      server = await startEverythingHttp(server.port);
      // The old session died with the server: the upstream opens a new one by itself.
      assert.equal(textOf(await upstream.callTool('echo', { message: 'back' }, { timeoutMs: 5000 })), 'Echo: back');
    } finally {
      await upstream.close();
      await server.stop();
    }
  });
});
