// Maps the name a model wrote to a catalog tool: the full id (`github.issues_create`), or the bare
// name when only one namespace has it. A miss suggests the closest ids so the model can retry at once.
import { distance } from 'fastest-levenshtein';
import type { ToolEntry } from '../catalog/tool-entry.js';

/** Longest tool name accepted (`namespace.tool`; MCP caps tool names at 128 characters, operationIds run shorter). */
export const TOOL_NAME_MAX_CHARS = 256;

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

/**
 * The ids nearest to `name` by edit distance over the bare names. The work is bounded whatever was sent:
 * a name longer than any tool's by more than the distance allowed cannot be close and is not compared,
 * and the distance itself is Myers' bit-parallel algorithm (fastest-levenshtein), O(n·m/32).
 */
export function closestIds(registry: ToolRegistry, name: string, count: number): string[] {
  const wanted = (name.includes('.') ? name.slice(name.indexOf('.') + 1) : name).toLowerCase();
  if (wanted.length > TOOL_NAME_MAX_CHARS) return [];
  const allowed = Math.max(3, wanted.length / 2);
  const near: Array<{ id: string; d: number }> = [];
  for (const t of registry.byId.values()) {
    // Edit distance is at least the difference in length: most names are ruled out without computing it.
    if (Math.abs(t.name.length - wanted.length) > allowed) continue;
    const d = distance(wanted, t.name);
    if (d <= allowed) near.push({ id: t.id, d });
  }
  return near
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, count)
    .map((c) => c.id);
}
