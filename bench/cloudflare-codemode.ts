// @cloudflare/codemode's declaration generator, for comparison in bench/codegen-tokens.ts. Installed on
// first use into bench/.codemode (gitignored), not as a project dependency: its package index imports
// `cloudflare:workers` and its peers want zod 4, so only the pure generator chunk is loaded.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODEMODE_VERSION = '0.5.6';
const PREFIX = fileURLToPath(new URL('./.codemode', import.meta.url));
const DIST = `${PREFIX}/node_modules/@cloudflare/codemode/dist`;

type JsonSchema = Record<string, unknown>;
export type GenerateTypes = (tools: Record<string, { description?: string; inputSchema: JsonSchema; outputSchema?: JsonSchema }>) => string;

export async function loadCloudflareGenerator(): Promise<GenerateTypes> {
  if (!existsSync(DIST)) {
    process.stderr.write(`installing @cloudflare/codemode@${CODEMODE_VERSION} into ${PREFIX} (bench only)…\n`);
    execFileSync('npm', ['install', '--prefix', PREFIX, '--no-save', '--no-audit', '--no-fund', '--legacy-peer-deps', `@cloudflare/codemode@${CODEMODE_VERSION}`, 'acorn@8'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // The chunk that holds generateTypesFromJsonSchema (exported as `t`) is named by a content hash.
  const chunk = readdirSync(DIST).find((f) => /^json-schema-types-.*\.js$/.test(f));
  if (!chunk) throw new Error(`no json-schema-types chunk in ${DIST}`);
  const module = (await import(pathToFileURL(`${DIST}/${chunk}`).href)) as { t: GenerateTypes };
  return module.t;
}
