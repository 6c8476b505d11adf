// Prism (@stoplight/prism-cli, a dev dependency) mocking an OpenAPI description: it validates every
// request against the spec (a wrongly built query or path gets a 422/404) and answers with the spec's
// examples. Shared by the token benchmark and the tests (test/helpers/prism.ts re-exports it); it stays
// out of src/ because the installed `toolshed` has no Prism to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

export const GITHUB_SPEC = new URL('../catalogs/github.json.br', import.meta.url).pathname;
const PRISM = new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url);
/** Prism needs ~20 s to read the 13 MB GitHub description on a busy 2-core machine; allow generous slack. */
export const PRISM_START_TIMEOUT_MS = 150_000;
/** After SIGTERM, how long Prism may take to exit before it is killed. */
const PRISM_STOP_GRACE_MS = 5_000;

export interface PrismMock {
  origin: string;
  stop(): Promise<void>;
}

export function startGithubPrism(): Promise<PrismMock> {
  return startPrism(GITHUB_SPEC);
}

/** Starts `prism mock` on a free loopback port; a `.br` description is decompressed to a temporary file first. */
export async function startPrism(spec: string, options: { startTimeoutMs?: number } = {}): Promise<PrismMock> {
  const dir = mkdtempSync(join(tmpdir(), 'toolshed-prism-'));
  let file = spec;
  if (spec.endsWith('.br')) {
    file = join(dir, basename(spec, '.br'));
    writeFileSync(file, brotliDecompressSync(readFileSync(spec)));
  }
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM.pathname, 'mock', file, '-p', String(port), '-h', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit); // belt and braces: never leave Prism behind
  const stop = async () => {
    await stopChild(child);
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPrism(child, options.startTimeoutMs ?? PRISM_START_TIMEOUT_MS);
  } catch (e) {
    await stop();
    throw e;
  }
  return { origin: `http://127.0.0.1:${port}`, stop };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves once Prism logs that it listens; rejects on exit or after the timeout (with its last output). */
function waitForPrism(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${log.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000);
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), PRISM_STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
