// Specs repeat shapes under new names: GitHub's `nullable-repository` is `repository` plus null,
// copied out in full (~700 tokens), and inline objects often equal a named schema. Emitting a
// repeated object shape as a reference to the one named def keeps "each shape once" true beyond
// what `$ref`s alone say (`type NullableRepository = Repository | null`).

import type { TsType } from './ts-type.js';

/**
 * Fewest properties a shape needs before an equal object is taken to be a copy of that def: small
 * shapes match by coincidence (petstore's `Category` and `Tag` are both `{ id?; name? }`).
 */
export const SHARE_MIN_PROPS = 4;

/** Object shape (structural key) → def names with exactly that type, canonical one first. */
export type ShapeIndex = Map<string, string[]>;

const shapeKey = (t: TsType): string => JSON.stringify(t);

/** When several defs share a shape, shorter names win (`repository` over `nullable-repository`), then code unit order. */
const canonicalOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Indexes the defs whose type is an object with properties (the only shapes worth sharing). */
export function indexShapes(defTypes: ReadonlyMap<string, TsType>): ShapeIndex {
  const index: ShapeIndex = new Map();
  for (const [def, type] of defTypes) {
    if (type.kind !== 'object' || type.props.length < SHARE_MIN_PROPS) continue;
    const key = shapeKey(type);
    const defs = index.get(key);
    if (defs) defs.push(def);
    else index.set(key, [def]);
  }
  for (const defs of index.values()) defs.sort(canonicalOrder);
  return index;
}

/**
 * `t` with every object equal to an indexed def's shape replaced by a reference to it, top-down.
 * `self` is the def `t` is the type of; its whole type is never replaced, so two identical defs stay
 * two declarations (aliasing one to the other would read as if they meant the same thing).
 * `allowed` limits which defs may be referenced.
 */
export function shareShapes(t: TsType, index: ShapeIndex, allowed: (def: string) => boolean, self?: string): TsType {
  const rewrite = (node: TsType, whole: boolean): TsType => {
    if (!whole && node.kind === 'object' && node.props.length >= SHARE_MIN_PROPS) {
      const target = index.get(shapeKey(node))?.find((d) => d !== self && allowed(d));
      if (target !== undefined) return { kind: 'ref', def: target };
    }
    switch (node.kind) {
      case 'union':
      case 'intersection':
        return { ...node, members: node.members.map((m) => rewrite(m, false)) };
      case 'array':
        return { kind: 'array', element: rewrite(node.element, false) };
      case 'tuple': {
        const elements = node.elements.map((e) => rewrite(e, false));
        return node.rest === undefined ? { kind: 'tuple', elements } : { kind: 'tuple', elements, rest: rewrite(node.rest, false) };
      }
      case 'object': {
        const props = node.props.map((p) => ({ ...p, type: rewrite(p.type, false) }));
        return node.index === undefined ? { kind: 'object', props } : { kind: 'object', props, index: rewrite(node.index, false) };
      }
      default:
        return node;
    }
  };
  return rewrite(t, true);
}
