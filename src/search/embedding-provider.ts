// The seam for hybrid ranking (BM25 + vectors, a later issue): anything that turns texts into vectors,
// local model or remote API. Only the contract lives here; the index takes one through its options.

export interface EmbeddingProvider {
  /** Stable identifier of the model and its settings, e.g. `openai:text-embedding-3-small`; cached vectors are keyed by it. */
  readonly id: string;
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
