// The embedding choices a config file or flag can name, apart from the providers themselves so that reading a
// config does not load a model or the analyzer.

export const EMBEDDINGS_PROVIDERS = ['builtin', 'openai', 'none'] as const;
export type EmbeddingsProviderName = (typeof EMBEDDINGS_PROVIDERS)[number];

export interface EmbeddingsConfig {
  provider?: EmbeddingsProviderName;
  /** openai: base URL up to the version (`http://localhost:11434/v1`); else TOOLSHED_EMBEDDINGS_URL / OPENAI_BASE_URL. */
  url?: string;
  /** openai: model name; else TOOLSHED_EMBEDDINGS_MODEL, else text-embedding-3-small. */
  model?: string;
  /** Where tool vectors are cached; `false` turns the cache off. Default ~/.cache/toolshed/vectors. */
  cacheDir?: string | false;
}
