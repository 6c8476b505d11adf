// Tokens of Code Mode's TypeScript declarations for the whole GitHub catalog, beside the JSON Schema
// form the classic tools/list would carry for the same tools. o200k_base (GPT-4o family) stands in
// for model tokenizers generally. Run: node --import tsx bench/codegen-tokens.ts
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { loadOpenApiCatalog } from '../src/catalog/load-openapi.js';
import type { SchemaWithDefs, ToolEntry } from '../src/catalog/tool-entry.js';
import { emitCatalogDeclarations, emitToolDeclarations, signatureLine } from '../src/codegen/declarations.js';
import { planCodegen } from '../src/codegen/codegen-plan.js';
import { CODEMODE_VERSION, loadCloudflareGenerator } from './cloudflare-codemode.js';

const SOURCE = process.argv[2] ?? 'catalogs/github.json.br';

const tokens = (text: string): number => encode(text).length;
const selfContained = (s: SchemaWithDefs) => (Object.keys(s.defs).length > 0 ? { ...s.root, $defs: s.defs } : s.root);
const jsonForm = (t: ToolEntry, withOutput: boolean) =>
  JSON.stringify({
    name: t.id,
    description: t.summary,
    inputSchema: selfContained(t.input),
    ...(withOutput && t.output ? { outputSchema: selfContained(t.output) } : {}),
  });

const catalog = await loadOpenApiCatalog({ source: SOURCE, namespace: 'github' });
const tools = catalog.tools;
const n = tools.length;
const plan = planCodegen(tools);
const row = (label: string, total: number, ratios: Array<[string, number]> = []) =>
  console.log(
    `${label.padEnd(58)} ${String(total).padStart(8)} tokens ${(total / n).toFixed(1).padStart(7)} / op` +
      ratios.map(([what, base]) => `  ${(total / base).toFixed(2)}× ${what}`).join(''),
  );

console.log(`${catalog.title}: ${n} operations (o200k_base)\n`);
const json = tools.reduce((sum, t) => sum + tokens(jsonForm(t, false)), 0);
const jsonOut = tools.reduce((sum, t) => sum + tokens(jsonForm(t, true)), 0);
row('JSON Schema {name, description, inputSchema}', json);
row('JSON Schema, plus outputSchema', jsonOut);

const full = tokens(emitCatalogDeclarations('github', tools, { plan }));
const bare = tokens(emitCatalogDeclarations('github', tools, { plan, inputDocs: false }));
row('TS catalog declarations (input docs, shared types once)', full, [['JSON', json], ['JSON+out', jsonOut]]);
row('TS catalog declarations, no input docs', bare, [['JSON', json], ['JSON+out', jsonOut]]);

// describe_tools format 'typescript', one tool at a time: each carries the types it references.
let each = 0;
let eachBare = 0;
for (const t of tools) {
  each += tokens(emitToolDeclarations([t], { plan }));
  eachBare += tokens(emitToolDeclarations([t], { plan, inputDocs: false }));
}
row('TS per tool, standalone (types + outputs each time)', each, [['JSON', json], ['JSON+out', jsonOut]]);
row('TS per tool, standalone, no input docs', eachBare, [['JSON', json], ['JSON+out', jsonOut]]);

const sigs = tools.reduce((sum, t) => sum + tokens(signatureLine(t, { plan })), 0);
row('signature lines (search results)', sigs, [['JSON', json]]);

// The closest peer's generator over the same tools (inputs and outputs, $defs inlined by itself).
const generateTypes = await loadCloudflareGenerator();
const cloudflare = tokens(
  generateTypes(Object.fromEntries(tools.map((t) => [t.name, { description: t.summary, inputSchema: selfContained(t.input), ...(t.output ? { outputSchema: selfContained(t.output) } : {}) }]))),
);
row(`@cloudflare/codemode@${CODEMODE_VERSION} generateTypesFromJsonSchema`, cloudflare, [['JSON', json], ['JSON+out', jsonOut]]);
console.log(`\ntoolshed's catalog declarations are ${(full / cloudflare).toFixed(2)}× the tokens of @cloudflare/codemode's for the same ${n} tools.`);
