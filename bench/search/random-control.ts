// The control from the feasibility notes: the built-in model's vocabulary and SIF weights with random
// word vectors. What it scores comes from weighting and short texts alone; trained vectors must beat it.
import { createWordVectorEmbeddings, readWordVectors, type LocalEmbeddingProvider } from '../../src/search/builtin-embeddings.js';
import type { WordVectors } from '../../src/search/word-vectors.js';

export function createRandomControl(modelPath: string, seed = 1): LocalEmbeddingProvider {
  const { model } = readWordVectors(modelPath);
  const random = mulberry32(seed);
  const vectors = Int8Array.from(model.vectors, () => Math.round(gaussian(random) * 40));
  const control: WordVectors = { ...model, vectors, scales: new Float32Array(model.words.length).fill(1), component: new Float32Array(model.dims) };
  return createWordVectorEmbeddings(control, `control:random@${seed}`);
}

/** A small seeded generator: the control must be the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
