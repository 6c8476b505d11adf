// Secrets out of text an API (or a program) hands back, in every encoding an API may echo them in: as
// sent, URL-encoded (either hex case, `+` for spaces), as a JSON string body, base64 and base64url (at
// each of the three byte alignments a secret can have inside a larger encoded blob), and hex. Parsed
// JSON is walked too, so `\u0041`-style escapes that decode to the secret are caught after parsing.

export const REDACTED = '[redacted]';
/** Secrets shorter than this are not redacted from text: masking "ab" everywhere would garble responses. */
export const MIN_REDACT_CHARS = 4;
/** A base64 fragment shorter than this could be anything: only longer ones are masked. */
const MIN_BASE64_FRAGMENT = 8;

/** The encoded forms of a set of secrets, longest first (a longer form may contain a shorter one). */
export type SecretForms = readonly string[];

export function secretForms(secrets: readonly string[]): SecretForms {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_REDACT_CHARS) continue;
    const bytes = Buffer.from(secret, 'utf8');
    const url = encodeURIComponent(secret);
    const json = JSON.stringify(secret).slice(1, -1);
    for (const form of [
      secret,
      url,
      url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      url.replace(/%20/g, '+'),
      encodeURI(secret),
      json,
      json.replace(/\//g, '\\/'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      ...base64Fragments(bytes),
    ]) {
      if (form.length >= MIN_REDACT_CHARS) forms.add(form);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The parts of base64(…secret…) that depend on the secret alone, for each alignment of its first byte. */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= MIN_BASE64_FRAGMENT) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

export function redactText(text: string, forms: SecretForms): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/** Every string in a JSON value (keys included) with the secrets' forms masked; a string alone works too. */
export function redactValue<T>(value: T, forms: SecretForms): T {
  if (forms.length === 0) return value;
  return walk(value, forms) as T;
}

function walk(value: unknown, forms: SecretForms): unknown {
  if (typeof value === 'string') return redactText(value, forms);
  if (Array.isArray(value)) return value.map((item) => walk(item, forms));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a "__proto__" key from JSON must stay a plain key, not become a prototype.
      Object.defineProperty(out, redactText(key, forms), { value: walk(item, forms), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
