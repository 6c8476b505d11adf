// Sentence vectors from word vectors, the SIF way (Arora et al. 2017, "A simple but tough-to-beat
// baseline for sentence embeddings"): a weighted average where frequent words count for little, minus
// the component every sentence shares. Cheap (~µs per text), deterministic, and needs no network.
import { splitWords } from './analyze.js';
import { singular } from './synonyms.js';
import type { WordVectors } from './word-vectors.js';

/** Unit-length SIF vector of `text`; all zeros when no word of it is known. */
export function sentenceVector(model: WordVectors, text: string): Float32Array {
  const { dims, vectors, scales, weights } = model;
  const sum = new Float32Array(dims);
  for (const row of textRows(model, text)) {
    const factor = weights[row]! * scales[row]!;
    const base = row * dims;
    for (let d = 0; d < dims; d++) sum[d]! += factor * vectors[base + d]!;
  }
  return normalize(removeComponent(sum, model.component));
}

/** Rows of the known words of `text`, in order; Chinese runs are segmented against the vocabulary. */
function* textRows(model: WordVectors, text: string): Generator<number> {
  for (const word of splitWords(text)) {
    const row = model.rows.get(word) ?? model.rows.get(singular(word));
    if (row !== undefined) yield row;
    else if (HAN.test(word)) yield* hanRows(model, word);
  }
}

const HAN = /\p{Script=Han}/u;
/** Longest Chinese word tried by the segmenter (CC-CEDICT's common words are 1–4 characters). */
const MAX_HAN_WORD = 4;

/**
 * Chinese has no spaces: a run like 获取微信读书排行榜 is cut greedily into the longest words the model
 * knows (forward maximum matching), which is how dictionary segmenters start and is enough to find the
 * meaning-bearing words of a short tool description. Characters of no known word are skipped.
 */
function* hanRows(model: WordVectors, word: string): Generator<number> {
  const chars = Array.from(word);
  for (let at = 0; at < chars.length; ) {
    let step = 1;
    for (let len = Math.min(MAX_HAN_WORD, chars.length - at); len >= 1; len--) {
      const row = model.rows.get(chars.slice(at, at + len).join(''));
      if (row === undefined) continue;
      yield row;
      step = len;
      break;
    }
    at += step;
  }
}

export function removeComponent(vector: Float32Array, component: Float32Array): Float32Array {
  let dot = 0;
  for (let d = 0; d < vector.length; d++) dot += vector[d]! * component[d]!;
  for (let d = 0; d < vector.length; d++) vector[d]! -= dot * component[d]!;
  return vector;
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm === 0) return vector;
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < vector.length; d++) vector[d]! *= inv;
  return vector;
}
