// A static MCP source: tool definitions saved in a JSON file, searchable, describable and typed for
// Code Mode while the servers themselves cannot run (executing one answers `not_connected`). Reads a
// `tools/list` result `{ tools: [...] }`, a bare array of tools, or LiveMCPBench's `tools.json` (an
// array of servers, each `{ name, category, tools: { <server>: { tools: [...] } } }`), where every
// server becomes its own namespace: tool names stay as the server gives them and stay unique.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CatalogLoadError } from '../errors.js';
import type { Catalog } from './load-openapi.js';
import { mcpToolsToEntries, namespaceFromServerName, type McpToolDefinition } from './mcp-tools.js';
import { claimUnique } from './naming.js';

export interface StaticToolsOptions {
  /** The file path (used in messages and as `Catalog.source`). */
  source: string;
  /** The namespace of a single-server file; defaults to the file's base name. Not allowed for multi-server files. */
  namespace?: string;
}

export async function loadStaticTools(options: StaticToolsOptions): Promise<Catalog[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(options.source, 'utf8'));
  } catch (e) {
    throw new CatalogLoadError(options.source, undefined, `cannot read MCP tool definitions: ${(e as Error).message}`, { cause: e });
  }
  return staticToolCatalogs(json, options);
}

/** The catalogs a parsed tool-definitions file holds. */
export function staticToolCatalogs(json: unknown, options: StaticToolsOptions): Catalog[] {
  const { source } = options;
  const servers = Array.isArray(json) && json.length > 0 && json.every((s) => isObject(s) && isObject(s.tools)) ? json : undefined;
  if (servers) {
    if (options.namespace) {
      throw new CatalogLoadError(source, undefined, `holds ${servers.length} servers, each loaded as its own namespace: give the file without NAME=`);
    }
    return serverCatalogs(servers as Array<Record<string, unknown>>, source);
  }
  const tools = Array.isArray(json) ? json : isObject(json) ? json.tools : undefined;
  if (!Array.isArray(tools)) {
    throw new CatalogLoadError(source, undefined, 'expected a tools/list result {"tools": [...]}, an array of tools, or LiveMCPBench servers [{"tools": {"<server>": {"tools": [...]}}}]');
  }
  const namespace = options.namespace ?? namespaceFromServerName(basename(source, extname(source)));
  return [catalogOf(namespace, namespace, source, checkTools(tools, source, Array.isArray(json) ? '' : '/tools'), [])];
}

function serverCatalogs(servers: Array<Record<string, unknown>>, source: string): Catalog[] {
  const taken = new Set<string>();
  return servers.flatMap((server, i) =>
    Object.entries(server.tools as Record<string, unknown>).map(([key, listing]) => {
      const pointer = `/${i}/tools/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!isObject(listing) || !Array.isArray(listing.tools)) throw new CatalogLoadError(source, pointer, 'expected {"tools": [...]}');
      const namespace = claimUnique(namespaceFromServerName(key), taken);
      const title = typeof server.name === 'string' ? server.name : key;
      // The server's name and category are searchable words: "arxiv", "Finance" find its tools.
      const tags = [...new Set([key, title, typeof server.category === 'string' ? server.category : ''].filter(Boolean))];
      return catalogOf(namespace, title, source, checkTools(listing.tools, source, `${pointer}/tools`), tags);
    }),
  );
}

function catalogOf(namespace: string, title: string, source: string, tools: McpToolDefinition[], tags: string[]): Catalog {
  return { namespace, title, source, tools: mcpToolsToEntries({ namespace, tools, tags }), securitySchemes: {} };
}

function checkTools(tools: unknown[], source: string, pointer: string): McpToolDefinition[] {
  tools.forEach((tool, i) => {
    if (!isObject(tool) || typeof tool.name !== 'string' || !tool.name) throw new CatalogLoadError(source, `${pointer}/${i}`, 'a tool needs a "name" string');
  });
  return tools as McpToolDefinition[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
