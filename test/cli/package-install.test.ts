// Installing outside the clone, as the README says: `npm pack`, `npm install -g` of the tarball into a
// fresh prefix, then the installed `toolshed` runs --version and a search on the embedded catalogs. This
// is what proves the package's `files` carry everything the bin needs (dist, catalogs, models, sandbox).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Packing and installing the runtime dependencies (from npm's cache when it has them) on a loaded machine. */
const INSTALL_TIMEOUT_MS = 540_000;
const work = mkdtempSync(join(tmpdir(), 'toolshed-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('npm pack + npm install -g: the installed toolshed prints its version and searches', { timeout: INSTALL_TIMEOUT_MS + 60_000 }, async () => {
  // The same node (24+) first on PATH for npm and for the installed bin's `#!/usr/bin/env node`.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  // dist/ is built by `npm test`'s pretest; --ignore-scripts keeps pack from building it a second time.
  await npm(['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const prefix = join(work, 'prefix');
  await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', join(work, tarball)], work);

  const bin = join(prefix, 'bin', 'toolshed');
  const elsewhere = mkdtempSync(join(tmpdir(), 'toolshed-elsewhere-'));
  const version = await run(bin, ['--version'], { cwd: elsewhere, env });
  assert.match(version.stdout, /^toolshed \d+\.\d+\.\d+\n$/);
  const search = await run(bin, ['search', 'create an issue', '--limit', '1'], { cwd: elsewhere, env, timeout: 120_000 });
  assert.match(search.stdout, /^ 1\. github\.issues_create {2}POST \/repos\/\{owner\}\/\{repo\}\/issues\n/);
  rmSync(elsewhere, { recursive: true, force: true });
});
