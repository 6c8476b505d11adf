// A remote provider for any server speaking OpenAI's POST /v1/embeddings (OpenAI, Ollama, vLLM,
// LM Studio, llama.cpp server). Batched, with a timeout per request; errors name the server's answer.
import type { EmbeddingProvider } from './embedding-provider.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_DEFAULT_MODEL = 'text-embedding-3-small';
/** Texts per request: well under every server's limit (OpenAI: 2,048 inputs). */
export const EMBEDDINGS_BATCH_SIZE = 128;
export const EMBEDDINGS_TIMEOUT_MS = 60_000;

export interface OpenAiEmbeddingsOptions {
  /** Up to and including the version, e.g. `http://localhost:11434/v1`; `…/embeddings` is accepted too. */
  baseUrl?: string;
  model?: string;
  /** Sent as a bearer token when given (local servers usually need none). */
  apiKey?: string;
  batchSize?: number;
  timeoutMs?: number;
}

/** Settings from the environment: TOOLSHED_EMBEDDINGS_URL/_MODEL/_KEY, else OPENAI_BASE_URL/OPENAI_API_KEY. */
export function openAiOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenAiEmbeddingsOptions {
  const baseUrl = env.TOOLSHED_EMBEDDINGS_URL || env.OPENAI_BASE_URL;
  const model = env.TOOLSHED_EMBEDDINGS_MODEL;
  const apiKey = env.TOOLSHED_EMBEDDINGS_KEY || env.OPENAI_API_KEY;
  return { ...(baseUrl ? { baseUrl } : {}), ...(model ? { model } : {}), ...(apiKey ? { apiKey } : {}) };
}

export function createOpenAiEmbeddings(options: OpenAiEmbeddingsOptions = {}): EmbeddingProvider {
  const base = (options.baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, '');
  const url = base.endsWith('/embeddings') ? base : `${base}/embeddings`;
  const model = options.model ?? OPENAI_DEFAULT_MODEL;
  const batchSize = options.batchSize ?? EMBEDDINGS_BATCH_SIZE;
  const timeoutMs = options.timeoutMs ?? EMBEDDINGS_TIMEOUT_MS;
  let dimensions = 0;
  const request = async (input: string[]): Promise<Float32Array[]> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      body: JSON.stringify({ model, input, encoding_format: 'float' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
    const data = (JSON.parse(text) as { data?: Array<{ index?: number; embedding?: unknown }> }).data;
    if (!Array.isArray(data) || data.length !== input.length) throw new Error(`${url} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} inputs`);
    // The spec gives each item its input index; order by it rather than trusting array order.
    const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map(({ embedding }) => {
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number')) throw new Error(`${url} returned an embedding that is not a list of numbers`);
      return Float32Array.from(embedding as number[]);
    });
  };
  return {
    id: `openai:${model}@${base.replace(/\/embeddings$/, '')}`,
    /** Known after the first answer (models differ and some servers truncate on request). */
    get dimensions() {
      return dimensions;
    },
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        // Empty strings are rejected by some servers; a space embeds as "nothing".
        out.push(...(await request(texts.slice(i, i + batchSize).map((t) => t || ' '))));
      }
      dimensions = out[0]?.length ?? dimensions;
      return out;
    },
  };
}
