// Which embedding provider an index gets, from the user's choice (CLI flag or config): the built-in
// model by default, an OpenAI-compatible server, or none (BM25 only). Vectors are cached on disk
// either way, so a restart re-embeds nothing.
import { ConfigError } from '../errors.js';
import { createBuiltinEmbeddings } from './builtin-embeddings.js';
import { createOpenAiEmbeddings, openAiOptionsFromEnv } from './openai-embeddings.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import type { VectorStore } from './tool-vectors.js';
import { createDiskVectorStore } from './vector-cache.js';

import { EMBEDDINGS_PROVIDERS, type EmbeddingsConfig } from './embeddings-config.js';

export { EMBEDDINGS_PROVIDERS, type EmbeddingsConfig, type EmbeddingsProviderName } from './embeddings-config.js';

/** Options for buildSearchIndex: `{}` for none. The API key is read from the environment only. */
export function resolveEmbeddings(
  config: EmbeddingsConfig = {},
  env: NodeJS.ProcessEnv = process.env,
  warn?: (message: string) => void,
): { embeddings?: EmbeddingProvider; vectorStore?: VectorStore } {
  const provider = config.provider ?? 'builtin';
  if (!EMBEDDINGS_PROVIDERS.includes(provider)) {
    throw new ConfigError(`unknown embeddings provider "${String(provider)}": use ${EMBEDDINGS_PROVIDERS.join(', ')}`);
  }
  if (provider === 'none') return {};
  const embeddings =
    provider === 'builtin'
      ? createBuiltinEmbeddings()
      : createOpenAiEmbeddings({ ...openAiOptionsFromEnv(env), ...(config.url ? { baseUrl: config.url } : {}), ...(config.model ? { model: config.model } : {}) });
  if (config.cacheDir === false) return { embeddings };
  return { embeddings, vectorStore: createDiskVectorStore({ ...(config.cacheDir ? { dir: config.cacheDir } : {}), ...(warn ? { warn } : {}) }) };
}
