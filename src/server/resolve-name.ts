// Maps the name a model wrote to a catalog tool: the full id (`github.issues_create`), or the bare
// name when only one namespace has it. A miss suggests the closest ids so the model can retry at once.
import type { ToolEntry } from '../catalog/tool-entry.js';

export interface ToolRegistry {
  byId: Map<string, ToolEntry>;
  byName: Map<string, ToolEntry[]>;
}

export function createRegistry(tools: Iterable<ToolEntry>): ToolRegistry {
  const byId = new Map<string, ToolEntry>();
  const byName = new Map<string, ToolEntry[]>();
  for (const tool of tools) {
    byId.set(tool.id, tool);
    byName.set(tool.name, [...(byName.get(tool.name) ?? []), tool]);
  }
  return { byId, byName };
}

export type Resolution = { entry: ToolEntry } | { error: string };

export function resolveTool(registry: ToolRegistry, name: string): Resolution {
  const entry = registry.byId.get(name);
  if (entry) return { entry };
  const bare = registry.byName.get(name);
  if (bare?.length === 1) return { entry: bare[0]! };
  if (bare && bare.length > 1) return { error: `"${name}" exists in several catalogs: use one of ${bare.map((t) => t.id).join(', ')}` };
  const close = closestIds(registry, name, 3);
  return { error: `unknown tool "${name}".${close.length ? ` Did you mean ${close.join(', ')}?` : ''} Use search_tools to find tool names.` };
}

/** The ids nearest to `name` by edit distance over the bare names (cheap: names are short). */
export function closestIds(registry: ToolRegistry, name: string, count: number): string[] {
  const wanted = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  return [...registry.byId.values()]
    .map((t) => ({ id: t.id, d: editDistance(wanted.toLowerCase(), t.name) }))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, count)
    .filter((c) => c.d <= Math.max(3, wanted.length / 2))
    .map((c) => c.id);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
