// An OpenAPI catalog read back from the disk cache when its document has not changed: the parser, the
// schema mapping and (for the bundled GitHub document) the Brotli and JSON decoding are all skipped.
// Keyed by the document's bytes, the namespace asked for and the source (tools carry it), so any edit
// misses; stamped with toolshed's version by the cache, so an upgrade misses too. v8's serializer keeps
// the catalog's shared sub-schemas shared (JSON would copy each one into every tool that uses it).
import { readFile } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import { cacheKey, type DiskCache } from '../cache/disk-cache.js';
import type { Catalog, LoadOpenApiOptions } from './load-openapi.js';

const KIND = 'catalog';
/** Bump when the cached shape changes without a version change (a development build). */
const FORMAT = 'catalog-v1';

/** Catalogs' content digests (for keys derived from them, e.g. the search index's); set on every load. */
const digests = new WeakMap<Catalog, string>();

export function digestOf(catalog: Catalog): string | undefined {
  return digests.get(catalog);
}

/** The parser, imported on a miss only: a start from the cache never loads it (~80 ms of imports). */
async function loadOpenApiCatalog(options: LoadOpenApiOptions): Promise<Catalog> {
  return (await import('./load-openapi.js')).loadOpenApiCatalog(options);
}

export async function loadCatalogCached(options: LoadOpenApiOptions, cache: DiskCache, onHit?: () => void): Promise<Catalog> {
  const bytes = cache.dir && !/^https?:\/\//i.test(options.source) ? await readFile(options.source).catch(() => undefined) : undefined;
  if (!bytes) return loadOpenApiCatalog(options); // a URL, no cache, or unreadable (the loader says why)
  const key = cacheKey(FORMAT, bytes, options.namespace ?? '', options.source);
  const hit = await cache.get(KIND, key);
  const cached = hit ? decode(hit) : undefined;
  if (cached) {
    digests.set(cached, key);
    onHit?.();
    return cached;
  }
  const catalog = await loadOpenApiCatalog(options);
  // Documents with references to other files are not cached: their bytes alone do not say what changed.
  if (!hasExternalRef(bytes)) {
    digests.set(catalog, key);
    await cache.put(KIND, key, serialize(catalog));
  }
  return catalog;
}

function decode(bytes: Buffer): Catalog | undefined {
  try {
    const value = deserialize(bytes) as Catalog;
    return value && typeof value.namespace === 'string' && Array.isArray(value.tools) ? value : undefined;
  } catch {
    return undefined; // unreadable: rebuilt and rewritten by the caller
  }
}

/**
 * A `$ref` key whose target is not inside the document (JSON or YAML spelling); compressed files have none
 * we can see. The key must start a key (OData paths such as Graph's `/users/{id}/manager/$ref` do not).
 */
export function hasExternalRef(bytes: Buffer): boolean {
  if (bytes[0] !== 0x7b && bytes[0] !== 0x5b && !isText(bytes)) return false;
  return /(?:^|[\s{,"'])\$ref["']?\s*:\s*["']?(?![#{[])[^\s"',}]/m.test(bytes.toString('utf8'));
}

function isText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 512).includes(0);
}
