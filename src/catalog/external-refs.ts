// External `$ref`s (`other.yaml#/Pet`, `https://…`): bundled into the document by
// @apidevtools/json-schema-ref-parser with `continueOnError`, so one missing file costs only the parts
// that point at it (left as they are, and opened with a warning by the mapper) instead of the document.
// `$ref`s inside `x-` extensions are never followed: extensions are vendor notes toolshed does not read,
// and following them made a whole document fail for a file no operation uses (Spotify's policies.yaml).
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { escapeToken } from './json-pointer.js';
import type { LoadReport } from './load-report.js';
import { isUrl, PARSE_TIMEOUT_MS } from './read-document.js';

type Obj = Record<string, unknown>;

/** The document with its external references bundled where they resolve; the input is not changed. */
export async function bundleExternalRefs(doc: Obj, source: string, report: LoadReport): Promise<Obj> {
  const cleaned = withoutExtensionRefs(doc);
  if (!hasExternalRef(cleaned)) return cleaned;
  // A bundled `.json.br` has no folder of its own to resolve against: its refs resolve as unreadable.
  const base = isUrl(source) || !/\.(br|gz)$/.test(source) ? source : `${source}.json`;
  try {
    return (await $RefParser.bundle(base, cleaned, { continueOnError: true, timeoutMs: PARSE_TIMEOUT_MS, mutateInputSchema: false })) as Obj;
  } catch (e) {
    const group = e as { errors?: Array<{ name: string; message: string; path?: Array<string | number> }>; files?: { schema?: unknown } };
    if (!group.errors || !group.files?.schema) {
      report.warn('#', `external $refs could not be bundled (${(e as Error).message}); the parts that use them get open schemas`, 'open_schema');
      return cleaned;
    }
    // Files that cannot be read or parsed are reported here, with the reason only the bundler knows; a
    // pointer that leads nowhere is reported by the mapper, and only where an operation uses it.
    for (const error of group.errors) {
      if (error.name !== 'ResolverError' && error.name !== 'ParserError') continue;
      const pointer = error.path ? `#/${error.path.map((t) => escapeToken(String(t))).join('/')}` : '#';
      report.warn(pointer, `external $ref cannot be resolved: ${error.message.split('\n')[0]}`, 'open_schema');
    }
    return group.files.schema as Obj;
  }
}

/** A copy in which every `x-` value that holds an external `$ref` is dropped (extensions are never followed). */
function withoutExtensionRefs(node: Obj): Obj {
  const onPath = new Set<object>();
  const strip = (value: unknown): unknown => {
    // YAML anchors can make a document cyclic: a cycle is kept as it is rather than walked forever.
    if (value === null || typeof value !== 'object' || onPath.has(value)) return value;
    onPath.add(value);
    let out: unknown;
    if (Array.isArray(value)) out = value.map(strip);
    else {
      const copy: Obj = {};
      for (const [key, child] of Object.entries(value)) {
        if (key.startsWith('x-') && hasExternalRef(child)) continue;
        copy[key] = strip(child);
      }
      out = copy;
    }
    onPath.delete(value);
    return out;
  };
  return hasExternalRef(node) ? (strip(node) as Obj) : node;
}

function hasExternalRef(node: unknown, onPath = new Set<object>()): boolean {
  if (node === null || typeof node !== 'object' || onPath.has(node)) return false;
  onPath.add(node);
  try {
    if (Array.isArray(node)) return node.some((n) => hasExternalRef(n, onPath));
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return true;
      if (hasExternalRef(value, onPath)) return true;
    }
    return false;
  } finally {
    onPath.delete(node);
  }
}
