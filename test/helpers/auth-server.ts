// A real OAuth 2.1 / OpenID authorization server for tests: oidc-provider with client credentials,
// authorization code + PKCE (its dev login and consent screens, driven over HTTP as a browser would),
// resource indicators issuing JWT access tokens for a resource (opaque ones for one client, checked
// by introspection), and key rotation by swapping in a provider that publishes a new key first.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const SCOPES = ['tools:search', 'tools:call', 'catalog:items'];

export const CLIENTS = {
  /** Machine client: every scope. */
  full: { client_id: 'svc-full', client_secret: 'svc-full-secret-0123456789abcdef' },
  /** Machine client limited to searching. */
  searchOnly: { client_id: 'svc-search', client_secret: 'svc-search-secret-0123456789abcdef' },
  /** Its tokens are opaque (introspected). */
  opaque: { client_id: 'svc-opaque', client_secret: 'svc-opaque-secret-0123456789abcdef' },
  /** toolshed's own client, for introspection. */
  resourceServer: { client_id: 'toolshed-rs', client_secret: 'toolshed-rs-secret-0123456789abcdef' },
  /** A public client (an MCP host app) using authorization code + PKCE. */
  app: { client_id: 'mcp-app', redirect_uri: 'http://127.0.0.1:1/callback' },
};

export interface AuthServer {
  issuer: string;
  /** A client-credentials token from the token endpoint. */
  clientCredentialsToken(client: { client_id: string; client_secret: string }, options: { resource: string; scope?: string }): Promise<string>;
  /** Follows an authorization URL through login and consent, as a user would; returns the code. */
  authorize(authorizationUrl: URL): Promise<string>;
  /** A token signed with the issuer's current key, with these claims (for expiry and issuer cases). */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** Publishes a new signing key (the old one kept for verification), as key rotation does. */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  jwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }, privateKey };
}

export async function startAuthServer(): Promise<AuthServer> {
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys: SigningKey[] = [await newKey('key-1')];

  const build = () => {
    const provider = new Provider(issuer, {
      clients: [
        { ...CLIENTS.full, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: SCOPES.join(' ') },
        { ...CLIENTS.searchOnly, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'tools:search' },
        { ...CLIENTS.opaque, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: SCOPES.join(' ') },
        { ...CLIENTS.resourceServer, grant_types: [], redirect_uris: [], response_types: [] },
        { client_id: CLIENTS.app.client_id, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [CLIENTS.app.redirect_uri], scope: SCOPES.join(' ') },
      ],
      // The newest key signs (oidc-provider signs with the first key of the algorithm).
      jwks: { keys: [...keys].reverse().map((k) => k.jwk) },
      scopes: SCOPES,
      cookies: { keys: ['test-cookie-key-0123456789'] },
      features: {
        devInteractions: { enabled: true },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => undefined as unknown as string,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => ({
            scope: SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: 300,
            accessTokenFormat: client.clientId === CLIENTS.opaque.client_id ? 'opaque' : 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
      pkce: { required: () => true },
    } as never);
    provider.on('server_error', (_ctx: unknown, error: Error) => process.stderr.write(`oidc-provider: ${error.stack}\n`));
    return provider;
  };
  handler = build().callback();

  const basic = (c: { client_id: string; client_secret: string }) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
  return {
    issuer,
    async clientCredentialsToken(client, { resource, scope }) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, ...(scope ? { scope } : {}) }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async authorize(authorizationUrl) {
      // A browser: follows redirects by hand, keeps cookies, submits the login then the consent form.
      const jar = new Map<string, string>();
      const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
        const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        return response;
      };
      let url = authorizationUrl.href;
      for (let step = 0; step < 12; step++) {
        const response = await go(url);
        const location = response.headers.get('location');
        if (location) {
          const next = new URL(location, url);
          if (next.href.startsWith(CLIENTS.app.redirect_uri)) {
            const code = next.searchParams.get('code');
            if (!code) throw new Error(`authorization failed: ${next.search}`);
            return code;
          }
          url = next.href;
          continue;
        }
        const html = await response.text();
        const uid = /\/interaction\/([\w-]+)/.exec(url)?.[1];
        if (!uid) throw new Error(`unexpected page at ${url}: ${html.slice(0, 300)}`);
        const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (/name="login"/.test(html) ? 'login' : 'consent');
        const form: Record<string, string> = prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt };
        const submitted = await go(`${issuer}/interaction/${uid}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
        url = new URL(submitted.headers.get('location')!, issuer).href;
      }
      throw new Error('authorization did not finish');
    },
    async sign(claims) {
      const key = keys[keys.length - 1]!;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid!, typ: 'at+jwt' }).sign(key.privateKey);
    },
    async rotateKey() {
      keys.push(await newKey(`key-${keys.length + 1}`));
      handler = build().callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
