// The search index's parts (every term's postings, the producer graph, the tool vectors) as one flat binary entry of the
// disk cache: a start with unchanged catalogs reads them back instead of analysing, scoring and
// embedding every tool. Keyed by the catalogs' digests and everything that shapes the index.
import { deserialize, serialize } from 'node:v8';
import { cacheKey } from '../cache/disk-cache.js';
import type { Postings } from './bm25-postings.js';
import type { ProducerGraph } from './producer-graph.js';
import type { IndexParts } from './search-index.js';

export const INDEX_CACHE_KIND = 'index';
/** Bump when the index's construction changes without a version change (a development build). */
const FORMAT = 'index-v4';

/** `digests` name the catalogs' contents in order; `shape` is the provider id and index options. */
export function indexCacheKey(digests: readonly string[], shape: string): string {
  return cacheKey(FORMAT, shape, ...digests);
}

interface Flat {
  terms: string[];
  /** Term t's postings are docs/scores[offsets[t], offsets[t + 1]). */
  offsets: Uint32Array;
  docs: Int32Array;
  scores: Float32Array;
  producers: ProducerGraph;
  dims: number;
  matrix?: Float32Array;
}

export function encodeIndexParts(parts: IndexParts): Buffer {
  const terms = [...parts.postings.keys()];
  const offsets = new Uint32Array(terms.length + 1);
  terms.forEach((term, t) => (offsets[t + 1] = offsets[t]! + parts.postings.get(term)!.docs.length));
  const docs = new Int32Array(offsets[terms.length]!);
  const scores = new Float32Array(docs.length);
  terms.forEach((term, t) => {
    const p = parts.postings.get(term)!;
    docs.set(p.docs, offsets[t]);
    scores.set(p.scores, offsets[t]);
  });
  const flat: Flat = { terms, offsets, docs, scores, producers: parts.producers, dims: parts.vectors?.dims ?? 0, ...(parts.vectors ? { matrix: parts.vectors.matrix } : {}) };
  return serialize(flat);
}

/** The parts, or undefined when the entry does not fit `toolCount` tools (then the index is rebuilt). */
export function decodeIndexParts(bytes: Buffer, toolCount: number): IndexParts | undefined {
  let flat: Flat;
  try {
    flat = deserialize(bytes) as Flat;
  } catch {
    return undefined;
  }
  const { terms, offsets, docs, scores, producers, dims, matrix } = flat ?? {};
  if (!Array.isArray(terms) || !(offsets instanceof Uint32Array) || !(docs instanceof Int32Array) || !(scores instanceof Float32Array)) return undefined;
  if (!producers || typeof producers.needs !== 'object' || typeof producers.context !== 'object') return undefined;
  if (offsets.length !== terms.length + 1 || offsets[terms.length] !== docs.length || scores.length !== docs.length) return undefined;
  for (const doc of docs) if (doc < 0 || doc >= toolCount) return undefined;
  const postings = new Map<string, Postings>();
  // Views into the decoded arrays: nothing is copied.
  terms.forEach((term, t) => postings.set(term, { docs: docs.subarray(offsets[t], offsets[t + 1]), scores: scores.subarray(offsets[t], offsets[t + 1]) }));
  if (!matrix) return { postings, producers };
  if (!(matrix instanceof Float32Array) || !(dims > 0) || matrix.length !== toolCount * dims) return undefined;
  return { postings, producers, vectors: { dims, matrix } };
}
