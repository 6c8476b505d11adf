// Stable, model-friendly names: tools are snake_case identifiers (they double as function names in
// Code Mode), namespaces are short identifiers derived from the spec's title.

/** `issues/create` → `issues_create`; `getItem` → `get_item`; `list-for-repo` → `list_for_repo`. */
export function toSnakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/** A name for an operation without operationId: `GET /characters/{uid}` → `get_characters_by_uid`. */
export function nameFromRoute(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? `by_${param[1]}` : segment;
    });
  return toIdentifier(toSnakeCase([method, ...words].join('_')));
}

/** An identifier-safe version of a snake_case name (no leading digit). */
export function toIdentifier(name: string): string {
  const cleaned = name || 'tool';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

// Words that say nothing about which API it is; dropped when deriving a namespace from a title.
const FILLER_WORDS = new Set([
  'api', 'apis', 'rest', 'restful', 'openapi', 'swagger', 'the', 'a', 'an', 'of', 'for', 'and', 'to', 'by', 'with', 'service', 'services',
  'web', 'http', 'https', 'spec', 'specification', 'version', 'official', 'public', 'client', 'sdk', 'reference', 'documentation', 'docs',
  'interface', 'endpoint', 'endpoints', 'server', 'odata', 'namespace', 'definition', 'definitions', 'description', 'json', 'yaml', 'v',
]);
/** Host labels that name no API: `api.github.com` is GitHub's, `www.example.com` is example's. */
const GENERIC_HOST_LABELS = new Set(['api', 'apis', 'www', 'rest', 'app', 'apps', 'prod', 'production', 'gateway', 'public', 'services', 'service', 'web', 'com', 'net', 'org', 'io', 'co', 'dev']);
const NAMESPACE_WORDS = 2;

/**
 * Title words, CamelCase split before lowercasing (`SqlManagementClient` → sql, management, client), except
 * a two-part brand (`GitHub`, `PayPal`, `YouTube`) unless one part is filler (`BatchService` → batch).
 */
function titleWords(title: string): string[] {
  return title
    .replace(/['’]s\b/g, '')
    .split(/[^A-Za-z0-9]+/)
    .flatMap((word) => {
      if (FILLER_WORDS.has(word.toLowerCase())) return [];
      const parts = toSnakeCase(word).split('_');
      return parts.length >= 3 || parts.some((p) => FILLER_WORDS.has(p)) ? parts : [word.toLowerCase()];
    })
    .filter((w) => w && !FILLER_WORDS.has(w) && !/^v?\d+$/.test(w));
}

/** `GitHub v3 REST API` → `github`; `Swagger Petstore` → `petstore`; `SqlManagementClient` → `sql_management`. */
export function namespaceFromTitle(title: string): string {
  return toIdentifier(titleWords(title).slice(0, NAMESPACE_WORDS).join('_') || 'api');
}

/**
 * The namespace for a document: from its title, or from its server's host when the title says nothing
 * (`API`, `OData Service for namespace microsoft.graph`): `graph.microsoft.com` → `microsoft_graph`.
 */
export function namespaceFor(title: string, serverUrls: readonly string[] = []): string {
  const says = !/^\s*odata\b/i.test(title) ? titleWords(title) : [];
  if (says.length) return toIdentifier(says.slice(0, NAMESPACE_WORDS).join('_'));
  for (const url of serverUrls) {
    const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url)?.[1];
    if (!host || /^[\d.]+$|^localhost$|^\[/.test(host)) continue;
    const labels = host.toLowerCase().split('.').filter((l) => !l.includes('{') && !GENERIC_HOST_LABELS.has(l));
    // The registrable name first, then the most specific label: graph.microsoft.com → microsoft, graph.
    const [name, ...rest] = labels.reverse();
    if (!name) continue;
    const specific = rest.at(-1);
    return toIdentifier(toSnakeCase(specific ? `${name}_${specific}` : name));
  }
  return 'api';
}

/** Words JS/TS forbid as a declared name (a function or namespace in Code Mode's declarations). */
const RESERVED_WORDS = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with implements interface let package private ' +
    'protected public static yield await arguments eval undefined').split(' '),
);
/** The sandbox's globals: a namespace named like one would replace it (`console`) and break run_code for everyone. */
const SANDBOX_GLOBALS = new Set(
  ('globalThis console isFinite isNaN parseFloat parseInt decodeURI decodeURIComponent encodeURI encodeURIComponent escape unescape ' +
    'Infinity NaN Array ArrayBuffer BigInt Boolean DataView Date Error EvalError Function Intl JSON Map Math Number Object Promise Proxy ' +
    'RangeError ReferenceError Reflect RegExp Set String Symbol SyntaxError TypeError URIError WeakMap WeakSet WeakRef Atomics ' +
    'SharedArrayBuffer Uint8Array Int8Array Uint16Array Int16Array Uint32Array Int32Array Float32Array Float64Array BigInt64Array ' +
    'BigUint64Array Uint8ClampedArray AggregateError FinalizationRegistry Iterator structuredClone queueMicrotask').split(' '),
);

/** A tool name callable in Code Mode: a reserved word gets a trailing `_` (`delete` → `delete_`). */
export function safeToolName(name: string): string {
  return RESERVED_WORDS.has(name) ? `${name}_` : name;
}

/** A namespace that is neither a reserved word nor a sandbox global (`console` → `console_`). */
export function safeNamespace(name: string): string {
  return RESERVED_WORDS.has(name) || SANDBOX_GLOBALS.has(name) || name.startsWith('__') ? `${name}_` : name;
}

/** Appends _2, _3 … until `name` is not in `taken`; records the result. */
export function claimUnique(name: string, taken: Set<string>): string {
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}_${i}`;
  taken.add(unique);
  return unique;
}
