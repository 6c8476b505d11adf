// Chinese words for the built-in model, placed in the English vector space through a dictionary: the
// vector of a CC-CEDICT word is the mean of its first senses, each sense the mean of its English gloss
// words as the sentence model weighs them. MCP servers often describe tools in Chinese only (18% of the
// LiveMCPBench tools agents need), and English queries must still find them; a cross-lingual space
// induced from a bilingual dictionary does that with no second model and no network.
import { readFileSync } from 'node:fs';
import { isStopWord } from '../../src/search/analyze.js';
import { words } from './extract-corpus.js';

export interface CedictEntry {
  simplified: string;
  traditional: string;
  english: string[];
}

/** The English side as floats: row-major `values`, SIF `weights`, `rows` by word. */
export interface EnglishSpace {
  dims: number;
  rows: ReadonlyMap<string, number>;
  values: Float32Array;
  weights: Float32Array;
}

export interface ChineseOptions {
  /** Most frequent words kept (jieba's counts); the long tail is names and idioms tool texts rarely use. */
  maxWords: number;
  /** Senses averaged per word: the first ones are the common meanings. */
  maxSenses: number;
}

/** 10,000 words (single characters among them) cover most running text; 20,000 and 40,000 measured no better. */
export const DEFAULT_CHINESE: ChineseOptions = { maxWords: 10_000, maxSenses: 3 };

/** Senses that define nothing: cross-references, surnames, variant notes, measure words. */
const NON_SENSE = /^(surname |variant of|old variant|archaic variant|japanese variant|erhua variant|see |cl:|used in|abbr\. for|also written|also pr\.|pr\.)/i;

/** Word → count from a jieba dictionary (`word count tag` per line). */
export function readJiebaCounts(path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [word, count] = line.split(' ');
    if (word && count) counts.set(word, Math.max(Number(count), counts.get(word) ?? 0));
  }
  return counts;
}

/**
 * Simplified-Chinese words with their vectors (`words.length × dims` values) and SIF weights from
 * jieba's counts (the same a / (a + p(w)) as the English words, so 的 and 了 count for little), most
 * frequent first.
 */
export function chineseWords(
  entries: readonly CedictEntry[],
  counts: ReadonlyMap<string, number>,
  space: EnglishSpace,
  sifA: number,
  options = DEFAULT_CHINESE,
): { words: string[]; values: Float32Array; weights: Float32Array } {
  const senses = new Map<string, string[]>();
  for (const entry of entries) {
    const form = entry.simplified;
    if (!/^\p{Script=Han}+$/u.test(form) || space.rows.has(form)) continue;
    const own = entry.english.filter((sense) => !NON_SENSE.test(sense));
    const known = senses.get(form);
    if (known) known.push(...own);
    else senses.set(form, own);
  }
  const ranked = [...senses.keys()].filter((w) => counts.has(w)).sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
  let total = 0;
  for (const count of counts.values()) total += count;
  const out: string[] = [];
  const values: number[] = [];
  const weights: number[] = [];
  for (const form of ranked) {
    if (out.length >= options.maxWords) break;
    const vector = meanOfSenses(senses.get(form)!, space, options.maxSenses);
    if (!vector) continue;
    out.push(form);
    values.push(...vector);
    weights.push(sifA / (sifA + counts.get(form)! / total));
  }
  return { words: out, values: Float32Array.from(values), weights: Float32Array.from(weights) };
}

/** Mean over the first senses that have known words of each sense's SIF-weighted mean word vector. */
function meanOfSenses(senses: readonly string[], space: EnglishSpace, maxSenses: number): Float32Array | undefined {
  const { dims, rows, values, weights } = space;
  const sum = new Float32Array(dims);
  let used = 0;
  for (const sense of senses) {
    if (used >= maxSenses) break;
    // "(of a search query) to be trending" → be trending: the bracket says when, not what.
    const known = words(sense.replace(/\([^)]*\)/g, ' ')).filter((w) => !isStopWord(w)).flatMap((w) => rows.get(w) ?? []);
    if (known.length === 0) continue;
    const weightSum = known.reduce((sum, row) => sum + weights[row]!, 0);
    for (const row of known) {
      const factor = weights[row]! / weightSum;
      for (let d = 0; d < dims; d++) sum[d]! += factor * values[row * dims + d]!;
    }
    used++;
  }
  if (used === 0) return undefined;
  for (let d = 0; d < dims; d++) sum[d]! /= used;
  return sum;
}
