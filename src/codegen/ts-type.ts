// A tiny TypeScript type AST: JSON Schema is converted into it, then printed one-line or
// multi-line. Keeping the structure (rather than strings) lets the printer choose the layout by
// width and parenthesize by precedence, and lets cycles be broken by rewriting references.

export type TsType =
  /** A keyword or literal, printed as-is: `string`, `null`, `"open"`, `42`. */
  | { kind: 'atom'; text: string }
  /** A named def, by its raw `$defs` name (resolved to an identifier when printed). */
  | { kind: 'ref'; def: string }
  | { kind: 'union'; members: TsType[] }
  | { kind: 'intersection'; members: TsType[] }
  | { kind: 'array'; element: TsType }
  | { kind: 'tuple'; elements: TsType[]; rest?: TsType }
  /** Properties, plus an index signature for extra keys (`Record<string, T>` when there are no properties). */
  | { kind: 'object'; props: TsProp[]; index?: TsType };

export interface TsProp {
  key: string;
  optional: boolean;
  type: TsType;
  /** One line, already cut; printed as a comment in multi-line layout only. */
  doc?: string;
  /** A link back into the API (its spec example is a URL there): describe_tools shows it one level deeper. */
  link?: true;
}

export const UNKNOWN: TsType = { kind: 'atom', text: 'unknown' };
export const NEVER: TsType = { kind: 'atom', text: 'never' };
export const NULL: TsType = { kind: 'atom', text: 'null' };

const isAtom = (t: TsType, text: string): boolean => t.kind === 'atom' && t.text === text;

/** A structural key for de-duplicating union members. */
function typeKey(t: TsType): string {
  return JSON.stringify(t);
}

/** Flattens, de-duplicates, lets `unknown` absorb and drops `never`; `null` goes last for readability. */
export function union(members: readonly TsType[]): TsType {
  const flat: TsType[] = [];
  const seen = new Set<string>();
  let hasNull = false;
  for (const m of members.flatMap((m) => (m.kind === 'union' ? m.members : [m]))) {
    if (isAtom(m, 'unknown')) return UNKNOWN;
    if (isAtom(m, 'never')) continue;
    if (isAtom(m, 'null')) {
      hasNull = true;
      continue;
    }
    const key = typeKey(m);
    if (!seen.has(key)) {
      seen.add(key);
      flat.push(m);
    }
  }
  if (hasNull) flat.push(NULL);
  if (flat.length === 0) return NEVER;
  return flat.length === 1 ? flat[0]! : { kind: 'union', members: flat };
}

/** Flattens, drops `unknown`, merges plain object members into one, collapses to `never` on `never`. */
export function intersection(members: readonly TsType[]): TsType {
  const flat: TsType[] = [];
  const seen = new Set<string>();
  for (const m of members.flatMap((m) => (m.kind === 'intersection' ? m.members : [m]))) {
    if (isAtom(m, 'never')) return NEVER;
    if (isAtom(m, 'unknown')) continue;
    const key = typeKey(m);
    if (!seen.has(key)) {
      seen.add(key);
      flat.push(m);
    }
  }
  const isPlain = (m: TsType): m is PlainObject => m.kind === 'object' && m.index === undefined;
  const objects = flat.filter(isPlain);
  // The merged object takes the place of the first one, so `Base & { extra }` keeps its reading order.
  const result =
    objects.length > 1
      ? flat.flatMap((m) => (m === objects[0] ? [mergeObjects(objects)] : isPlain(m) ? [] : [m]))
      : flat;
  if (result.length === 0) return UNKNOWN;
  return result.length === 1 ? result[0]! : { kind: 'intersection', members: result };
}

type PlainObject = Extract<TsType, { kind: 'object' }>;

/** `{a: X} & {a?: Y; b: Z}` → `{a: X & Y; b: Z}`: a key is required if any side requires it. */
function mergeObjects(objects: readonly PlainObject[]): TsType {
  const byKey = new Map<string, TsProp>();
  for (const o of objects) {
    for (const p of o.props) {
      const prior = byKey.get(p.key);
      byKey.set(
        p.key,
        prior === undefined
          ? p
          : {
              key: p.key,
              optional: prior.optional && p.optional,
              type: intersection([prior.type, p.type]),
              ...(prior.doc ?? p.doc ? { doc: (prior.doc ?? p.doc)! } : {}),
              ...(prior.link && p.link ? { link: true as const } : {}),
            },
      );
    }
  }
  return { kind: 'object', props: [...byKey.values()] };
}
