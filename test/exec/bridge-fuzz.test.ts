// Property-based tests (fast-check) over the sandbox bridge and the argument builder: random JSON values,
// prototype-laden objects, huge and deep structures and invalid UTF-16. Whatever the program sends, the
// host survives, what crosses is JSON, and no secret comes back. Seeds are printed on failure to replay.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import type { HttpBinding } from '../../src/catalog/tool-entry.js';
import { buildRequest } from '../../src/exec/build-request.js';
import { createCodeRunner, type CallTool } from '../../src/exec/code-runner.js';
import { REDACTED, redactText, redactValue, secretForms } from '../../src/exec/redact.js';
import { parseArgs } from '../../src/exec/run-bridge.js';
import { param } from './recording-server.js';

const SECRET = `fuzz-secret-${randomUUID()}`;
const DECLARATIONS = `declare namespace demo { function echo(input: Record<string, unknown>): Promise<unknown>; }`;
const NAMESPACES = { demo: ['echo'] };

// Strings with any UTF-16 code unit, lone surrogates included.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: false }),
    fc.integer(),
    anyText,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', 'toJSON', 'then', 'reference', 'copy')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('parseArgs (host side of every call)', () => {
  test('any text: an object or a reason, never a throw; objects are exactly the JSON given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), jsonish.map((v) => JSON.stringify(v) ?? 'undefined')), (text) => {
        const parsed = parseArgs(text);
        if (typeof parsed === 'string') return;
        assert.equal(typeof parsed, 'object');
        assert.ok(!Array.isArray(parsed));
        assert.deepEqual(parsed, JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  test('non-strings never pass', () => {
    fc.assert(fc.property(fc.anything(), (value) => typeof value === 'string' || typeof parseArgs(value) === 'string'));
  });
});

describe('the bridge under random programs', () => {
  const runner = createCodeRunner({ poolSize: 1, cpuMs: 5_000, wallMs: 30_000, maxCalls: 20 });
  after(() => runner.close());
  const received: unknown[] = [];
  const callTool: CallTool = async (_tool, args) => {
    const authorization = `Bearer ${SECRET}`; // the host holds it; the answer never carries it
    received.push(args);
    return { ok: true, value: { args, authorized: authorization.length > 0 } };
  };
  const POLLUTION = [
    `Object.prototype.reference = true;`,
    `Object.prototype.copy = true;`,
    `Object.prototype.promise = true;`,
    `Object.prototype.result = { promise: false, reference: true };`,
    `Object.prototype.toJSON = function () { return { hijacked: true }; };`,
    `Object.prototype.ok = false;`,
    `Object.prototype.value = 'forged';`,
    `Array.prototype[0] = 'forged';`,
    `JSON.parse = () => ({ ok: true, value: 'forged' });`,
    `Object.defineProperty(Object.prototype, 'then', { get() { return undefined; }, configurable: true });`,
  ];

  test('random arguments and prototype pollution: the host gets plain JSON, results are JSON, no secret', async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, fc.subarray(POLLUTION, { maxLength: 3 }), async (args, pollution) => {
        received.length = 0;
        // JSON.stringify escapes lone surrogates, so the literal is valid JS whatever the value.
        const code = `${pollution.join('\n')}\nconst args = ${JSON.stringify(args) ?? 'undefined'};\nreturn await demo.echo(args);`;
        const r = await runner.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, typecheck: false });
        const text = JSON.stringify(r);
        assert.ok(!text.includes(SECRET), 'no secret in the outcome');
        if (r.ok) assert.deepEqual(JSON.parse(JSON.stringify(r.result ?? null)), r.result ?? null, 'the result is JSON');
        else assert.ok(['invalid_arguments', 'runtime_error'].includes(r.failure.code), text.slice(0, 300));
        for (const seen of received) {
          assert.equal(Object.getPrototypeOf(seen), Object.prototype, 'a plain object reached the host');
          assert.deepEqual(JSON.parse(JSON.stringify(seen)), seen);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('huge and deep structures are accepted or refused, never crash the host', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 1_500_000 }), async (depth, size) => {
        const code = `let v = { s: 'x'.repeat(${size}) };\nfor (let i = 0; i < ${depth}; i++) v = { v };\ntry { await demo.echo(v); return 'sent'; } catch (e) { return e.code ?? e.name; }`;
        const r = await runner.run({ code, declarations: DECLARATIONS, namespaces: NAMESPACES, callTool, typecheck: false });
        assert.ok(r.ok, JSON.stringify(r).slice(0, 300));
        assert.ok(['sent', 'invalid_arguments', 'RangeError', 'TypeError'].includes(r.result as string), String(r.result));
      }),
      { numRuns: 15 },
    );
    const healthy = await runner.run({ code: 'return 1', declarations: DECLARATIONS, namespaces: NAMESPACES, callTool });
    assert.ok(healthy.ok && healthy.result === 1);
  });
});

