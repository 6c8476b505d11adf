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
const GENERIC_TITLE_WORDS = new Set(['api', 'apis', 'rest', 'openapi', 'swagger', 'the', 'service', 'web', 'http', 'spec', 'specification', 'v1', 'v2', 'v3', 'v4', 'version']);

/** `GitHub v3 REST API` → `github`; `Swagger Petstore` → `petstore`; `Star Trek API` → `star_trek`. */
export function namespaceFromTitle(title: string): string {
  const words = toSnakeCase(title.toLowerCase().replace(/'s\b/g, ''))
    .split('_')
    .filter((w) => w && !GENERIC_TITLE_WORDS.has(w) && !/^v?\d+$/.test(w));
  return toIdentifier(words.slice(0, 2).join('_') || 'api');
}

/** Appends _2, _3 … until `name` is not in `taken`; records the result. */
export function claimUnique(name: string, taken: Set<string>): string {
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}_${i}`;
  taken.add(unique);
  return unique;
}
