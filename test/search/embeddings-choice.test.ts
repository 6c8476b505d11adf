import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { resolveEmbeddings, type EmbeddingsProviderName } from '../../src/search/embeddings-choice.js';

test('the built-in model is the default, with a vector cache', () => {
  const { embeddings, vectorStore } = resolveEmbeddings({ cacheDir: '/tmp/toolshed-test-unused' }, {});
  assert.match(embeddings?.id ?? '', /^builtin:/);
  assert.ok(vectorStore);
  assert.equal(resolveEmbeddings({ cacheDir: false }, {}).vectorStore, undefined);
});

test('none means BM25 only; openai reads its URL, model and key from flags, then the environment', () => {
  assert.deepEqual(resolveEmbeddings({ provider: 'none' }, {}), {});
  const env = { TOOLSHED_EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1', TOOLSHED_EMBEDDINGS_MODEL: 'nomic-embed-text' };
  assert.equal(resolveEmbeddings({ provider: 'openai', cacheDir: false }, env).embeddings?.id, 'openai:nomic-embed-text@http://127.0.0.1:11434/v1');
  assert.equal(resolveEmbeddings({ provider: 'openai', url: 'http://127.0.0.1:8000/v1', model: 'bge', cacheDir: false }, env).embeddings?.id, 'openai:bge@http://127.0.0.1:8000/v1');
  assert.throws(() => resolveEmbeddings({ provider: 'word2vec' as EmbeddingsProviderName }, {}), ConfigError);
});
