// OpenAPI path keys as real documents write them, including a fixed query after `?` or `#`.

/**
 * A path key may carry a fixed query after `?` or `#` (AWS's `/#Action=DescribeInstances`, 5,056 operations in
 * the APIs.guru directory): the part before it is the path, the pairs after it go into the query string.
 */
export function splitPathKey(key: string): { path: string; fixed: Array<[string, string]> } {
  const at = key.search(/[?#]/);
  if (at < 0) return { path: key, fixed: [] };
  const fixed = key
    .slice(at + 1)
    .split(/[&#?]/)
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, eq)), safeDecode(pair.slice(eq + 1))];
    });
  return { path: key.slice(0, at) || '/', fixed };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
