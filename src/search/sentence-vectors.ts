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
  for (const word of splitWords(text)) {
    const row = rowOf(model, word);
    if (row === undefined) continue;
    const factor = weights[row]! * scales[row]!;
    const base = row * dims;
    for (let d = 0; d < dims; d++) sum[d]! += factor * vectors[base + d]!;
  }
  return normalize(removeComponent(sum, model.component));
}

/** The word's row, or its singular's: the corpus may hold only one form of a rare plural. */
function rowOf(model: WordVectors, word: string): number | undefined {
  return model.rows.get(word) ?? model.rows.get(singular(word));
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
