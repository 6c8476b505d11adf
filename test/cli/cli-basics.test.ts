// What a new user meets at the command line, through the real `toolshed` bin: --version, a mistyped
// flag, and a spec URL that cannot be fetched (the cause named: DNS, refused, TLS, HTTP status).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createProgress } from '../../src/progress.js';
import { toolshed } from '../helpers/run-cli.js';

describe('the command line', () => {
  test('--version prints the package version on stdout', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await toolshed(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `toolshed ${version}\n`);
  });

  test('a mistyped flag gets the nearest real one, in one line, not the whole usage', async () => {
    for (const [typed, near] of [['--opneapi', '--openapi'], ['--confg', '--config'], ['--limt', '--limit'], ['--allow-write', '--allow-writes']] as const) {
      const r = await toolshed(['search', 'x', typed, 'y']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `toolshed: unknown option ${typed}. Did you mean ${near}? (toolshed --help lists every flag)\n`);
    }
    const far = await toolshed(['serve', '--xyzzy-plugh']);
    assert.equal(far.stderr, 'toolshed: unknown option --xyzzy-plugh. (toolshed --help lists every flag)\n');
  });
});

describe('a spec URL that cannot be fetched names the cause', () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no spec here'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const load = (url: string) => toolshed(['search', 'x', '--openapi', `api=${url}`, '--embeddings', 'none']);

  test('HTTP status', async () => {
    const r = await load(`http://127.0.0.1:${port}/openapi.json`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot fetch the document: the server answered HTTP 404 Not Found/);
  });

  test('connection refused', async () => {
    // A port that was just free: bind, note it, close.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await load(`http://127.0.0.1:${closed}/openapi.json`);
    assert.match(r.stderr, /cannot fetch the document: connection refused: nothing is listening there \(ECONNREFUSED\)/);
  });

  test('DNS', async () => {
    // .invalid never resolves (RFC 2606), with or without a network.
    const r = await load('http://no-such-host.invalid/openapi.json');
    assert.match(r.stderr, /cannot fetch the document: DNS: (no such host \(ENOTFOUND\)|lookup failed)/);
  });

  test('TLS', async () => {
    const r = await load(`https://127.0.0.1:${port}/openapi.json`);
    assert.match(r.stderr, /cannot fetch the document: TLS: the TLS handshake failed \(is it https on that port\?\) \(ERR_SSL_WRONG_VERSION_NUMBER\)/);
  });
});

describe('progress on stderr', () => {
  test('--progress names each slow step and when it ended; stdout keeps only the results', async () => {
    // Threshold 0: every step counts as slow, so the test does not depend on the machine's speed.
    const r = await toolshed(['search', 'create an issue', '--progress', '--limit', '1'], { TOOLSHED_PROGRESS_AFTER_MS: '0' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /toolshed: loading github, petstore…\n/);
    assert.match(r.stderr, /toolshed: loading github, petstore: done in \d+\.\d s\n/);
    assert.match(r.stderr, /toolshed: building the search index: done in \d+\.\d s\n/);
    assert.match(r.stdout, /^ 1\. github\.issues_create/);
    assert.doesNotMatch(r.stdout, /toolshed:/);
  });

  test('quiet when stderr is not a terminal and --progress is not given', async () => {
    const r = await toolshed(['search', 'create an issue', '--limit', '1'], { TOOLSHED_PROGRESS_AFTER_MS: '0' });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /toolshed: (loading|building)/);
  });

  test('a step quicker than the threshold says nothing, even on a terminal', async () => {
    const written: string[] = [];
    const progress = createProgress({ stream: { isTTY: true, write: (t: string) => written.push(t) }, afterMs: 60_000 });
    assert.equal(await progress.step('quick', async () => 42), 42);
    assert.deepEqual(written, []);
  });
});
