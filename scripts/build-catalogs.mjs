// Rebuilds the bundled default catalog: the GitHub REST description from @octokit/openapi (MIT),
// minified and brotli-compressed, so users get 1,223 real operations offline without the 385 MB package.
// Run: npm run build:catalogs  (needs the npm registry once; the output is committed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const OCTOKIT_OPENAPI = '@octokit/openapi@23.0.2';
const work = mkdtempSync(join(tmpdir(), 'toolshed-catalogs-'));
const tarball = execFileSync('npm', ['pack', OCTOKIT_OPENAPI, '--silent'], { cwd: work, encoding: 'utf8' }).trim();
execFileSync('tar', ['xzf', tarball, 'package/generated/api.github.com.json'], { cwd: work });
const spec = JSON.parse(readFileSync(join(work, 'package/generated/api.github.com.json'), 'utf8'));
const packed = brotliCompressSync(Buffer.from(JSON.stringify(spec)), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
});
const out = new URL('../catalogs/github.json.br', import.meta.url);
writeFileSync(out, packed);
console.error(`wrote ${out.pathname}: ${packed.length} bytes from ${OCTOKIT_OPENAPI}`);
