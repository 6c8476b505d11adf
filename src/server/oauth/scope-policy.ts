// Which scopes a JSON-RPC body needs: each tools/call needs its meta-tool's scope, and execute_tool
// also the scope of the catalog its target belongs to. Other methods (initialize, tools/list, ping)
// need only a valid token. run_code's calls are checked one by one as they happen (forbiddenCatalogs).
import type { AuthorizeContext } from '../request-auth.js';
import type { OAuthOptions } from './oauth-options.js';

export function requiredScopes(body: unknown, options: Pick<OAuthOptions, 'scopes' | 'catalogScopes'>, context: AuthorizeContext): string[] {
  const needed = new Set<string>();
  // Batches (protocol 2025-03-26) need what each of their messages needs.
  for (const message of Array.isArray(body) ? body : [body]) {
    const params = (message as { method?: unknown; params?: { name?: unknown; arguments?: { name?: unknown } } } | null)?.method === 'tools/call' ? (message as { params?: { name?: unknown; arguments?: { name?: unknown } } }).params : undefined;
    if (!params || typeof params.name !== 'string') continue;
    const scope = options.scopes[params.name];
    if (scope) needed.add(scope);
    const target = params.name === 'execute_tool' ? params.arguments?.name : undefined;
    const namespace = typeof target === 'string' ? context.namespaceOf(target) : undefined;
    const catalogScope = namespace !== undefined ? options.catalogScopes[namespace] : undefined;
    if (catalogScope) needed.add(catalogScope);
  }
  return [...needed];
}

/** The catalogs a token may not call, with the scope each would need: run_code consults it per call. */
export function forbiddenCatalogs(granted: readonly string[], catalogScopes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(catalogScopes).filter(([, scope]) => !granted.includes(scope)));
}

/** The scope a catalog call lacks under `authInfo`, if any (no auth info: stdio or a static token, no limits). */
export function missingCatalogScope(authInfo: { extra?: Record<string, unknown> } | undefined, namespace: string): string | undefined {
  const forbidden = authInfo?.extra?.forbiddenCatalogs as Record<string, string> | undefined;
  return forbidden && Object.hasOwn(forbidden, namespace) ? forbidden[namespace] : undefined;
}
