// The meta-tools as the model sees them in tools/list. Names, argument names and result shapes are a
// public contract. Every word here is paid for on every turn: all four together stay at most 900
// tokens (o200k) whatever the catalog size; test/server/code-mode.test.ts holds that line.
// Every argument is bounded here (maxLength, maxItems, maximum), and the bounds are checked before any
// work, so no request can make the main thread do more than these sizes allow.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { MAX_QUERY_CHARS } from '../search/query-limits.js';
import { TOOL_NAME_MAX_CHARS } from './resolve-name.js';

export const SEARCH_LIMIT_DEFAULT = 5;
export const SEARCH_LIMIT_MAX = 20;
export const DESCRIBE_NAMES_MAX = 20;
/** A program is a few dozen lines; it is type-checked on the main thread, so its size is bounded. */
export const RUN_CODE_MAX_CHARS = 20_000;
/** RUN_MAX_WALL_MS of exec/code-runner.ts, which is not imported here: it would load isolated-vm in dynamic mode. */
export const RUN_TIMEOUT_MS_MAX = 300_000;
/** execute_tool's `select`: paths per call, and characters per path (a path is a few field names). */
export const SELECT_PATHS_MAX = 100;
export const SELECT_PATH_MAX_CHARS = 500;
/** describe_tools' `depth`: nested result types expanded; deeper ones are named only. */
export const DESCRIBE_DEPTH_MAX = 4;

export const searchToolsDefinition: Tool = {
  name: 'search_tools',
  title: 'Search the API catalog',
  description:
    'Find operations in the API catalog by what you want to do, in plain words ("open an issue on a repo"). Returns the best matches, ranked: name, summary, route. Next: describe_tools with the names you want.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS, description: 'What you want to do, or a tool name.' },
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
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const describeToolsDefinition: Tool = {
  name: 'describe_tools',
  title: 'Describe catalog tools',
  description:
    'Get the exact input schema of catalog tools (names from search_tools), their auth and the fields of a successful result. Call it before execute_tool.',
  inputSchema: {
    type: 'object',
    properties: {
      names: { type: 'array', items: { type: 'string', maxLength: TOOL_NAME_MAX_CHARS }, minItems: 1, maxItems: DESCRIBE_NAMES_MAX, description: 'Tool names as search_tools returned them.' },
      format: { type: 'string', enum: ['json_schema', 'typescript'], default: 'json_schema', description: 'typescript: the declarations for run_code.' },
      depth: { type: 'integer', minimum: 1, maximum: DESCRIBE_DEPTH_MAX, default: 1, description: 'Levels of nested result types shown.' },
    },
    required: ['names'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const executeToolDefinition: Tool = {
  name: 'execute_tool',
  title: 'Call a catalog tool',
  description:
    'Call one catalog tool with arguments matching its input schema: path, query and header parameters as top-level properties, a request body under "body". Returns the HTTP status and the body (API links and empty fields left out).',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: TOOL_NAME_MAX_CHARS, description: 'Tool name from search_tools.' },
      arguments: { type: 'object', description: 'Arguments for that tool.' },
      select: { type: 'array', items: { type: 'string', maxLength: SELECT_PATH_MAX_CHARS }, maxItems: SELECT_PATHS_MAX, description: 'Fields to keep, e.g. ["number", "user.login"]; lists are walked through.' },
      raw: { type: 'boolean', description: 'true: keep everything.' },
    },
    required: ['name', 'arguments'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
};

export const runCodeDefinition: Tool = {
  name: 'run_code',
  title: 'Run TypeScript against the API',
  description:
    'Run TypeScript against the catalog as a typed API; only what the program returns comes back. `code` is the body of an async function: `await` catalog functions (types: describe_tools with format "typescript"), `return` a JSON value. Example:\nconst issues = await github.issues_list_for_repo({ owner: "o", repo: "r" });\nreturn issues.map((i) => i.title);\nNo fetch, require, process or files.',
  inputSchema: {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 1, maxLength: RUN_CODE_MAX_CHARS, description: 'The body of an async function.' },
      timeout_ms: { type: 'integer', minimum: 100, maximum: RUN_TIMEOUT_MS_MAX, description: 'Wall-clock limit for this run.' },
    },
    required: ['code'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      result: {},
      logs: { type: 'array', items: { type: 'string' } },
      // Each call is {tool, ok, ms}; described in words, not a nested schema: this list is paid for on every turn.
      calls: { type: 'array', items: { type: 'object' }, description: '{tool, ok, ms} per API call.' },
    },
    required: ['logs', 'calls'],
  },
  annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
};
