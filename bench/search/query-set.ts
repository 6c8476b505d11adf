// Dev-set queries and how their expected names meet the index: a tool name (`issues_create`), an id
// (`github.issues_create`), an upstream MCP name as the server spells it (`get-weread-rank`), an
// operationId (`addPet`), or a route
// (`POST /repos/{owner}/{repo}/issues`).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { toSnakeCase } from '../../src/catalog/naming.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';

/**
 * `all`: every expected tool is needed (a multi-tool task); recall is the share found.
 * `any`: the expected tools are alternatives; finding one is a full hit.
 */
export type MatchMode = 'all' | 'any';

export interface QuerySpec {
  query: string;
  expected: string[];
  match?: MatchMode;
}

export interface ResolvedQuery {
  query: string;
  match: MatchMode;
  /** One set of tool positions per expected name that exists in the index. */
  relevant: Array<Set<number>>;
  /** Expected names found nowhere in the index. */
  unknown: string[];
}

export function readQueries(file: string): QuerySpec[] {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(json) || !json.every((q) => typeof q?.query === 'string' && Array.isArray(q.expected))) {
    throw new Error(`${file}: expected [{"query": "...", "expected": ["tool name or METHOD /path", ...]}]`);
  }
  return json as QuerySpec[];
}

/**
 * `scope` names the catalog a query set is about (a multi-step set named after its API): its routes and
 * names are looked up there first, so `GET /users` of one API is not credited to another's.
 */
export function resolveQueries(specs: readonly QuerySpec[], tools: readonly ToolEntry[], defaultMatch: MatchMode, scope?: string): ResolvedQuery[] {
  const positions = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const list = positions.get(key) ?? [];
    if (!list.includes(i)) list.push(i);
    positions.set(key, list);
  };
  tools.forEach((t, i) => {
    if (scope !== undefined && t.namespace !== scope) return;
    add(t.name, i);
    add(t.id, i);
    if (t.binding.kind === 'mcp') add(t.binding.upstreamName, i);
    else add(`${t.binding.method.toUpperCase()} ${t.binding.path}`, i);
  });
  return specs.map((spec) => {
    const relevant: Array<Set<number>> = [];
    const unknown: string[] = [];
    for (const name of spec.expected) {
      // An operationId as the spec spells it (`addPet`) names the tool it became (`add_pet`).
      const found = positions.get(name.replace(/^(\w+)\s+\//, (_match, method: string) => `${method.toUpperCase()} /`)) ?? positions.get(toSnakeCase(name));
      if (found) relevant.push(new Set(found));
      else unknown.push(name);
    }
    return { query: spec.query, match: spec.match ?? defaultMatch, relevant, unknown };
  });
}

/** The catalog a query file is about, when one is named like the file (`asana.json` → `asana`). */
export function scopeOf(file: string, tools: readonly ToolEntry[]): string | undefined {
  const name = basename(file).replace(/\.json$/, '');
  return tools.some((t) => t.namespace === name) ? name : undefined;
}
