// The build step that places Chinese words in the English space: each word at the mean of its senses'
// gloss vectors, cross-references skipped, the most frequent words kept, SIF weights from the counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chineseWords, type CedictEntry, type EnglishSpace } from '../../scripts/embeddings/chinese-words.js';

// Three English words on the axes of a 3-d space, all with SIF weight 1.
const space: EnglishSpace = {
  dims: 3,
  rows: new Map([
    ['weather', 0],
    ['forecast', 1],
    ['ticket', 2],
  ]),
  values: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
  weights: Float32Array.from([1, 1, 1]),
};

const entries: CedictEntry[] = [
  { simplified: '天气预报', traditional: '天氣預報', english: ['weather forecast'] },
  { simplified: '票', traditional: '票', english: ['surname Weather', 'ticket'] },
  { simplified: '车票', traditional: '車票', english: ['see ticket'] },
  { simplified: '罕见', traditional: '罕見', english: ['ticket'] },
];
const counts = new Map([
  ['天气预报', 50],
  ['票', 900],
  ['车票', 40],
  ['罕见', 10],
]);

test('a word is the mean of its gloss words; a sense that only points elsewhere is skipped', () => {
  const out = chineseWords(entries, counts, space, 1e-3, { maxWords: 10, maxSenses: 3 });
  assert.deepEqual(out.words, ['票', '天气预报', '罕见'], 'most frequent first; 车票 has no sense of its own');
  assert.deepEqual([...out.values.subarray(0, 3)], [0, 0, 1], '票 is "ticket": "surname Weather" is not a meaning');
  assert.deepEqual([...out.values.subarray(3, 6)], [0.5, 0.5, 0], '天气预报 is halfway between weather and forecast');
});

test('frequent words weigh less (SIF from the counts), and only the most frequent are kept', () => {
  const all = chineseWords(entries, counts, space, 1e-3, { maxWords: 10, maxSenses: 3 });
  const weightOf = (word: string) => all.weights[all.words.indexOf(word)]!;
  assert.ok(weightOf('票') < weightOf('天气预报') && weightOf('天气预报') < weightOf('罕见'));
  assert.deepEqual(chineseWords(entries, counts, space, 1e-3, { maxWords: 2, maxSenses: 3 }).words, ['票', '天气预报']);
});
