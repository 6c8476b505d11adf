// Loads one OpenAPI 3.0/3.1 or Swagger 2.0 document (file or http(s) URL, JSON or YAML, or a bundled
// `.json.br`) and maps it to a Catalog. Parsing, YAML and external `$ref` bundling are done by
// @readme/openapi-parser (maintained by ReadMe, reads all three versions, errors with line and column);
// internal refs stay refs and are resolved lazily by the mapper, which keeps shared schemas named.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bundle, parse } from '@readme/openapi-parser';
import { parse as parseYaml } from 'yaml';
import { CatalogLoadError } from '../errors.js';
import { namespaceFromTitle } from './naming.js';
import { mapOperations } from './openapi-operations.js';
import { swagger2ToOpenApi3 } from './swagger2.js';
import type { SecurityScheme, ToolEntry } from './tool-entry.js';

type Obj = Record<string, unknown>;

export interface Catalog {
  namespace: string;
  title: string;
  /** The file or URL it was loaded from. */
  source: string;
  tools: ToolEntry[];
  securitySchemes: Record<string, SecurityScheme>;
}

export interface LoadOpenApiOptions {
  source: string;
  /** Defaults to a short identifier derived from the document's title. */
  namespace?: string;
}

const PARSE_TIMEOUT_MS = 30_000;

export async function loadOpenApiCatalog(options: LoadOpenApiOptions): Promise<Catalog> {
  const { source } = options;
  const raw = await readDocument(source);
  const version = checkVersion(raw, source);
  const bundled = hasExternalRefs(raw) ? await bundleExternal(source, raw) : raw;
  const doc = version === '2.0' ? swagger2ToOpenApi3(bundled, source) : bundled;
  const paths = doc.paths as Obj | undefined;
  if (!paths || typeof paths !== 'object' || Object.keys(paths).length === 0) {
    throw new CatalogLoadError(source, '#/paths', 'the document has no paths, so there are no operations to serve');
  }
  const info = (doc.info ?? {}) as Obj;
  const title = typeof info.title === 'string' ? info.title : basename(source);
  const namespace = options.namespace ?? namespaceFromTitle(title);
  const tools = mapOperations(doc, { namespace, source, ...(isUrl(source) ? { baseUrl: source } : {}) });
  if (tools.length === 0) throw new CatalogLoadError(source, '#/paths', 'the paths declare no operations (get, post, ...)');
  const components = (doc.components ?? {}) as Obj;
  return { namespace, title, source, tools, securitySchemes: (components.securitySchemes ?? {}) as Record<string, SecurityScheme> };
}

/** Reads and parses without validating: validating GitHub's 13 MB spec costs ~1.5 s and bad parts surface in mapping anyway. */
async function readDocument(source: string): Promise<Obj> {
  let input: string | Obj = source;
  if (isUrl(source)) input = await fetchDocument(source);
  else if (/\.(br|gz)$/.test(source)) {
    const packed = await readFile(source).catch((e: unknown) => {
      throw new CatalogLoadError(source, undefined, `cannot read the file (${(e as Error).message})`, { cause: e });
    });
    const text = (source.endsWith('.br') ? brotliDecompressSync(packed) : gunzipSync(packed)).toString('utf8');
    try {
      input = JSON.parse(text) as Obj;
    } catch (e) {
      throw new CatalogLoadError(source, undefined, `invalid JSON (${(e as Error).message})`, { cause: e });
    }
  }
  if (typeof input !== 'string') return input;
  try {
    // The parser reads the file as JSON or YAML and reports syntax errors with line and column.
    return (await parse(input, { timeoutMs: PARSE_TIMEOUT_MS })) as unknown as Obj;
  } catch (e) {
    const message = (e as Error).message.replace(/\s+$/, '');
    throw new CatalogLoadError(source, undefined, message.startsWith('Error parsing') ? message.replace(/^Error parsing [^:]*: /, 'invalid JSON/YAML: ') : message, { cause: e });
  }
}

/**
 * The user named this URL, so it is fetched here: the parser's own resolver refuses loopback and
 * private addresses (a guard meant for `$ref`s inside untrusted documents), which is where staging
 * servers and local mocks live.
 */
async function fetchDocument(url: string): Promise<Obj> {
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PARSE_TIMEOUT_MS), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    text = await response.text();
  } catch (e) {
    throw new CatalogLoadError(url, undefined, `cannot fetch the document (${(e as Error).message})`, { cause: e });
  }
  try {
    return (/^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text)) as Obj;
  } catch (e) {
    throw new CatalogLoadError(url, undefined, `invalid JSON/YAML: ${(e as Error).message}`, { cause: e });
  }
}

function checkVersion(doc: Obj, source: string): '2.0' | '3.0' | '3.1' {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CatalogLoadError(source, '#', 'not an OpenAPI document (expected a JSON/YAML object)');
  }
  if (doc.swagger !== undefined) {
    if (String(doc.swagger) === '2.0') return '2.0';
    throw new CatalogLoadError(source, '#/swagger', `unsupported version "${String(doc.swagger)}": toolshed reads Swagger 2.0 and OpenAPI 3.0/3.1`);
  }
  const version = typeof doc.openapi === 'string' ? doc.openapi : undefined;
  if (version?.startsWith('3.0')) return '3.0';
  if (version?.startsWith('3.1')) return '3.1';
  if (version === undefined) throw new CatalogLoadError(source, '#', 'no "openapi" or "swagger" field: not an OpenAPI document');
  throw new CatalogLoadError(source, '#/openapi', `unsupported version "${version}": toolshed reads Swagger 2.0 and OpenAPI 3.0/3.1`);
}

function hasExternalRefs(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasExternalRefs);
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return true;
    if (hasExternalRefs(value)) return true;
  }
  return false;
}

async function bundleExternal(source: string, doc: Obj): Promise<Obj> {
  try {
    // Bundling from the path (not the parsed object) lets relative refs resolve against the file.
    return (await bundle(/\.(br|gz)$/.test(source) ? (doc as never) : source, { timeoutMs: PARSE_TIMEOUT_MS })) as unknown as Obj;
  } catch (e) {
    const message = (e as Error).message;
    const pointer = /"(#[^"]*)"/.exec(message)?.[1];
    throw new CatalogLoadError(source, pointer, message, { cause: e });
  }
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
