// Loads one OpenAPI 3.0/3.1 or Swagger 2.0 document (file or http(s) URL, JSON or YAML, or a bundled
// `.json.br`) and maps it to a Catalog, tolerantly: a part that cannot be used costs that part (an open
// schema, a left-out parameter, a skipped operation), each with a warning naming its JSON pointer; only a
// document with nothing to serve is an error. Internal refs stay refs and are resolved lazily by the mapper,
// which keeps shared schemas named.
import { basename } from 'node:path';
import { CatalogLoadError } from '../errors.js';
import { bundleExternalRefs } from './external-refs.js';
import { LoadReport, type LoadWarning } from './load-report.js';
import { namespaceFor } from './naming.js';
import { mapOperations } from './openapi-operations.js';
import { isUrl, readDocument } from './read-document.js';
import { swagger2ToOpenApi3 } from './swagger2.js';
import type { SecurityScheme, ToolEntry } from './tool-entry.js';

type Obj = Record<string, unknown>;

/** Plain, serializable data (it may be cached between runs). */
export interface Catalog {
  namespace: string;
  title: string;
  /** The file or URL it was loaded from. */
  source: string;
  tools: ToolEntry[];
  securitySchemes: Record<string, SecurityScheme>;
  /** Parts of the document that could not be used as written, and what was done instead (empty when none). */
  warnings?: LoadWarning[];
  /** Operations served with an unresolvable part replaced by an open schema. */
  openSchemas?: number;
  /** Operations not served (each has a warning with effect "skipped" and its reason). */
  skipped?: number;
}

export interface LoadOpenApiOptions {
  source: string;
  /** Defaults to a short identifier derived from the document's title. */
  namespace?: string;
}

export async function loadOpenApiCatalog(options: LoadOpenApiOptions): Promise<Catalog> {
  const { source } = options;
  const report = new LoadReport();
  const raw = await readDocument(source, report);
  const version = checkVersion(raw, source);
  const bundled = await bundleExternalRefs(raw as Obj, source, report);
  const doc = version === '2.0' ? swagger2ToOpenApi3(bundled, report) : bundled;
  const paths = doc.paths as Obj | undefined;
  if (!paths || typeof paths !== 'object' || Object.keys(paths).length === 0) {
    throw new CatalogLoadError(source, '#/paths', 'the document has no paths, so there are no operations to serve');
  }
  const info = (doc.info ?? {}) as Obj;
  const title = typeof info.title === 'string' ? info.title : basename(source);
  const namespace = options.namespace ?? namespaceFor(title, serverUrls(doc));
  const mapped = mapOperations(doc, { namespace, report, ...(isUrl(source) ? { baseUrl: source } : {}) });
  if (mapped.tools.length === 0) {
    const why = mapped.skipped ? `all ${mapped.skipped} operations were skipped (first: ${report.warnings.find((w) => w.effect === 'skipped')?.reason})` : 'the paths declare no operations (get, post, ...)';
    throw new CatalogLoadError(source, '#/paths', why);
  }
  const components = (doc.components ?? {}) as Obj;
  return {
    namespace,
    title,
    source,
    tools: mapped.tools,
    securitySchemes: securitySchemes(components.securitySchemes, report),
    warnings: report.warnings,
    openSchemas: mapped.openSchemas,
    skipped: mapped.skipped,
  };
}

function serverUrls(doc: Obj): string[] {
  return Array.isArray(doc.servers) ? doc.servers.flatMap((s: unknown) => (s && typeof (s as Obj).url === 'string' ? [(s as Obj).url as string] : [])) : [];
}

/** Schemes given by `$ref` or malformed are left out with a warning: an operation needing one then reports it unconfigured. */
function securitySchemes(value: unknown, report: LoadReport): Record<string, SecurityScheme> {
  const out: Record<string, SecurityScheme> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [name, scheme] of Object.entries(value as Obj)) {
    if (scheme && typeof scheme === 'object' && typeof (scheme as Obj).type === 'string') out[name] = scheme as SecurityScheme;
    else report.warn(`#/components/securitySchemes/${name}`, 'not a usable security scheme (no "type"): left out', 'ignored');
  }
  return out;
}

function checkVersion(doc: unknown, source: string): '2.0' | '3.0' | '3.1' {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CatalogLoadError(source, '#', 'not an OpenAPI document (expected a JSON/YAML object)');
  }
  const d = doc as Obj;
  if (d.swagger !== undefined) {
    if (String(d.swagger) === '2.0') return '2.0';
    throw new CatalogLoadError(source, '#/swagger', `unsupported version "${String(d.swagger)}": toolshed reads Swagger 2.0 and OpenAPI 3.0/3.1`);
  }
  const version = typeof d.openapi === 'string' ? d.openapi : undefined;
  if (version?.startsWith('3.0')) return '3.0';
  if (version?.startsWith('3.1')) return '3.1';
  if (version === undefined) throw new CatalogLoadError(source, '#', 'no "openapi" or "swagger" field: not an OpenAPI document');
  throw new CatalogLoadError(source, '#/openapi', `unsupported version "${version}": toolshed reads Swagger 2.0 and OpenAPI 3.0/3.1`);
}
