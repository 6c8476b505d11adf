// The declarations one program is type-checked against: only the functions it names, with the types
// they reference, so checking a three-line program costs the same on Microsoft Graph (11,422 tools) as on
// petstore. A namespace used other than as `ns.fn` (passed around, indexed, enumerated) gets all of its
// declarations, and a name that is no tool brings its nearest tools, so the checker's "did you mean"
// still works. Never called with type-checking off.
import type { ToolEntry } from '../catalog/tool-entry.js';
import { distance } from 'fastest-levenshtein';
import type { CodegenPlan } from './codegen-plan.js';
import { emitCatalogDeclarations, emitToolDeclarations, TYPECHECK_EMIT } from './declarations.js';

/** Nearest tools declared for a name that is not one, so the checker can suggest them. */
const NEAREST = 3;
/** Distinct tool sets whose declarations are kept: a session tends to re-run similar programs. */
const SUBSET_CACHE_SIZE = 64;

export interface ProgramDeclarationsOptions {
  /** Every tool, grouped by namespace. */
  byNamespace: ReadonlyMap<string, readonly ToolEntry[]>;
  plan(): CodegenPlan;
}

export function createProgramDeclarations(options: ProgramDeclarationsOptions): (code: string) => string {
  const { byNamespace } = options;
  const lookup = new Map<string, Map<string, ToolEntry>>();
  for (const [ns, tools] of byNamespace) lookup.set(ns, new Map(tools.map((t) => [t.name, t])));
  const whole = new Map<string, string>();
  const subsets = new Map<string, string>();
  const names = [...byNamespace.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  // `ns` not preceded by a word character or a dot, optionally followed by `.member` / `?.member`.
  const uses = names.length ? new RegExp(`(?<![\\w$.])(${names.join('|')})(?![\\w$])(?:\\s*\\??\\.\\s*([A-Za-z_$][\\w$]*)(?![\\w$\\\\]))?`, 'g') : undefined;

  function wholeNamespace(ns: string): string {
    let text = whole.get(ns);
    if (text === undefined) whole.set(ns, (text = emitCatalogDeclarations(ns, byNamespace.get(ns) ?? [], { plan: options.plan(), ...TYPECHECK_EMIT })));
    return text;
  }

  return (code) => {
    if (!uses) return '';
    const wholes = new Set<string>();
    const picked = new Map<string, ToolEntry>();
    for (const m of code.matchAll(uses)) {
      const ns = m[1]!;
      const member = m[2];
      const tools = lookup.get(ns)!;
      if (member === undefined) {
        const before = code[m.index - 1];
        const quoted = before !== undefined && `'"\``.includes(before) && code[m.index + ns.length] === before;
        if (!quoted) wholes.add(ns); // the namespace's name in a string is not a use of it
        continue;
      }
      const tool = tools.get(member);
      if (tool) picked.set(tool.id, tool);
      else for (const near of nearest(tools, member)) picked.set(near.id, near);
    }
    const subset = [...picked.values()].filter((t) => !wholes.has(t.namespace)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const key = subset.map((t) => t.id).join(',');
    let partial = subsets.get(key);
    if (partial === undefined) {
      partial = subset.length ? emitToolDeclarations(subset, { plan: options.plan(), ...TYPECHECK_EMIT }) : '';
      if (subsets.size >= SUBSET_CACHE_SIZE) subsets.delete(subsets.keys().next().value!);
      subsets.set(key, partial);
    }
    return [...[...wholes].map(wholeNamespace), partial].filter(Boolean).join('\n');
  };
}

function nearest(tools: ReadonlyMap<string, ToolEntry>, name: string): ToolEntry[] {
  const wanted = name.toLowerCase();
  const scored: Array<{ tool: ToolEntry; d: number }> = [];
  for (const tool of tools.values()) {
    if (Math.abs(tool.name.length - wanted.length) > Math.max(3, wanted.length / 2)) continue; // cannot be near
    scored.push({ tool, d: distance(wanted, tool.name.toLowerCase()) });
  }
  return scored.sort((a, b) => a.d - b.d).slice(0, NEAREST).map((s) => s.tool);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
