// Where a catalog's requests may go: its declared servers' origins. Apart from build-request.ts so the
// start-up's credential check can read them without loading the request builder's ajv and qs.
import type { HttpBinding } from '../catalog/tool-entry.js';

/** Origins requests may go to: only the override's when there is one, else every declared server's. */
export function allowedOrigins(binding: HttpBinding, override: string | undefined): Set<string> {
  const urls = override !== undefined ? [override] : binding.servers.map(fillServerVariables);
  const origins = new Set<string>();
  for (const url of urls) if (isAbsoluteHttpUrl(url)) origins.add(new URL(url).origin);
  return origins;
}

/** Server variables are filled from their defaults only: the model never chooses the host. */
export function fillServerVariables(server: HttpBinding['servers'][number]): string {
  return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
}

export function isAbsoluteHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
