// fastText's text output (.vec) + the corpus → the shipped model: int8 word vectors, SIF weights from
// corpus frequencies, and the first principal component of corpus sentence vectors.
import { readFileSync } from 'node:fs';
import { sentenceVector } from '../../src/search/sentence-vectors.js';
import { quantizeRows, type WordVectors } from '../../src/search/word-vectors.js';
import type { EnglishSpace } from './chinese-words.js';

export interface ExportOptions {
  /** SIF's a: the paper's 1e-3 range; smaller values push frequent words further down. */
  sifA: number;
  /** Corpus lines used for the principal component; every k-th line is taken so the sample spans all specs. */
  componentSample: number;
  meta: Record<string, unknown>;
  /** More words placed in the trained space (the Chinese dictionary words), with their own SIF weights. */
  extend?: (english: EnglishSpace) => { words: string[]; values: Float32Array; weights: Float32Array };
}

export function exportModel(vecFile: string, lines: readonly string[], options: ExportOptions): Omit<WordVectors, 'rows'> {
  const [header, ...rows] = readFileSync(vecFile, 'utf8').trimEnd().split('\n');
  const dims = Number(header?.split(' ')[1]);
  const words: string[] = [];
  const values: number[] = [];
  for (const row of rows) {
    const parts = row.trimEnd().split(' ');
    const word = parts[0] ?? '';
    // fastText's end-of-line token is not a word anyone types.
    if (word === '</s>' || parts.length !== dims + 1) continue;
    words.push(word);
    for (const v of parts.slice(1)) values.push(Number(v));
  }
  const english = { dims, rows: new Map(words.map((w, i) => [w, i])), values: Float32Array.from(values), weights: sifWeights(words, lines, options.sifA) };
  const extra = options.extend?.(english) ?? { words: [], values: new Float32Array(0), weights: new Float32Array(0) };
  const all = new Float32Array(english.values.length + extra.values.length);
  all.set(english.values);
  all.set(extra.values, english.values.length);
  const { vectors, scales } = quantizeRows(all, dims);
  const weights = new Float32Array(words.length + extra.words.length);
  weights.set(english.weights);
  weights.set(extra.weights, words.length);
  const partial: Omit<WordVectors, 'rows'> = { dims, words: [...words, ...extra.words], vectors, scales, weights, component: new Float32Array(dims), meta: options.meta };
  const component = firstComponent({ ...partial, rows: new Map(partial.words.map((w, i) => [w, i])) }, lines, options.componentSample);
  return { ...partial, component, meta: { ...options.meta, words: words.length, extraWords: extra.words.length, dims, sifA: options.sifA } };
}

/** a / (a + p(w)), p from token counts over the whole corpus. */
function sifWeights(words: readonly string[], lines: readonly string[], a: number): Float32Array {
  const counts = new Map<string, number>();
  let total = 0;
  for (const line of lines) {
    for (const w of line.split(' ')) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      total++;
    }
  }
  return Float32Array.from(words, (w) => a / (a + (counts.get(w) ?? 0) / total));
}

/** Uncentered first principal component (power iteration on XᵀX), as in the SIF paper. */
function firstComponent(model: WordVectors, lines: readonly string[], sample: number): Float32Array {
  const step = Math.max(1, Math.floor(lines.length / sample));
  const xs: Float32Array[] = [];
  for (let i = 0; i < lines.length && xs.length < sample; i += step) {
    const v = sentenceVector(model, lines[i] ?? '');
    if (v.some((x) => x !== 0)) xs.push(v);
  }
  let u = new Float32Array(model.dims).fill(1 / Math.sqrt(model.dims));
  for (let iter = 0; iter < 100; iter++) {
    const next = new Float32Array(model.dims);
    for (const x of xs) {
      let dot = 0;
      for (let d = 0; d < x.length; d++) dot += x[d]! * u[d]!;
      for (let d = 0; d < x.length; d++) next[d]! += dot * x[d]!;
    }
    const norm = Math.hypot(...next);
    for (let d = 0; d < next.length; d++) next[d]! /= norm;
    u = next;
  }
  return u;
}
