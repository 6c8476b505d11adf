// TypeScript identifiers for a catalog's named types: `$defs` names (often kebab-case, e.g.
// `full-repository`) become PascalCase (`FullRepository`), and a tool's own input/output type, when
// it is too long to inline, is named after the tool (`IssuesCreateInput`). Collisions are resolved
// deterministically over the whole catalog, so plan once per catalog and pass the plan to every
// emit call: a subset planned alone could number a colliding name differently.

import type { ToolEntry } from '../catalog/tool-entry.js';

/** Globals a generated name must not shadow or be mistaken for (the emitter itself uses Promise and Record). */
const RESERVED_TYPE_NAMES = new Set([
  'Array', 'ArrayBuffer', 'Awaited', 'BigInt', 'Blob', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError',
  'Exclude', 'Extract', 'File', 'FormData', 'Function', 'Headers', 'Infinity', 'Intl', 'Iterable', 'Iterator',
  'JSON', 'Map', 'Math', 'NaN', 'NonNullable', 'Number', 'Object', 'Omit', 'Partial', 'Pick', 'Promise',
  'PromiseLike', 'Proxy', 'RangeError', 'Readonly', 'ReadonlyArray', 'Record', 'ReferenceError', 'Reflect',
  'RegExp', 'Request', 'Required', 'Response', 'ReturnType', 'Set', 'String', 'Symbol', 'SyntaxError',
  'TypeError', 'URIError', 'URL', 'WeakMap', 'WeakSet',
]);

/** Words JS/TS forbid as a declared function or namespace name. */
const RESERVED_WORDS = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with implements interface let package private protected public static yield await')
    .split(' '),
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `name` can be declared as-is (`function name`, `namespace name`). */
export function isDeclarableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED_WORDS.has(name);
}

/** `full-repository` → `FullRepository`, `pet.Category` → `PetCategory`, `2fa` → `T2fa`. */
export function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (joined === '') return 'T';
  return /^[0-9]/.test(joined) ? `T${joined}` : joined;
}

/** Identifiers for one namespace: shared defs, and tools' own named input/output types. */
export interface NamespaceTypeNames {
  defs: Map<string, string>;
  /** Keyed `${toolName}:input` / `${toolName}:output`. */
  toolTypes: Map<string, string>;
  taken: Set<string>;
}

/** Per-namespace name plans; plain data, built by `planTypeNames`. */
export type TypeNames = Map<string, NamespaceTypeNames>;

/** Claims `base`, or `base2`, `base3`, ... when taken or reserved. */
function claim(taken: Set<string>, base: string): string {
  let name = RESERVED_TYPE_NAMES.has(base) ? `${base}_` : base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

function namespacePlan(names: TypeNames, namespace: string): NamespaceTypeNames {
  let plan = names.get(namespace);
  if (plan === undefined) {
    plan = { defs: new Map(), toolTypes: new Map(), taken: new Set() };
    names.set(namespace, plan);
  }
  return plan;
}

/**
 * Plans identifiers for every def and tool of `tools`. Defs claim names first, in sorted order of
 * their raw names (so the result does not depend on tool order); tool types claim theirs after.
 */
export function planTypeNames(tools: readonly ToolEntry[], into: TypeNames = new Map()): TypeNames {
  const defsByNamespace = new Map<string, Set<string>>();
  for (const tool of tools) {
    let set = defsByNamespace.get(tool.namespace);
    if (set === undefined) defsByNamespace.set(tool.namespace, (set = new Set()));
    for (const name of Object.keys(tool.input.defs)) set.add(name);
    for (const name of Object.keys(tool.output?.defs ?? {})) set.add(name);
  }
  for (const [namespace, defNames] of defsByNamespace) {
    const plan = namespacePlan(into, namespace);
    for (const defName of [...defNames].sort()) {
      if (!plan.defs.has(defName)) plan.defs.set(defName, claim(plan.taken, pascalCase(defName)));
    }
  }
  for (const tool of [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const plan = namespacePlan(into, tool.namespace);
    for (const role of ['input', 'output'] as const) {
      const key = `${tool.name}:${role}`;
      if (!plan.toolTypes.has(key)) {
        plan.toolTypes.set(key, claim(plan.taken, pascalCase(`${tool.name}_${role}`)));
      }
    }
  }
  return into;
}

/** A copy of `names` extended with whatever `tools` need that it lacks (a cached catalog plan stays untouched). */
export function extendTypeNames(names: TypeNames, tools: readonly ToolEntry[]): TypeNames {
  const covered = tools.every((t) => {
    const plan = names.get(t.namespace);
    const defs = [...Object.keys(t.input.defs), ...Object.keys(t.output?.defs ?? {})];
    return plan !== undefined && plan.toolTypes.has(`${t.name}:input`) && defs.every((d) => plan.defs.has(d));
  });
  if (covered) return names;
  const copy: TypeNames = new Map();
  for (const [ns, plan] of names) {
    copy.set(ns, { defs: new Map(plan.defs), toolTypes: new Map(plan.toolTypes), taken: new Set(plan.taken) });
  }
  return planTypeNames(tools, copy);
}