describe('the argument builder', () => {
  const binding: HttpBinding = {
    kind: 'http',
    method: 'POST',
    path: '/items/{id}/{name}',
    servers: [{ url: 'https://api.example.com/v1' }],
    parameters: [
      param('id', 'path', { type: 'integer' }),
      param('name', 'path', { type: 'string' }),
      param('tags', 'query', { type: 'array', items: { type: 'string' } }),
      param('filter', 'query', { type: 'object' }, { style: 'deepObject', explode: true }),
      param('x-trace', 'header', { type: 'string' }),
      param('session', 'cookie', { type: 'string' }),
    ],
    body: { property: 'body', contentType: 'application/json', required: false },
    security: [],
  };
  const args = fc.record(
    { id: jsonish, name: jsonish, tags: jsonish, filter: jsonish, 'x-trace': jsonish, session: jsonish, body: jsonish },
    { requiredKeys: [] },
  );

  test('any argument values: a request to the declared origin or a failure value, never a throw', () => {
    fc.assert(
      fc.property(args, (input) => {
        const built = buildRequest(binding, input as Record<string, unknown>, 'https://api.example.com/v1');
        if (!built.ok) {
          assert.equal(typeof built.failure.message, 'string');
          return;
        }
        const url = new URL(built.value.url);
        assert.equal(url.origin, 'https://api.example.com', built.value.url);
        assert.ok(url.pathname.startsWith('/v1/items/'), built.value.url);
        for (const value of Object.values(built.value.headers)) assert.doesNotMatch(value, /[\r\n]/, 'no header injection');
      }),
      { numRuns: 500 },
    );
  });
});

describe('redaction', () => {
  const secret = fc.string({ minLength: 4, maxLength: 30, unit: 'grapheme' });
  const text = fc.string({ maxLength: 30, unit: 'grapheme' });

  test('every encoding of a secret, anywhere in a text, is masked', () => {
    fc.assert(
      fc.property(secret, text, text, fc.nat(2), (s, before, afterText, pad) => {
        const bytes = Buffer.from(s);
        const encodings = [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
        const forms = secretForms([s]);
        for (const encoded of encodings) {
          const out = redactText(`${before}${encoded}${afterText}`, forms);
          assert.ok(!out.includes(encoded), `${JSON.stringify(encoded)} survived in ${JSON.stringify(out)}`);
        }
        // Inside a larger base64 blob, at any alignment: the bytes of the secret are no longer readable.
        const blob = Buffer.concat([Buffer.alloc(pad, 0x41), bytes, Buffer.from('tail')]).toString('base64');
        const out = redactText(blob, forms);
        if (bytes.length >= 12) assert.ok(out.includes(REDACTED), `blob ${blob} kept: ${out}`);
      }),
      { numRuns: 300 },
    );
  });

  test('JSON values are walked, keys included, and "__proto__" keys stay plain keys', () => {
    fc.assert(
      fc.property(secret, jsonish, (s, value) => {
        const forms = secretForms([s]);
        const wrapped = { [s]: value, list: [s, { inner: `x${s}y` }] };
        const out = redactValue(JSON.parse(JSON.stringify(wrapped)) as unknown, forms);
        assert.ok(!JSON.stringify(out).includes(JSON.stringify(s).slice(1, -1)));
        assert.equal(Object.getPrototypeOf(out), Object.prototype);
      }),
      { numRuns: 300 },
    );
  });
});
