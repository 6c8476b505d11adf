// Internal `$ref` resolution. External references are bundled first by @readme/openapi-parser
// (see load-document.ts); what is left are `#/...` pointers, resolved here lazily so that a
// 13 MB spec is not fully dereferenced (GitHub's deref form is 73 MB) just to serve one tool.

export function decodePointer(pointer: string): string[] {
  if (pointer === '#' || pointer === '') return [];
  if (!pointer.startsWith('#/')) throw new Error(`not an internal JSON pointer: ${pointer}`);
  return pointer
    .slice(2)
    .split('/')
    .map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Escapes one token for use in a JSON pointer: `/repos/{owner}` → `~1repos~1{owner}`. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at `pointer` in `doc`, or undefined when a token does not exist. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const token of decodePointer(pointer)) {
    // Own keys only: a pointer must not reach `constructor` or `__proto__` through the prototype.
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export function isRef(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string';
}
