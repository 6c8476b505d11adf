// What peers ship, run on the same tools so the table compares ranking and nothing else:
// - plain word match: count the query's words found in a tool's name or description (many MCP proxies);
// - field-weighted lexical ranking: Orama's own BM25 over name, summary and description with the name
//   boosted, default English tokenizer and stemming, no synonyms or name matching.
import { create, insertMultiple, search } from '@orama/orama';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { isStopWord, splitWords } from '../../src/search/analyze.js';

/** Tool positions, best first. */
export type Ranker = (query: string, limit: number) => number[] | Promise<number[]>;

export function createWordMatchRanker(tools: readonly ToolEntry[]): Ranker {
  const texts = tools.map((t) => `${t.name} ${t.description || t.summary}`.toLowerCase());
  return (query, limit) => {
    const words = [...new Set(splitWords(query).filter((w) => !isStopWord(w)))];
    const scored: Array<[number, number]> = [];
    texts.forEach((text, i) => {
      const hits = words.filter((w) => text.includes(w)).length;
      if (hits > 0) scored.push([i, hits]);
    });
    return scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([i]) => i);
  };
}

/** Boosts as a typical integration sets them: the name matters most, the summary next. */
const FIELD_BOOSTS = { name: 3, summary: 2, description: 1 };

export async function createFieldWeightedRanker(tools: readonly ToolEntry[]): Promise<Ranker> {
  const db = create({ schema: { name: 'string', summary: 'string', description: 'string' } as const });
  await insertMultiple(
    db,
    tools.map((t, i) => ({ id: String(i), name: splitWords(t.name).join(' '), summary: t.summary, description: t.description })),
  );
  return async (query, limit) => {
    const result = await search(db, { term: query, properties: ['name', 'summary', 'description'], boost: FIELD_BOOSTS, limit });
    return result.hits.map((hit) => Number(hit.id));
  };
}
