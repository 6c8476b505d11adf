// Upstream resource URIs and prompt names under the upstream's namespace, so two upstreams cannot
// collide: `test://static-text` of upstream `everything` is `toolshed://everything/test://static-text`
// (the original URI follows verbatim, so URI templates map by the same prefix), and its prompt
// `simple_prompt` is `everything.simple_prompt`. Namespaces are identifiers: the first `/` or `.` splits.
export const URI_PREFIX = 'toolshed://';

export function namespacedUri(namespace: string, uri: string): string {
  return `${URI_PREFIX}${namespace}/${uri}`;
}

/** The upstream and its own URI; undefined for a URI not in toolshed's form (an upstream's original). */
export function parseNamespacedUri(uri: string): { namespace: string; uri: string } | undefined {
  if (!uri.startsWith(URI_PREFIX)) return undefined;
  const rest = uri.slice(URI_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? { namespace: rest.slice(0, slash), uri: rest.slice(slash + 1) } : undefined;
}

export function namespacedName(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}

export function parseNamespacedName(name: string, namespaces: ReadonlySet<string>): { namespace: string; name: string } | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const namespace = name.slice(0, dot);
  return namespaces.has(namespace) ? { namespace, name: name.slice(dot + 1) } : undefined;
}
