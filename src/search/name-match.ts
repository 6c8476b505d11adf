// A query that names a tool ("issues_create", "github.issues_create", "issues/create", "issuesCreate",
// "POST /repos/{owner}/{repo}/issues") should find that tool first whatever its text says. Plain words
// ("create issue") are left to BM25: only an exact name or an identifier-shaped token counts.
import { toSnakeCase } from '../catalog/naming.js';
import type { ToolEntry } from '../catalog/tool-entry.js';

/** 2 = the query names the tool (or its route); 1 = an identifier in the query is part of its name. */
export type NameTier = 0 | 1 | 2;

export interface NameLookup {
  /** Snake-cased name and id → positions in the tools array. */
  readonly byName: ReadonlyMap<string, number[]>;
  /** `METHOD /path` and `/path` (parameters blanked) → positions. */
  readonly byRoute: ReadonlyMap<string, number[]>;
  /** `_name_` per tool, to find identifier fragments on word boundaries. */
  readonly padded: readonly string[];
}

const HTTP_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);

export function createNameLookup(tools: readonly ToolEntry[]): NameLookup {
  const byName = new Map<string, number[]>();
  const byRoute = new Map<string, number[]>();
  const padded: string[] = [];
  tools.forEach((entry, i) => {
    const name = toSnakeCase(entry.name);
    const id = toSnakeCase(entry.id);
    push(byName, name, i);
    if (id !== name) push(byName, id, i);
    padded.push(`_${name}_`);
    if (entry.binding.kind === 'http') {
      const path = routeKey(entry.binding.path);
      push(byRoute, path, i);
      push(byRoute, `${entry.binding.method.toUpperCase()} ${path}`, i);
    }
  });
  return { byName, byRoute, padded };
}

/** Tools the query names, by position, with how strongly; tools not named are absent. */
export function matchNames(lookup: NameLookup, query: string): Map<number, NameTier> {
  const tiers = new Map<number, NameTier>();
  const raise = (i: number, tier: NameTier): void => {
    if (tier > (tiers.get(i) ?? 0)) tiers.set(i, tier);
  };
  const tokens = query.split(/\s+/).map((t) => t.replace(/^[\s"'`([<]+|[\s"'`)\]>,;:!?.]+$/g, '')).filter(Boolean);
  tokens.forEach((token, k) => {
    if (token.startsWith('/')) {
      const method = tokens[k - 1]?.toUpperCase();
      const key = method !== undefined && HTTP_METHODS.has(method) ? `${method} ${routeKey(token)}` : routeKey(token);
      for (const i of lookup.byRoute.get(key) ?? []) raise(i, 2);
      return;
    }
    const key = toSnakeCase(token);
    if (key === '') return;
    for (const i of lookup.byName.get(key) ?? []) raise(i, 2);
    if (!isIdentifierShaped(token)) return;
    // `github.issues_create_comment`: the part after the namespace is what names hold.
    const fragment = `_${toSnakeCase(token.slice(token.indexOf('.') + 1))}_`;
    lookup.padded.forEach((padded, i) => {
      if (padded.includes(fragment)) raise(i, 1);
    });
  });
  return tiers;
}

/**
 * `issues_create`, `issues/create`, `github.issues_create`, `issuesCreate`, but not `issues`, and not
 * hyphenated prose ("pull-request", "self-hosted"), which would lift every name holding those words.
 */
function isIdentifierShaped(token: string): boolean {
  return /[\p{L}\p{N}][_./][\p{L}\p{N}]/u.test(token) || /\p{Ll}\p{Lu}/u.test(token);
}

/** `/repos/{owner}/{repo}/` → `/repos/{}/{}`: parameter names differ between a spec and what users type. */
function routeKey(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '').toLowerCase() || '/';
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}
