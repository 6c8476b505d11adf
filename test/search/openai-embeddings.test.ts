// The OpenAI-compatible provider against a real HTTP server on 127.0.0.1 that speaks POST /v1/embeddings
// (the shape OpenAI, Ollama, vLLM and LM Studio share), and hybrid search through it.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createOpenAiEmbeddings, openAiOptionsFromEnv } from '../../src/search/openai-embeddings.js';
import { buildSearchIndex, searchToolsAsync } from '../../src/search/search-index.js';
import { tool } from './tool-fixtures.js';

/** Toy embedding: one dimension per topic, so the test knows which tool is nearest. */
const TOPICS = [['money', 'funds', 'payout'], ['weather', 'forecast', 'rain'], ['issue', 'bug', 'ticket']];
const toyVector = (text: string) => TOPICS.map((words) => (words.some((w) => text.toLowerCase().includes(w)) ? 1 : 0.01));

interface Seen {
  auth: string | undefined;
  model: string;
  inputs: number;
}
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;

before(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await read(req)) as { model: string; input: string[] };
    seen.push({ auth: req.headers.authorization, model: body.model, inputs: body.input.length });
    if (req.url !== '/v1/embeddings' || req.method !== 'POST') return void res.writeHead(404).end('not found');
    if (body.model === 'missing-model') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"model not found"}}');
    // Items in reverse order with their `index`: the client must order by index, not by position.
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: toyVector(text) })).reverse();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('embeds in batches, sends the key and the model, and keeps input order', async () => {
  seen.length = 0;
  const provider = createOpenAiEmbeddings({ baseUrl, model: 'nomic-embed-text', apiKey: 'sk-test', batchSize: 2 });
  assert.equal(provider.dimensions, 0, 'unknown until the server answers');
  const vectors = await provider.embed(['money out', 'weather today', 'an issue', '']);
  assert.deepEqual(vectors.map((v) => [...v].map((x) => Math.round(x))), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.equal(provider.dimensions, 3);
  assert.deepEqual(seen, [
    { auth: 'Bearer sk-test', model: 'nomic-embed-text', inputs: 2 },
    { auth: 'Bearer sk-test', model: 'nomic-embed-text', inputs: 2 },
  ]);
  assert.match(provider.id, /^openai:nomic-embed-text@http:\/\/127\.0\.0\.1:\d+\/v1$/);
});

test('a full /embeddings URL is accepted, and no key means no authorization header', async () => {
  seen.length = 0;
  await createOpenAiEmbeddings({ baseUrl: `${baseUrl}/embeddings`, model: 'm' }).embed(['x']);
  assert.deepEqual(seen, [{ auth: undefined, model: 'm', inputs: 1 }]);
});

test("a server's error is reported with its status and body", async () => {
  await assert.rejects(createOpenAiEmbeddings({ baseUrl, model: 'missing-model' }).embed(['x']), /answered 404: .*model not found/);
});

test('settings come from TOOLSHED_EMBEDDINGS_* first, then OPENAI_*', () => {
  assert.deepEqual(openAiOptionsFromEnv({ OPENAI_BASE_URL: 'http://a/v1', OPENAI_API_KEY: 'k1' }), { baseUrl: 'http://a/v1', apiKey: 'k1' });
  assert.deepEqual(
    openAiOptionsFromEnv({ OPENAI_BASE_URL: 'http://a/v1', TOOLSHED_EMBEDDINGS_URL: 'http://b/v1', TOOLSHED_EMBEDDINGS_MODEL: 'bge', TOOLSHED_EMBEDDINGS_KEY: 'k2' }),
    { baseUrl: 'http://b/v1', model: 'bge', apiKey: 'k2' },
  );
});

test('hybrid search through the remote provider finds a tool by meaning, not words', async () => {
  const tools = [
    tool({ name: 'payouts_create', summary: 'Transfer funds to a bank account' }),
    tool({ name: 'forecast_get', summary: 'Weather for a city' }),
    tool({ name: 'issues_create', summary: 'Create an issue' }),
  ];
  const index = await buildSearchIndex(tools, { embeddings: createOpenAiEmbeddings({ baseUrl, model: 'm' }) });
  // No word of the query is in any tool's text (BM25 finds nothing); the vectors carry the meaning.
  assert.deepEqual(await searchToolsAsync(index, 'how much money is left', 3, { mode: 'bm25' }), []);
  const hits = await searchToolsAsync(index, 'how much money is left', 3);
  assert.equal(hits[0]?.entry.name, 'payouts_create');
});

test('when the provider fails at query time, search answers from BM25 and reports why', async () => {
  const tools = [tool({ name: 'issues_create', summary: 'Create an issue' }), tool({ name: 'forecast_get', summary: 'Weather for a city' })];
  const provider = createOpenAiEmbeddings({ baseUrl, model: 'm' });
  const index = await buildSearchIndex(tools, { embeddings: provider });
  const broken = { ...index, embeddings: createOpenAiEmbeddings({ baseUrl, model: 'missing-model' }) };
  const errors: unknown[] = [];
  const hits = await searchToolsAsync(broken, 'create an issue', 3, { onError: (e) => errors.push(e) });
  assert.deepEqual(hits.map((h) => h.entry.name), ['issues_create']);
  assert.equal(errors.length, 1);
});

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
