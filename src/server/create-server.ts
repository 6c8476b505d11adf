// One MCP server (one per session) over a shared Toolshed. The low-level SDK Server is used rather than
// McpServer so the meta-tools' JSON Schemas and descriptions are exactly ours (tokens are the product)
// and argument errors come back as tool results the model can act on.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Logger } from '../log.js';
import type { Toolshed } from '../toolshed.js';
import { describeToolsDefinition, executeToolDefinition, searchToolsDefinition } from './meta-tool-definitions.js';
import { describeToolsHandler, executeToolHandler, searchToolsHandler, type MetaToolHandler } from './meta-tool-handlers.js';
import { failure } from './tool-result.js';

export const SERVER_NAME = 'toolshed';
export const SERVER_VERSION = '0.1.0';

interface MetaTool {
  definition: Tool;
  handler: MetaToolHandler;
}

export function createMcpServer(options: { toolshed: Toolshed; log: Logger }): Server {
  const { toolshed, log } = options;
  const metaTools: MetaTool[] = [
    { definition: searchToolsDefinition, handler: searchToolsHandler },
    { definition: describeToolsDefinition, handler: describeToolsHandler },
    { definition: executeToolDefinition, handler: executeToolHandler },
  ];
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  const validators = new Map<string, ValidateFunction>(metaTools.map((t) => [t.definition.name, ajv.compile(t.definition.inputSchema)]));

  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions:
        'toolshed fronts a large API catalog. Use search_tools to find operations, describe_tools for their exact input schema, then execute_tool to call them.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: metaTools.map((t) => t.definition) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const tool = metaTools.find((t) => t.definition.name === name);
    const started = performance.now();
    let result: CallToolResult;
    if (!tool) {
      result = failure({ code: 'unknown_tool', message: `no meta-tool "${name}"`, next: `Call one of: ${metaTools.map((t) => t.definition.name).join(', ')}.` });
    } else {
      // Defaults are filled into a copy: the request object stays as the client sent it.
      const args = structuredClone(request.params.arguments ?? {});
      const validate = validators.get(name)!;
      result = validate(args)
        ? await tool.handler(args as never, { toolshed, signal: extra.signal })
        : failure({ code: 'invalid_arguments', message: `${name}: ${ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`, next: `Check ${name}'s input schema in tools/list.` });
    }
    log.info({ requestId: String(extra.requestId), tool: name, ms: Math.round(performance.now() - started), isError: result.isError === true }, 'tool call');
    return result;
  });

  return server;
}
