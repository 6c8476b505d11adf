// The meta-tools as the model sees them in tools/list. Names, argument names and result shapes are a
// public contract. Every word here is paid for on every turn: the three together stay under 1,000
// tokens (o200k) whatever the catalog size; test/server/tools-list-tokens.test.ts holds that line.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export const SEARCH_LIMIT_DEFAULT = 5;
export const SEARCH_LIMIT_MAX = 20;
export const DESCRIBE_NAMES_MAX = 20;

export const searchToolsDefinition: Tool = {
  name: 'search_tools',
  title: 'Search the API catalog',
  description:
    'Find operations in the connected API catalog by what you want to do, in plain words ("open an issue on a repo", "list my notifications"). Returns the best matches, ranked: name, one-line summary, and for HTTP APIs the route ("METHOD /path"). Next: describe_tools with the names you want, then call them.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, description: 'What you want to do, or a tool name.' },
      limit: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT_MAX, default: SEARCH_LIMIT_DEFAULT, description: 'How many matches to return.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            summary: { type: 'string' },
            route: { type: 'string' },
            namespace: { type: 'string' },
          },
          required: ['name', 'summary', 'namespace'],
        },
      },
    },
    required: ['results'],
  },
  annotations: { title: 'Search the API catalog', readOnlyHint: true, openWorldHint: false },
};

export const describeToolsDefinition: Tool = {
  name: 'describe_tools',
  title: 'Describe catalog tools',
  description:
    'Get the exact input schema of catalog tools (from search_tools), with required fields, the auth each needs and the shape of a successful result. Call it before execute_tool so your arguments are right the first time.',
  inputSchema: {
    type: 'object',
    properties: {
      names: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: DESCRIBE_NAMES_MAX, description: 'Tool names as search_tools returned them.' },
    },
    required: ['names'],
    additionalProperties: false,
  },
  annotations: { title: 'Describe catalog tools', readOnlyHint: true, openWorldHint: false },
};

export const executeToolDefinition: Tool = {
  name: 'execute_tool',
  title: 'Call a catalog tool',
  description:
    'Call one catalog tool with arguments matching its input schema (see describe_tools): path, query and header parameters as top-level properties, a request body under "body". Returns the HTTP status and the response body; errors say what to fix.',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Tool name from search_tools.' },
      arguments: { type: 'object', description: 'Arguments for that tool.' },
    },
    required: ['name', 'arguments'],
    additionalProperties: false,
  },
  annotations: { title: 'Call a catalog tool', readOnlyHint: false, destructiveHint: true, openWorldHint: true },
};
