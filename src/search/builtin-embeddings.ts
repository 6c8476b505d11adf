// The default embedding provider: word vectors shipped in the package (models/), trained by
// scripts/build-embeddings.ts on the APIs.guru directory. No network, no native code, ~1.5 MB.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmbeddingProvider } from './embedding-provider.js';
import { sentenceVector } from './sentence-vectors.js';
import { decodeWordVectors, type WordVectors } from './word-vectors.js';

/** The model file shipped with the package (src/search and dist/search are both two levels down). */
export const BUILTIN_MODEL_PATH = fileURLToPath(new URL('../../models/api-words.bin', import.meta.url));

/** A provider whose vectors are ready at once: search embeds queries with it without awaiting. */
export interface LocalEmbeddingProvider extends EmbeddingProvider {
  embedSync(texts: string[]): Float32Array[];
}

export interface BuiltinEmbeddingsOptions {
  /** Another model file in the same format (e.g. one rebuilt with different settings). */
  modelPath?: string;
}

/** Loads the shipped model (a few ms); throws if the file is missing or corrupt, which is a packaging bug. */
export function createBuiltinEmbeddings(options: BuiltinEmbeddingsOptions = {}): LocalEmbeddingProvider {
  const { model, digest } = readWordVectors(options.modelPath ?? BUILTIN_MODEL_PATH);
  // The content hash is part of the id, so vectors cached for an older model are never reused.
  return createWordVectorEmbeddings(model, `builtin:api-words@${digest}`);
}

export function readWordVectors(path: string): { model: WordVectors; digest: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`the embedding model ${path} is missing; rebuild it: node --import tsx scripts/build-embeddings.ts`, { cause: e });
  }
  return { model: decodeWordVectors(bytes), digest: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

/** A provider over any word-vector model (the benchmark's random-vector control uses this too). */
export function createWordVectorEmbeddings(model: WordVectors, id: string): LocalEmbeddingProvider {
  const embedSync = (texts: string[]): Float32Array[] => texts.map((text) => sentenceVector(model, text));
  return { id, dimensions: model.dims, embedSync, embed: async (texts) => embedSync(texts) };
}
