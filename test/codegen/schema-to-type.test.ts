import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { docLine } from '../../src/codegen/doc-line.js';
import { printType } from '../../src/codegen/print-type.js';
import { schemaToType } from '../../src/codegen/schema-to-type.js';

/** One-line TS for a schema, with `$defs/x-y` printed as `Ref<x-y>` to show where refs land. */
const ts = (schema: unknown, docs = false) =>
  printType(schemaToType(schema, { docs }), { name: (def) => `Ref<${def}>`, inlineMaxChars: Infinity });

describe('JSON Schema → TypeScript', () => {
  const cases: Array<[string, unknown, string]> = [
    ['string', { type: 'string' }, 'string'],
    ['integer is number', { type: 'integer', format: 'int64' }, 'number'],
    ['binary travels as text', { type: 'string', format: 'binary' }, 'string'],
    ['boolean schema true', true, 'unknown'],
    ['boolean schema false', false, 'never'],
    ['the loader\'s false', { not: {} }, 'never'],
    ['empty schema', {}, 'unknown'],
    ['enum → literal union', { type: 'string', enum: ['open', 'closed', 'all'] }, '"open" | "closed" | "all"'],
    ['mixed enum with null', { enum: [1, 'two', true, null] }, '1 | "two" | true | null'],
    ['const', { const: 'issue' }, '"issue"'],
    ['nullable type array', { type: ['string', 'null'] }, 'string | null'],
    ['OpenAPI 3.0 nullable', { type: 'integer', nullable: true }, 'number | null'],
    ['multi-type', { type: ['string', 'integer'] }, 'string | number'],
    ['null only', { type: 'null' }, 'null'],
    ['ref', { $ref: '#/$defs/simple-user' }, 'Ref<simple-user>'],
    ['ref with description sibling', { $ref: '#/$defs/a', description: 'x' }, 'Ref<a>'],
    ['escaped ref token', { $ref: '#/$defs/a~1b' }, 'Ref<a/b>'],
    ['non-$defs ref is unknown', { $ref: '#/components/schemas/x' }, 'unknown'],
    ['oneOf → union', { oneOf: [{ type: 'string' }, { $ref: '#/$defs/a' }] }, 'string | Ref<a>'],
    ['anyOf with null', { anyOf: [{ $ref: '#/$defs/a' }, { type: 'null' }] }, 'Ref<a> | null'],
    ['bare type beside a composition adds nothing', { type: 'object', allOf: [{ $ref: '#/$defs/a' }] }, 'Ref<a>'],
    ['nullable composition', { type: ['object', 'null'], allOf: [{ $ref: '#/$defs/a' }] }, 'Ref<a> | null'],
    ['formats-only oneOf keeps the type', { type: 'string', oneOf: [{ format: 'date' }, { format: 'date-time' }] }, 'string'],
    ['allOf of ref and object → intersection', { allOf: [{ $ref: '#/$defs/a' }, { type: 'object', properties: { b: { type: 'string' } } }] }, 'Ref<a> & { b?: string }'],
    [
      'allOf of objects → one merged object',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'number' }, a: { type: 'string' } } }] },
      '{ a: string; b?: number }',
    ],
    ['union inside intersection is parenthesized', { allOf: [{ $ref: '#/$defs/a' }, { oneOf: [{ $ref: '#/$defs/b' }, { $ref: '#/$defs/c' }] }] }, 'Ref<a> & (Ref<b> | Ref<c>)'],
    ['array', { type: 'array', items: { type: 'string' } }, 'string[]'],
    ['array of union is parenthesized', { type: 'array', items: { type: ['string', 'null'] } }, '(string | null)[]'],
    ['array without items', { type: 'array' }, 'unknown[]'],
    ['items implies array', { items: { type: 'number' } }, 'number[]'],
    ['tuple (prefixItems)', { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false }, '[string, number]'],
    ['open tuple', { type: 'array', prefixItems: [{ type: 'string' }] }, '[string, ...unknown[]]'],
    ['object: required vs optional', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] }, '{ a: string; b?: number }'],
    ['non-identifier keys are quoted', { type: 'object', properties: { '+1': { type: 'integer' }, 'enterprise-team': { type: 'string' }, $ok: {} } }, '{ "+1"?: number; "enterprise-team"?: string; $ok?: unknown }'],
    ['properties imply object', { properties: { a: { type: 'boolean' } } }, '{ a?: boolean }'],
    ['bare object', { type: 'object' }, 'Record<string, unknown>'],
    ['map', { type: 'object', additionalProperties: { type: 'integer' } }, 'Record<string, number>'],
    ['map of refs uses braces (Record would make recursion circular)', { type: 'object', additionalProperties: { $ref: '#/$defs/a' } }, '{ [key: string]: Ref<a> }'],
    ['closed empty object', { type: 'object', additionalProperties: false }, 'Record<string, never>'],
    ['pattern properties', { type: 'object', patternProperties: { '^x-': { type: 'string' } } }, 'Record<string, string>'],
    ['properties plus extras keep an unknown index', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } }, '{ a?: string; [key: string]: unknown }'],
    ['nullable enum', { type: ['string', 'null'], enum: ['a', null] }, '"a" | null'],
    ['object literal enum values are unknown', { enum: [{ a: 1 }] }, 'unknown'],
    ['unknown absorbs a union', { oneOf: [{ type: 'string' }, {}] }, 'unknown'],
  ];
  for (const [label, schema, expected] of cases) {
    test(label, () => assert.equal(ts(schema), expected));
  }

  test('property docs are one line, only when asked', () => {
    const schema = { type: 'object', properties: { per_page: { type: 'integer', description: 'The number of results per page (max 100). For more information, see "[Using pagination](https://x)."' } } };
    const type = schemaToType(schema, { docs: true });
    assert.equal(type.kind === 'object' && type.props[0]?.doc, 'The number of results per page (max 100)');
    const plain = schemaToType(schema, { docs: false });
    assert.equal(plain.kind === 'object' && plain.props[0]?.doc, undefined);
  });
});

describe('docLine', () => {
  test('first sentence, links to text, no trailing period', () => {
    assert.equal(docLine('See [the docs](https://x.y). More here.'), 'See the docs');
    assert.equal(docLine('Only first paragraph\n\nSecond'), 'Only first paragraph');
    assert.equal(docLine('Use e.g. this value. Then more.'), 'Use e.g. this value');
    assert.equal(docLine('Login for the user. _NOTE: Only users'), 'Login for the user');
  });
  test('capped at a word boundary, comment-safe, empty for non-strings', () => {
    const long = docLine('word '.repeat(60), 40);
    assert.ok(long.length <= 40 && long.endsWith('…'), long);
    assert.equal(docLine('a */ b'), 'a *\\/ b');
    assert.equal(docLine(undefined), '');
  });
});
