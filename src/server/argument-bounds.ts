// The size bounds of a meta-tool's input schema (maxLength, maxItems), checked on the raw arguments in
// constant time per value before anything else touches them: ajv counts a string's code points one by
// one and the arguments are cloned before validation, which on a 4 MB argument is hundreds of ms of
// main-thread work. Only what is certainly over a bound is refused here; ajv then checks exactly.
type Schema = Record<string, unknown>;

/** `arguments/query must NOT have more than 4000 characters` (ajv's own wording), or undefined. */
export function oversizedArgument(schema: Schema, value: unknown, path = 'arguments'): string | undefined {
  if (typeof value === 'string' && typeof schema.maxLength === 'number') {
    // A code point is one or two UTF-16 units: past twice the bound, the string is over it whatever it holds.
    if (value.length > 2 * schema.maxLength) return `${path} must NOT have more than ${schema.maxLength} characters`;
    return undefined;
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return `${path} must NOT have more than ${schema.maxItems} items`;
    const items = schema.items as Schema | undefined;
    if (!items) return undefined;
    for (const [i, item] of value.entries()) {
      const over = oversizedArgument(items, item, `${path}/${i}`);
      if (over) return over;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && schema.properties) {
    for (const [name, property] of Object.entries(schema.properties as Record<string, Schema>)) {
      const over = oversizedArgument(property, (value as Record<string, unknown>)[name], `${path}/${name}`);
      if (over) return over;
    }
  }
  return undefined;
}
