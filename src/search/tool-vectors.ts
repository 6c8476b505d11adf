// One vector per tool, computed once per catalog set (or read back from a vector store), and the cosine
// of every tool against a query: a flat scan, which at 100 dims costs ~0.1 ms per thousand tools.
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { normalize } from './sentence-vectors.js';

/** Unit-length rows, `count × dims`. */
export interface ToolVectors {
  readonly dims: number;
  readonly matrix: Float32Array;
}

/** Where tool vectors survive a restart; keyed by provider id + the exact texts embedded. */
export interface VectorStore {
  load(key: string): Promise<Float32Array[] | undefined>;
  save(key: string, vectors: Float32Array[]): Promise<void>;
}

export function vectorKey(providerId: string, texts: readonly string[]): string {
  const hash = createHash('sha256').update(providerId).update('\0');
  for (const text of texts) hash.update(text).update('\0');
  return hash.digest('hex').slice(0, 32);
}

export async function embedTools(texts: readonly string[], provider: EmbeddingProvider, store?: VectorStore): Promise<ToolVectors> {
  const key = store ? vectorKey(provider.id, texts) : '';
  let vectors = store ? await store.load(key) : undefined;
  if (!vectors || vectors.length !== texts.length) {
    try {
      vectors = await provider.embed([...texts]);
    } catch (e) {
      throw new ConfigError(`embedding the catalog with "${provider.id}" failed: ${(e as Error).message}`, { cause: e });
    }
    if (vectors.length !== texts.length) throw new ConfigError(`"${provider.id}" returned ${vectors.length} vectors for ${texts.length} texts`);
    await store?.save(key, vectors);
  }
  const dims = vectors[0]?.length ?? provider.dimensions;
  const matrix = new Float32Array(texts.length * dims);
  vectors.forEach((v, i) => {
    if (v.length !== dims) throw new ConfigError(`"${provider.id}" returned vectors of ${v.length} and ${dims} dimensions`);
    matrix.set(normalize(Float32Array.from(v)), i * dims);
  });
  return { dims, matrix };
}

/** Cosine of each tool with the query (both unit length, so a dot product). */
export function cosineScores(vectors: ToolVectors, query: Float32Array): Float32Array {
  const { dims, matrix } = vectors;
  const q = normalize(Float32Array.from(query));
  const count = matrix.length / dims;
  const scores = new Float32Array(count);
  if (q.length !== dims) return scores;
  for (let i = 0; i < count; i++) {
    let dot = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d++) dot += matrix[base + d]! * q[d]!;
    scores[i] = dot;
  }
  return scores;
}
