// Catalog-level token figures: what a client pays before the first task. Three are computed from the
// loaded catalog (a plain server's tools/list, names with one-liners, Code Mode's declarations of the
// whole catalog); toolshed's own tools/list is measured on a running toolshed, per mode.
import type { ToolEntry } from '../catalog/tool-entry.js';
import { planCodegen } from '../codegen/codegen-plan.js';
import { emitCatalogDeclarations, TYPECHECK_EMIT } from '../codegen/declarations.js';
import type { ServeMode } from '../server/create-server.js';
import type { BenchSession } from './bench-session.js';
import { namesOnlyTool, plainTool, toolsListPieces } from './plain-tools-list.js';
import { sumTokens, type TokenCounter, type Tokens } from './token-count.js';
import { exchangeText } from './wire-recorder.js';

export interface CatalogFigures {
  label: string;
  /** Operations (tools) in the catalog. */
  tools: number;
  /** (a) a plain OpenAPI-to-MCP server's tools/list: one tool per operation, full input schema. */
  plain: Tokens;
  /** (b) names and one-line descriptions only. */
  namesOnly: Tokens;
  /** (c) toolshed's own tools/list, per mode, as the client received it. */
  modes: Record<ServeMode, Tokens>;
  /** (d) Code Mode's TypeScript declarations of the whole catalog. */
  declarations: Tokens;
}

export type OfflineFigures = Pick<CatalogFigures, 'tools' | 'plain' | 'namesOnly' | 'declarations'>;

export function measureOffline(tools: readonly ToolEntry[], counter: TokenCounter): OfflineFigures {
  return {
    tools: tools.length,
    plain: countPieces(toolsListPieces(tools, plainTool), counter),
    namesOnly: countPieces(toolsListPieces(tools, namesOnlyTool), counter),
    declarations: counter.count(catalogDeclarations(tools)),
  };
}

function countPieces(pieces: Iterable<string>, counter: TokenCounter): Tokens {
  let total: Tokens | undefined;
  for (const piece of pieces) total = total ? sumTokens([total, counter.count(piece)]) : counter.count(piece);
  return total ?? counter.count('');
}

/** All namespaces' declarations, as run_code type-checks programs against them (server/code-mode.ts). */
export function catalogDeclarations(tools: readonly ToolEntry[]): string {
  const plan = planCodegen(tools);
  const byNamespace = new Map<string, ToolEntry[]>();
  for (const t of tools) {
    const group = byNamespace.get(t.namespace);
    if (group) group.push(t);
    else byNamespace.set(t.namespace, [t]);
  }
  return [...byNamespace].map(([ns, group]) => emitCatalogDeclarations(ns, group, { plan, ...TYPECHECK_EMIT })).join('\n');
}

/** tools/list on a running toolshed, counted as it crossed the wire (the result payload). */
export async function measureToolsList(session: BenchSession, counter: TokenCounter): Promise<Tokens> {
  session.recorder.take();
  await session.client.listTools();
  return sumTokens(session.recorder.take().map((e) => counter.count(exchangeText(e))));
}
