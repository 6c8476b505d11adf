// The precomputed postings are exactly what Orama's own BM25 search gives, term by term, on a real
// catalog (GitHub's 1,223 operations): building them without an Orama database changes no score.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { components, create, insertMultiple } from '@orama/orama';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import { createAnalyzer } from '../../src/search/analyze.js';
import { BM25, buildPostings } from '../../src/search/bm25-postings.js';
import { analyzedDocuments, DEFAULT_FIELD_BOOSTS } from '../../src/search/search-index.js';
import { FIELDS, SCHEMA } from '../../src/search/text-scores.js';

test('every term of GitHub has the postings and scores Orama computes for it', async () => {
  const { tools } = await loadOpenApiCatalog({ source: 'catalogs/github.json.br', namespace: 'github' });
  const { docs } = analyzedDocuments(tools, createAnalyzer());
  const postings = buildPostings(docs, FIELDS, DEFAULT_FIELD_BOOSTS);

  const db = create({ schema: SCHEMA, components: { tokenizer: { language: 'english', normalizationCache: new Map(), tokenize: (raw: string) => raw.split(' ').filter(Boolean) } } });
  await insertMultiple(db, docs.map((doc, i) => ({ id: String(i), ...doc })));
  const vocabulary = new Set(docs.flatMap((doc) => FIELDS.flatMap((f) => doc[f].split(' ').filter(Boolean))));
  assert.ok(vocabulary.size > 1000, `${vocabulary.size} terms`);
  assert.deepEqual(new Set(postings.keys()), vocabulary);
  let compared = 0;
  for (const term of vocabulary) {
    const scored = db.index.search(db.data.index, term, db.tokenizer, undefined, FIELDS, true, 0, DEFAULT_FIELD_BOOSTS, BM25, tools.length, undefined, 1);
    const expected = new Map(scored.map(([internalId, score]) => [Number(components.internalDocumentIDStore.getDocumentIdFromInternalId(db.internalDocumentIDStore, internalId)), Math.fround(score)]));
    const ours = postings.get(term)!;
    const actual = new Map([...ours.docs].map((doc, k) => [doc, ours.scores[k]!]));
    assert.deepEqual(actual, expected, `term "${term}"`);
    compared += expected.size;
  }
  assert.ok(compared > 10_000, `${compared} (term, tool) scores compared`);
});
