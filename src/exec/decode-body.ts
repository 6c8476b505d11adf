// Response bodies decoded by what they are, not passed on as whatever bytes came: JSON that parses (or an
// error saying it does not), text, HTML reduced to its words (and flagged where JSON was expected), and
// binary as a one-line notice, never as garbled text. Its own module so that result trimming can call it.
import { redactSecrets } from './credentials.js';
import { redactValue, secretForms } from './redact.js';

export type Decoded =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  /** An HTML page, reduced to readable text. */
  | { kind: 'html'; value: string; title?: string }
  | { kind: 'binary'; value: string }
  /** Declared (or looked) JSON that does not parse: truncated or not JSON at all. */
  | { kind: 'invalid_json'; value: string; error: string };

/** HTML reduced to text is cut here: the words of an error page, not a whole site. */
export const HTML_TEXT_MAX_CHARS = 2_000;

const JSON_TYPE = /^application\/(.+\+)?json$|^[^/]+\/[^;]*\+json$|^text\/json$/;
const TEXT_TYPE = /^(text\/|application\/(xml|javascript|x-www-form-urlencoded|yaml|x-yaml|graphql|x-ndjson)$|[^;]*\+xml$)/;

export function decodeBody(contentType: string, bytes: Uint8Array, secrets: readonly string[]): Decoded {
  if (bytes.byteLength === 0) return { kind: 'empty' };
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const textual = type === '' ? looksLikeText(bytes) : JSON_TYPE.test(type) || TEXT_TYPE.test(type);
  if (!textual) {
    return { kind: 'binary', value: `(binary response: ${bytes.byteLength} bytes of ${type || 'unlabelled data'}; toolshed does not return binary data)` };
  }
  // Redact before parsing: an API that echoes the request must not hand the model a secret.
  const text = redactSecrets(new TextDecoder().decode(bytes), secrets);
  if (type === 'text/html' || type === 'application/xhtml+xml' || (type === '' && /^\s*(<!doctype html|<html)/i.test(text))) return htmlToText(text);
  if (JSON_TYPE.test(type) || (type === '' && /^\s*[[{]/.test(text))) {
    try {
      // Redacted again after parsing: `\u0074oken`-style escapes decode to the secret only now.
      const parsed = JSON.parse(text) as unknown;
      return { kind: 'json', value: secrets.length ? redactValue(parsed, secretForms(secrets)) : parsed };
    } catch (e) {
      return { kind: 'invalid_json', value: text, error: (e as Error).message };
    }
  }
  return { kind: 'text', value: text };
}

/** No NUL bytes and valid UTF-8 in the first 4 KB: text. An unlabelled image or zip fails one of the two. */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.byteLength < bytes.byteLength ? head.subarray(0, lastCharBoundary(head)) : head);
    return true;
  } catch {
    return false;
  }
}

/** Cutting at 4 KB can split a multi-byte character: step back to the start of the last one. */
function lastCharBoundary(bytes: Uint8Array): number {
  let end = bytes.byteLength;
  while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  return end > 0 && bytes[end - 1]! >= 0xc0 ? end - 1 : bytes.byteLength;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', copy: '©', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };

function htmlToText(html: string): Decoded {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = decodeEntities(
    html
      .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(br|\/p|\/div|\/li|\/h\d|\/tr)\b[^>]*>/gi, '\n')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  const cut = text.length > HTML_TEXT_MAX_CHARS ? `${text.slice(0, HTML_TEXT_MAX_CHARS)}…` : text;
  const cleanTitle = title ? decodeEntities(title).replace(/\s+/g, ' ').trim() : undefined;
  return { kind: 'html', value: cut, ...(cleanTitle ? { title: cleanTitle } : {}) };
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}
