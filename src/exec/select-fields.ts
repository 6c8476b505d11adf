// execute_tool's `select`: the fields of a JSON result the model wants, as dot paths
// (`["number", "title", "user.login", "labels.name"]`). Arrays are walked through: a path applies to
// every item of a list it meets, so the same paths select from one issue or from a page of issues.
//
// Why this and not JMESPath: the job is "keep these fields", and a list of paths says exactly that,
// keeps the result's own shape (so it still matches describe_tools' output shape), and names what
// matched nothing in a notice. JMESPath would add a language the model must get right (projections,
// quoting, multi-select hashes that rename keys) for reshaping that run_code already does in plain
// TypeScript. A path list is also what describe_tools can show: the output's field names.

export interface Selected {
  value: unknown;
  /** One line naming paths that matched nothing, and what the result does have; absent when all matched. */
  notice?: string;
}

/** Fields named in a "matched nothing" notice, at most. */
const LISTED_FIELDS_MAX = 30;

interface PathTree {
  /** The path ends here: keep the whole value. */
  whole: boolean;
  children: Map<string, PathTree>;
}

export function selectFields(value: unknown, paths: readonly string[]): Selected {
  if (value === null || typeof value !== 'object') {
    return { value, notice: `[select ignored: the result is ${typeof value === 'string' ? 'text' : String(value)}, not a JSON object or list]` };
  }
  const tree = pathTree(paths);
  const matched = new Set<string>();
  const out = pick(value, tree, '', matched);
  const missed = paths.filter((p) => !matched.has(normalize(p)));
  if (!missed.length) return { value: out };
  const fields = fieldNames(value);
  const listed = fields.slice(0, LISTED_FIELDS_MAX).join(', ') + (fields.length > LISTED_FIELDS_MAX ? ', …' : '');
  return { value: out, notice: `[select: ${missed.map((p) => `"${p}"`).join(', ')} matched nothing; the result's fields: ${listed || '(none)'}]` };
}

/** The paths' syntax problems, for an invalid_arguments error before anything is sent; [] when all are fine. */
export function selectErrors(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (normalize(p).split('.').some((s) => s === '') ? [`"${p}" has an empty field name (write paths like "user.login")`] : []));
}

/** The paths as the walk writes them (`labels[].name` → `labels.name`). */
export function selectPaths(paths: readonly string[]): string[] {
  return paths.map(normalize);
}

function normalize(path: string): string {
  // `labels[].name` and `labels[*].name` are how other path syntaxes write the walk through a list.
  return path.trim().replace(/\[\*?\]/g, '');
}

function pathTree(paths: readonly string[]): PathTree {
  const root: PathTree = { whole: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of normalize(path).split('.')) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { whole: false, children: new Map() }));
      node = child;
    }
    node.whole = true;
  }
  return root;
}

/** `prefix` is the normalized path of `value`; every path that reaches a value is recorded in `matched`. */
function pick(value: unknown, tree: PathTree, prefix: string, matched: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree, prefix, matched));
  if (value === null || typeof value !== 'object') return value;
  const out: Array<[string, unknown]> = [];
  for (const [key, child] of tree.children) {
    if (!Object.hasOwn(value, key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const field = (value as Record<string, unknown>)[key];
    if (child.whole) {
      matched.add(path);
      out.push([key, field]);
    } else {
      // A deeper path through null (an unassigned milestone) still matched: the answer is null.
      if (field === null || typeof field !== 'object') for (const rest of leaves(child, path)) matched.add(rest);
      out.push([key, pick(field, child, path, matched)]);
    }
  }
  // fromEntries defines own properties, so a "__proto__" key in the data stays a plain key.
  return Object.fromEntries(out);
}

function leaves(tree: PathTree, prefix: string): string[] {
  return [...tree.children].flatMap(([key, child]) => {
    const path = `${prefix}.${key}`;
    return [...(child.whole ? [path] : []), ...leaves(child, path)];
  });
}

/** Top-level field names of an object, or of a list's first object item. */
function fieldNames(value: unknown): string[] {
  const sample = Array.isArray(value) ? value.find((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) : value;
  return sample && typeof sample === 'object' ? Object.keys(sample) : [];
}
