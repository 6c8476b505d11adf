// What the emitters derive from a whole catalog, computed once and reused by every emit call:
// type names (collisions numbered over the catalog) and the converted defs (shapes shared over the
// catalog). Emitting a subset with the catalog's plan prints each block exactly as the full
// declarations do, so describe_tools output and the sandbox's type-check agree.

import type { ToolEntry } from '../catalog/tool-entry.js';
import { defTypesOf, type DefTypes } from './def-types.js';
import { extendTypeNames, type NamespaceTypeNames, planTypeNames, type TypeNames } from './type-names.js';

/** Plain data; build with `planCodegen(catalog.tools)` and keep it beside the catalog. */
export interface CodegenPlan {
  names: TypeNames;
  /** namespace → its converted defs */
  defs: Map<string, DefTypes>;
}

export function planCodegen(tools: readonly ToolEntry[]): CodegenPlan {
  const byNamespace = new Map<string, ToolEntry[]>();
  for (const tool of tools) {
    const group = byNamespace.get(tool.namespace);
    if (group) group.push(tool);
    else byNamespace.set(tool.namespace, [tool]);
  }
  return {
    names: planTypeNames(tools),
    defs: new Map([...byNamespace].map(([ns, group]) => [ns, defTypesOf(group)])),
  };
}

/** Names and defs for emitting `tools` of `namespace`: the plan's when it covers them, else derived from `tools` alone. */
export function resolvePlan(
  plan: CodegenPlan | undefined,
  namespace: string,
  tools: readonly ToolEntry[],
): { names: NamespaceTypeNames; defs: DefTypes } {
  const names = (plan ? extendTypeNames(plan.names, tools) : planTypeNames(tools)).get(namespace) ?? {
    defs: new Map(),
    toolTypes: new Map(),
    taken: new Set<string>(),
  };
  const planned = plan?.defs.get(namespace);
  const covered =
    planned !== undefined &&
    tools.every((t) => [t.input.defs, t.output?.defs ?? {}].every((defs) => Object.keys(defs).every((d) => planned.types.has(d))));
  return { names, defs: covered ? planned : defTypesOf(tools) };
}
