// Reads one document (file, http(s) URL, or a bundled `.json.br`/`.json.gz`) into a plain object. JSON is
// parsed as JSON; anything else as YAML with the `yaml` package, where a duplicated key is a warning (the
// last value wins, as in JSON.parse) rather than a rejected document: real specs carry such slips.
import { readFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { LineCounter, parseDocument } from 'yaml';
import { CatalogLoadError } from '../errors.js';
import { fetchFailureCause } from './fetch-cause.js';
import type { LoadReport } from './load-report.js';

type Obj = Record<string, unknown>;

export const PARSE_TIMEOUT_MS = 30_000;

export async function readDocument(source: string, report: LoadReport): Promise<unknown> {
  const text = isUrl(source) ? await fetchText(source) : await readText(source);
  return parseText(text, source, report);
}

async function readText(source: string): Promise<string> {
  const bytes = await readFile(source).catch((e: unknown) => {
    throw new CatalogLoadError(source, undefined, `cannot read the file (${(e as Error).message})`, { cause: e });
  });
  if (source.endsWith('.br')) return brotliDecompressSync(bytes).toString('utf8');
  if (source.endsWith('.gz')) return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
}

/**
 * The user named this URL, so it is fetched here without the private-address guard that protects
 * `$ref`s inside untrusted documents: staging servers and local mocks live on such addresses.
 */
async function fetchText(url: string): Promise<string> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(PARSE_TIMEOUT_MS), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
    text = await response.text();
  } catch (e) {
    throw new CatalogLoadError(url, undefined, `cannot fetch the document: ${fetchFailureCause(e)}`, { cause: e });
  }
  if (!response.ok) throw new CatalogLoadError(url, undefined, `cannot fetch the document: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return text;
}

export function parseText(text: string, source: string, report: LoadReport): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(body)) {
    try {
      return JSON.parse(body) as unknown;
    } catch (e) {
      // YAML is a superset of JSON in spirit: a "JSON" file with a trailing comma or a comment may still read as YAML.
      const yaml = tryYaml(body, report);
      if (yaml.ok) return yaml.value;
      throw new CatalogLoadError(source, undefined, `invalid JSON/YAML: ${(e as Error).message}`, { cause: e });
    }
  }
  const yaml = tryYaml(body, report);
  if (yaml.ok) return yaml.value;
  throw new CatalogLoadError(source, undefined, `invalid JSON/YAML: ${yaml.message}`);
}

function tryYaml(text: string, report: LoadReport): { ok: true; value: unknown } | { ok: false; message: string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  if (fatal.length) return { ok: false, message: fatal[0]!.message.split('\n')[0]! };
  for (const e of doc.errors) {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const key = /^[^:\n]*/.exec(text.slice(e.pos[0], e.pos[0] + 200))![0].trim().replace(/^["']|["']$/g, '');
    report.warn(`line ${line}, column ${col}`, `duplicated key "${key}" in a YAML mapping: the last value is used`, 'ignored');
  }
  return { ok: true, value: doc.toJS() as Obj };
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
