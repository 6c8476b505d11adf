// `toolshed check SRC...`: a lint-like report per document: what loads, what is served with open schemas,
// what is skipped and why, the namespace chosen, auth schemes and whether credentials are configured,
// servers, and the request encodings in use. Exit code 1 when a document cannot be loaded (or, with
// --strict, has any warning).
import type { OpenApiSourceConfig } from './config-types.js';
import type { Catalog } from './catalog/load-openapi.js';
import type { HttpBinding } from './catalog/tool-entry.js';
import { CatalogLoadError } from './errors.js';

export const CHECK_USAGE = `toolshed check [SRC...] [--config FILE] [--strict]
  Report per OpenAPI document: operations served, served with open schemas, skipped (with reasons), the
  namespace, auth schemes and whether credentials are configured, servers, request encodings. With no SRC,
  checks the configured catalogs. Exits 1 when a document cannot be loaded (with --strict: on any warning).`;

/** Warnings listed per document; the rest are counted. */
const WARNINGS_SHOWN = 50;

export async function checkCommand(sources: string[], configured: OpenApiSourceConfig[], options: { strict: boolean; write: (text: string) => void }): Promise<number> {
  const targets: OpenApiSourceConfig[] = sources.length ? sources.map((s) => configured.find((c) => c.openapi === s) ?? parseSource(s)) : configured;
  let failed = 0;
  let warned = 0;
  // Imported here: the document parser is no part of the other commands' start.
  const { loadOpenApiCatalog } = await import('./catalog/load-openapi.js');
  for (const target of targets) {
    try {
      const catalog = await loadOpenApiCatalog({ source: target.openapi, ...(target.namespace ? { namespace: target.namespace } : {}) });
      options.write(`${reportOf(catalog, target)}\n`);
      if (catalog.warnings?.length) warned++;
    } catch (e) {
      if (!(e instanceof CatalogLoadError)) throw e;
      failed++;
      options.write(`${target.openapi}\n  error: not loaded: ${e.message}\n\n`);
    }
  }
  options.write(`${targets.length} document(s): ${targets.length - failed} loaded, ${failed} failed, ${warned} with warnings\n`);
  return failed > 0 || (options.strict && warned > 0) ? 1 : 0;
}

function parseSource(value: string): OpenApiSourceConfig {
  const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  return named && !/^[a-z]+:\/\//i.test(value) ? { namespace: named[1]!, openapi: named[2]! } : { openapi: value };
}

export function reportOf(catalog: Catalog, config: OpenApiSourceConfig): string {
  const http = catalog.tools.flatMap((t) => (t.binding.kind === 'http' ? [t.binding] : []));
  const warnings = catalog.warnings ?? [];
  const skippedReasons = warnings.filter((w) => w.effect === 'skipped');
  const lines = [
    catalog.source,
    `  namespace: ${catalog.namespace}${config.namespace ? ' (given)' : ` (from the title "${catalog.title}")`}`,
    `  operations: ${catalog.tools.length} served, ${catalog.openSchemas ?? 0} of them with open schemas, ${catalog.skipped ?? 0} skipped`,
    ...skippedReasons.map((w) => `    skipped ${w.pointer}: ${w.reason}`),
    `  servers: ${[...new Set(http.flatMap((b) => b.servers.map((s) => s.url)))].join(', ') || 'none declared'}${config.server ? ` (overridden: ${config.server})` : ''}`,
    `  auth: ${authLine(catalog, config)}`,
    `  request encodings: ${encodingsLine(http)}`,
  ];
  const rest = warnings.filter((w) => w.effect !== 'skipped');
  if (rest.length) {
    lines.push(`  warnings (${rest.length}):`);
    for (const w of rest.slice(0, WARNINGS_SHOWN)) lines.push(`    [${w.effect}] ${w.pointer}: ${w.reason}`);
    if (rest.length > WARNINGS_SHOWN) lines.push(`    … and ${rest.length - WARNINGS_SHOWN} more`);
  }
  return `${lines.join('\n')}\n`;
}

function authLine(catalog: Catalog, config: OpenApiSourceConfig): string {
  const used = new Set(catalog.tools.flatMap((t) => (t.binding.kind === 'http' ? t.binding.security.flat().map((r) => r.scheme) : [])));
  const credentials = config.credentials ?? {};
  const schemes = Object.entries(catalog.securitySchemes).filter(([name]) => used.has(name));
  if (!schemes.length) return Object.keys(credentials).length ? `none declared; generic credentials configured (${Object.keys(credentials).join(', ')})` : 'none declared';
  return schemes
    .map(([name, s]) => {
      const kind = s.type === 'apiKey' ? `API key in ${s.in} "${s.name}"` : s.type === 'http' ? `HTTP ${s.scheme}` : s.type;
      return `${name} (${kind}): ${credentials[name] ? 'configured' : 'not configured'}`;
    })
    .join('; ');
}

/** Body media types and the serialization styles beyond the defaults, with how many operations use each. */
function encodingsLine(bindings: HttpBinding[]): string {
  const counts = new Map<string, number>();
  const add = (key: string, seen: Set<string>) => {
    if (seen.has(key)) return;
    seen.add(key);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const b of bindings) {
    const seen = new Set<string>();
    if (b.body) add(b.body.contentType.split(';')[0]!, seen);
    for (const e of Object.values(b.body?.encoding ?? {})) if (e.style) add(`body ${e.style}`, seen);
    if (b.body?.files?.length) add('file parts', seen);
    for (const p of b.parameters) {
      const plain = (p.in === 'query' && p.style === 'form') || (p.in !== 'query' && p.style === 'simple') || (p.in === 'cookie' && p.style === 'form');
      if (!plain) add(`${p.in} ${p.style}`, seen);
      if (p.allowReserved) add('query allowReserved', seen);
    }
    if (/[?#]/.test(b.path)) add('fixed query in the path key', seen);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`).join(', ') || 'none (no bodies, default parameter styles)';
}
