// The shape of toolshed.config.json and of the CLI flags once merged. Secrets never appear here:
// credentials name the environment variables that hold them, read on the host at request time.
import type { ResponseProfile } from './exec/lean-response.js';

/** How to fill one security scheme of a catalog (keyed by the scheme's name in the spec). */
export interface CredentialConfig {
  /** Env var holding the token / API key / password. */
  env?: string;
  /** For basic auth: env vars holding the user name and password. */
  usernameEnv?: string;
  passwordEnv?: string;
  /**
   * Only for catalogs that declare no security schemes (GitHub's REST description is one):
   * how to send the secret on every request.
   */
  type?: 'bearer' | 'basic' | 'apiKey';
  in?: 'header' | 'query' | 'cookie';
  name?: string;
}

export interface ExecLimits {
  /** Per-request timeout for outbound HTTP. */
  timeoutMs: number;
  /** Above this (estimated) token count a response is cut, with a notice. */
  maxResponseTokens: number;
}

export const DEFAULT_EXEC_LIMITS: ExecLimits = {
  timeoutMs: 30_000,
  // ~16k tokens: a big page of results still fits, a 2 MB dump does not.
  maxResponseTokens: 16_000,
};

export interface OpenApiSourceConfig {
  namespace?: string;
  /** A file path or http(s) URL of an OpenAPI 3.x / Swagger 2.0 document (JSON or YAML). */
  openapi: string;
  /** Overrides the spec's servers; outbound requests then go only here. */
  server?: string;
  credentials?: Record<string, CredentialConfig>;
  limits?: Partial<ExecLimits>;
  /** How execute_tool shows JSON results: lean (default: API links and empty fields left out, with a notice) or raw. */
  responses?: ResponseProfile;
}

/** One upstream MCP server, in the shape of an entry of Claude Desktop's `mcpServers` block. */
export type McpServerConfig =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

export interface McpSourceConfig {
  /** The namespace its tools are listed under: an identifier (a pasted key `bing-cn-mcp` becomes `bing_cn_mcp`). */
  namespace: string;
  server: McpServerConfig;
}

/** A JSON file of MCP tool definitions: searchable and typed, not callable. */
export interface StaticToolsSourceConfig {
  file: string;
  /** Only for a single-server file; defaults to the file's base name. */
  namespace?: string;
}
