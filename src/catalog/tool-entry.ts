// The one normalized shape every catalog source (OpenAPI today, upstream MCP later) is turned into.
// Search, describe, codegen and execution all read this and nothing else.

/** A JSON Schema object (draft 2020-12 subset). Kept loose on purpose: catalogs carry arbitrary keywords. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * A self-contained schema: `root` may reference `#/$defs/Name` entries that live in `defs`.
 * Shared sub-schemas are named once in `defs` rather than inlined at every use; recursion
 * goes through a `$ref`, so the value is always finite and JSON-serializable.
 */
export interface SchemaWithDefs {
  root: JsonSchema;
  /** Named sub-schemas reachable from `root` (transitively); may be empty. */
  defs: Record<string, JsonSchema>;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Where an input property of the tool goes in the HTTP request. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface HttpParameter {
  /** The property name in the tool's input schema (may differ from `name` when two locations collide). */
  property: string;
  /** The parameter's name on the wire. */
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** OpenAPI serialization: style (form, simple, label, matrix, spaceDelimited, pipeDelimited, deepObject) and explode. */
  style: string;
  explode: boolean;
  /** OpenAPI `allowReserved` (query only): reserved characters such as `/` and `,` go unencoded. */
  allowReserved?: boolean;
  /** Schema of the value, used to serialize arrays/objects correctly. */
  schema: JsonSchema;
}

export interface HttpRequestBody {
  /** The property of the tool input that holds the body (always `body`). */
  property: string;
  contentType: string;
  required: boolean;
  /** Form bodies: per top-level property, how it is written (OpenAPI `encoding`, Swagger `collectionFormat`). */
  encoding?: Record<string, BodyEncoding>;
  /** Multipart bodies: the properties that are files (sent with a filename and their content type). */
  files?: string[];
}

/** One entry of an OpenAPI media type's `encoding` map. `tabDelimited` carries Swagger 2's `tsv`. */
export interface BodyEncoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}

/** One alternative of an OpenAPI security requirement: all named schemes together. */
export type SecurityRequirement = Array<{ scheme: string; scopes: string[] }>;

/** A security scheme as declared by the catalog (OpenAPI 3 shape; Swagger 2 is mapped onto it). */
export type SecurityScheme =
  | { type: 'http'; scheme: 'bearer' | 'basic' | string; bearerFormat?: string }
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string }
  | { type: 'oauth2' | 'openIdConnect'; description?: string };

export interface HttpBinding {
  kind: 'http';
  method: string; // upper case: GET, POST, ...
  path: string; // templated path as in the spec, e.g. /repos/{owner}/{repo}
  /** Candidate base URLs declared by the catalog (first is the default); may contain {variables}. */
  servers: Array<{ url: string; variables?: Record<string, { default: string; enum?: string[] }> }>;
  parameters: HttpParameter[];
  body?: HttpRequestBody;
  /** Alternatives (OR) of requirements (AND); empty array means no auth needed. */
  security: SecurityRequirement[];
}

export interface McpBinding {
  kind: 'mcp';
  /** The tool's name on the upstream server. */
  upstreamName: string;
}

export interface ToolEntry {
  /** Catalog namespace, a JS identifier: `github`. */
  namespace: string;
  /** snake_case name, unique within the namespace: `issues_create`. */
  name: string;
  /** `namespace.name`: the name the model uses in describe_tools / execute_tool. */
  id: string;
  /** One line, no trailing period. */
  summary: string;
  /** Longer text as the catalog gives it (may be empty). */
  description: string;
  tags: string[];
  /** The input object: path/query/header/cookie parameters as properties plus `body` when there is one. */
  input: SchemaWithDefs;
  /** The success response's schema, when the catalog declares one. */
  output?: SchemaWithDefs;
  annotations: ToolAnnotations;
  binding: HttpBinding | McpBinding;
}

/** `METHOD /path` for HTTP tools, undefined for upstream MCP tools. */
export function routeOf(entry: ToolEntry): string | undefined {
  return entry.binding.kind === 'http' ? `${entry.binding.method} ${entry.binding.path}` : undefined;
}
