// The named types of one emission: every def the given tools carry, converted once, with repeated
// object shapes shared (share-shapes.ts); then the subset a set of roots reaches, in reading order,
// with alias cycles TypeScript would reject cut.

import type { JsonSchema, ToolEntry } from '../catalog/tool-entry.js';
import { schemaToType } from './schema-to-type.js';
import { indexShapes, shareShapes, type ShapeIndex } from './share-shapes.js';
import { intersection, type TsType, union, UNKNOWN } from './ts-type.js';

export interface DefTypes {
  /** def name → its type, repeated shapes already replaced by references. */
  types: Map<string, TsType>;
  shapes: ShapeIndex;
}

/** Defs carried by `tools`, converted once each: the same def name is the same schema across a catalog. */
export function defTypesOf(tools: readonly ToolEntry[]): DefTypes {
  const schemas = new Map<string, JsonSchema>();
  for (const tool of tools) {
    for (const defs of [tool.input.defs, tool.output?.defs ?? {}]) {
      for (const [name, schema] of Object.entries(defs)) if (!schemas.has(name)) schemas.set(name, schema);
    }
  }
  const raw = new Map([...schemas].map(([name, schema]) => [name, schemaToType(schema, { docs: false })]));
  const shapes = indexShapes(raw);
  const types = new Map([...raw].map(([name, type]) => [name, shareShapes(type, shapes, () => true, name)]));
  return { types, shapes };
}

/**
 * A tool's own input/output type with repeated shapes shared, referring only to the tool's own defs
 * so that its signature line reads the same whatever else is emitted beside it.
 */
export function shareToolShapes(t: TsType, tool: ToolEntry, shapes: ShapeIndex): TsType {
  return shareShapes(t, shapes, (def) => def in tool.input.defs || (tool.output !== undefined && def in tool.output.defs));
}

export function forEachRef(t: TsType, visit: (def: string) => void): void {
  switch (t.kind) {
    case 'atom':
      return;
    case 'ref':
      return visit(t.def);
    case 'union':
    case 'intersection':
      return t.members.forEach((m) => forEachRef(m, visit));
    case 'array':
      return forEachRef(t.element, visit);
    case 'tuple':
      t.elements.forEach((e) => forEachRef(e, visit));
      if (t.rest) forEachRef(t.rest, visit);
      return;
    case 'object':
      t.props.forEach((p) => forEachRef(p.type, visit));
      if (t.index) forEachRef(t.index, visit);
  }
}

/**
 * Defs reachable from `roots`, breadth-first (a type is listed before the details it uses), alias cycles cut.
 * `depth`: how many reference steps from the roots to follow (1: the types the roots name); default all.
 * `levels`, when given, receives each def's step count (1 for a type a root names).
 */
export function reachableDefs(roots: readonly TsType[], defs: DefTypes, depth = Infinity, levels?: Map<string, number>): Map<string, TsType> {
  const found = new Map<string, TsType>();
  const queue: Array<{ def: string; level: number }> = [];
  const enqueuer = (level: number) => (def: string) => {
    const type = defs.types.get(def);
    if (type !== undefined && !found.has(def) && level <= depth) {
      found.set(def, type);
      levels?.set(def, level);
      queue.push({ def, level });
    }
  };
  roots.forEach((r) => forEachRef(r, enqueuer(1)));
  for (let i = 0; i < queue.length; i++) forEachRef(found.get(queue[i]!.def)!, enqueuer(queue[i]!.level + 1));
  breakAliasCycles(found);
  return found;
}

/** Objects with properties are declared as interfaces, which TypeScript resolves lazily. */
export const isInterface = (t: TsType): t is Extract<TsType, { kind: 'object' }> => t.kind === 'object' && t.props.length > 0;

/** Refs a type alias resolves eagerly: through unions and intersections, not into objects or arrays. */
function eagerRefs(t: TsType, visit: (def: string) => void): void {
  if (t.kind === 'ref') visit(t.def);
  else if (t.kind === 'union' || t.kind === 'intersection') t.members.forEach((m) => eagerRefs(m, visit));
}

function replaceEagerRef(t: TsType, def: string): TsType {
  if (t.kind === 'ref') return t.def === def ? UNKNOWN : t;
  if (t.kind === 'union') return union(t.members.map((m) => replaceEagerRef(m, def)));
  if (t.kind === 'intersection') return intersection(t.members.map((m) => replaceEagerRef(m, def)));
  return t;
}

/**
 * `type A = B | null; type B = A & {...}` is an error in TypeScript (an alias circularly
 * references itself). Such cycles are rare in real specs; the back edge becomes `unknown`.
 */
function breakAliasCycles(defTypes: Map<string, TsType>): void {
  const state = new Map<string, 'active' | 'done'>();
  const visit = (def: string): void => {
    state.set(def, 'active');
    const type = defTypes.get(def)!;
    const targets: string[] = [];
    if (!isInterface(type)) eagerRefs(type, (d) => targets.push(d));
    for (const target of targets) {
      if (!defTypes.has(target)) continue;
      if (state.get(target) === 'active') defTypes.set(def, replaceEagerRef(defTypes.get(def)!, target));
      else if (!state.has(target)) visit(target);
    }
    state.set(def, 'done');
  };
  for (const def of defTypes.keys()) if (!state.has(def)) visit(def);
}
