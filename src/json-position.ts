// Line and column of a path inside a JSON text, for config errors a person can jump to. The `yaml`
// package (already a dependency) parses JSON as YAML 1.2 and keeps every node's source range.
import { isNode, LineCounter, parseDocument } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

/** Where the value at `path` starts (for a missing key: its parent object), or undefined. */
export function jsonPosition(text: string, path: ReadonlyArray<string | number>): Position | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(keyStart(doc, path.slice(0, depth)) ?? node.range[0]);
  }
  return undefined;
}

/** The key's own offset (`"token": …` points at `"token"`), which is where an editor should land. */
function keyStart(doc: ReturnType<typeof parseDocument>, path: ReadonlyArray<string | number>): number | undefined {
  if (path.length === 0) return undefined;
  const parent = doc.getIn(path.slice(0, -1), true) as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | undefined;
  const pair = parent?.items?.find((p) => p.key?.value === path.at(-1));
  return pair?.key?.range?.[0];
}

/** `JSON.parse`'s "… at position 42 (line 3 column 6)" → { line: 3, col: 6 }; from the offset when the engine omits them. */
export function jsonSyntaxPosition(text: string, message: string): Position | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), col: Number(lc[2]) };
  const at = /position (\d+)/.exec(message);
  if (!at) return undefined;
  const before = text.slice(0, Number(at[1]));
  return { line: before.split('\n').length, col: Number(at[1]) - before.lastIndexOf('\n') };
}
