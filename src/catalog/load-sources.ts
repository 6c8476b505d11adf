// Every configured OpenAPI source, loaded side by side: a source that cannot be loaded is reported (stderr,
// /readyz, describe_tools) and the others are served; two documents that derive the same namespace get
// distinct ones with a warning. `strict` turns any problem (a failed source, a warning) into a start-up error.
import type { OpenApiSourceConfig } from '../config-types.js';
import { CatalogLoadError, ConfigError } from '../errors.js';
import { plainHttpCredentialWarnings } from '../exec/credential-exposure.js';
import type { Logger } from '../log.js';
import type { Catalog, LoadOpenApiOptions } from './load-openapi.js';
import { describeLoad } from './load-report.js';
import { claimUnique, safeNamespace } from './naming.js';

/** What a person (or the model) is told about a source that did not load cleanly. */
export interface CatalogNote {
  source: string;
  namespace?: string;
  /** failed: nothing of it is served; partial: served with warnings (open schemas, skipped operations, renames). */
  state: 'failed' | 'partial';
  message: string;
}

export interface LoadedSources {
  /** Loaded catalogs, each with the config it came from (the same object as in the input). */
  loaded: Array<{ catalog: Catalog; config: OpenApiSourceConfig }>;
  notes: CatalogNote[];
}

/** Warnings printed per catalog on stderr; the full list is `toolshed check`'s job. */
const WARNINGS_LOGGED = 5;

export interface LoadSourcesOptions {
  log: Logger;
  strict?: boolean;
  reserved?: Iterable<string>;
  /** How one document becomes a catalog (default loadOpenApiCatalog; start-up passes the cached loader). */
  load?: (options: LoadOpenApiOptions) => Promise<Catalog>;
  /** Each source as soon as it has loaded (with its catalog) or failed: start-up reports progress from it. */
  onSettled?: (config: OpenApiSourceConfig, catalog?: Catalog) => void;
}

export async function loadOpenApiSources(sources: OpenApiSourceConfig[], options: LoadSourcesOptions): Promise<LoadedSources> {
  const { log } = options;
  // The parser is imported only when no loader is given (start-up passes the cached one, which imports it on a miss).
  const load = options.load ?? (async (o: LoadOpenApiOptions) => (await import('./load-openapi.js')).loadOpenApiCatalog(o));
  const results = await Promise.all(
    sources.map(async (config) => {
      const started = performance.now();
      try {
        const catalog = await load({ source: config.openapi, ...(config.namespace ? { namespace: config.namespace } : {}) });
        log.info({ namespace: catalog.namespace, source: config.openapi, operations: catalog.tools.length, ms: Math.round(performance.now() - started) }, 'catalog loaded');
        for (const warning of plainHttpCredentialWarnings(config, catalog, process.env)) log.warn(warning);
        options.onSettled?.(config, catalog);
        return { config, catalog };
      } catch (e) {
        if (!(e instanceof CatalogLoadError)) log.error({ err: e, source: config.openapi }, 'unexpected error while loading a catalog');
        const message = e instanceof CatalogLoadError ? e.message : `${config.openapi}: ${(e as Error).message}`;
        log.error({ source: config.openapi }, `catalog not loaded: ${message}`);
        options.onSettled?.(config);
        return { config, error: message };
      }
    }),
  );
  const notes: CatalogNote[] = [];
  const loaded: LoadedSources['loaded'] = [];
  const taken = new Set(options.reserved ?? []);
  // Names the user chose come first: a derived name gives way to them, never the other way round.
  const chosen = new Set(sources.flatMap((s) => (s.namespace ? [s.namespace] : [])));
  for (const r of results) {
    if (!('catalog' in r) || !r.catalog) {
      notes.push({ source: r.config.openapi, state: 'failed', message: r.error ?? 'not loaded' });
      continue;
    }
    let catalog = r.catalog;
    const wanted = catalog.namespace;
    if (r.config.namespace && taken.has(wanted)) throw new ConfigError(`two sources are named "${wanted}" (the second is ${r.config.openapi}): give each its own NAME in --openapi NAME=SRC`);
    // A reserved word or a sandbox global would break run_code for every catalog: it gets a safe name.
    const safe = safeNamespace(wanted);
    const unique = r.config.namespace && safe === wanted ? wanted : claimUnique(safe, new Set([...taken, ...chosen]));
    taken.add(unique);
    if (unique !== wanted) {
      const why = safe !== wanted ? `"${wanted}" is a reserved word or a Code Mode global` : `namespace "${wanted}" is already taken`;
      const reason = `${why}: served as "${unique}" (name it with --openapi NAME=${r.config.openapi})`;
      log.warn({ source: r.config.openapi }, reason);
      catalog = renameCatalog(catalog, unique, reason);
    }
    loaded.push({ catalog, config: r.config });
    const warnings = catalog.warnings ?? [];
    if (warnings.length) {
      const line = describeLoad(catalog.namespace, { served: catalog.tools.length, openSchemas: catalog.openSchemas ?? 0, skipped: catalog.skipped ?? 0, warnings });
      notes.push({ source: catalog.source, namespace: catalog.namespace, state: 'partial', message: `${line}; run \`toolshed check ${catalog.source}\` for every warning` });
      log.warn({ source: catalog.source, warnings: warnings.slice(0, WARNINGS_LOGGED).map((w) => `${w.pointer}: ${w.reason}`) }, line);
    }
  }
  if (options.strict && notes.length) {
    throw new ConfigError(`--strict: ${notes.length} catalog problem(s):\n${notes.map((n) => `  ${n.message}`).join('\n')}`);
  }
  return { loaded, notes };
}

function renameCatalog(catalog: Catalog, namespace: string, reason: string): Catalog {
  return {
    ...catalog,
    namespace,
    tools: catalog.tools.map((t) => ({ ...t, namespace, id: `${namespace}.${t.name}` })),
    warnings: [...(catalog.warnings ?? []), { pointer: '#/info/title', reason, effect: 'renamed' }],
  };
}
