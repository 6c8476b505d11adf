// The token benchmark's counting: known payloads give known counts, the recorder sees what crossed a
// real SDK client/server pair, and the baselines, programs, report and chart are built as documented.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import type { BenchResult } from '../../src/bench/bench-result.js';
import { measureOffline } from '../../src/bench/catalog-figures.js';
import { plainTool, toolsListPieces } from '../../src/bench/plain-tools-list.js';
import { countExchanges } from '../../src/bench/replay.js';
import { markdownReport, terminalReport } from '../../src/bench/report.js';
import { tokenChart } from '../../src/bench/svg-chart.js';
import { parseTasks, programFor } from '../../src/bench/task-file.js';
import { loadTokenCounter, type TokenCounter } from '../../src/bench/token-count.js';
import { exchangeText, recordingTransport } from '../../src/bench/wire-recorder.js';

let counter: TokenCounter;
before(async () => (counter = await loadTokenCounter()));
after(() => counter.close());

const SEARCH_EXCHANGE = {
  method: 'tools/call',
  params: { name: 'search_tools', arguments: { query: 'create an issue' } },
  result: { content: [{ type: 'text', text: '1. github.issues_create: Create an issue (POST /repos/{owner}/{repo}/issues)' }] },
};

describe('token counts', () => {
  test('known text and a known exchange give known counts, request and response both counted', () => {
    assert.equal(counter.count('hello world').o200k, 2);
    assert.equal(counter.count(JSON.stringify(SEARCH_EXCHANGE.params)).o200k, 14);
    assert.equal(counter.count(JSON.stringify(SEARCH_EXCHANGE.result)).o200k, 33);
    assert.equal(counter.count(exchangeText(SEARCH_EXCHANGE)).o200k, 47);
    // The Claude column is a dev dependency: present in this checkout, approximate by design.
    assert.equal(counter.hasClaude, true);
    assert.equal(counter.count('hello world').claude, 2);
    assert.equal(counter.count(exchangeText(SEARCH_EXCHANGE)).claude, 48);
  });

  test('exchanges are summed by part: tools/list, or the tool called', () => {
    const list = { method: 'tools/list', params: undefined, result: { tools: [] } };
    const { parts, total } = countExchanges([list, SEARCH_EXCHANGE, SEARCH_EXCHANGE], counter);
    assert.deepEqual(Object.keys(parts), ['tools/list', 'search_tools']);
    assert.equal(parts.search_tools!.o200k, 94);
    assert.equal(total.o200k, parts['tools/list']!.o200k + 94);
  });

  test('without the Claude tokenizer the column is "n/a"', async () => {
    const o200kOnly = await loadTokenCounter({ claude: false });
    assert.equal(o200kOnly.hasClaude, false);
    assert.deepEqual(o200kOnly.count('hello world'), { o200k: 2 });
    const text = terminalReport(sampleResult(false));
    assert.match(text, /Claude tokenizer \(approximate: @anthropic-ai\/tokenizer is not installed\)/);
    assert.match(text, /\bn\/a\b/);
  });
});

describe('the wire recorder', () => {
  test('keeps each request with its response as the client sent and received them', async () => {
    const server = new Server({ name: 'echo', version: '1' }, { capabilities: { tools: {} } });
    const tool = { name: 'echo', description: 'Echo the text back', inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } }, required: ['text'] } };
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [tool] }));
    server.setRequestHandler(CallToolRequestSchema, (r) => ({ content: [{ type: 'text', text: String(r.params.arguments?.text) }] }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const recorder = recordingTransport(clientSide);
    const client = new Client({ name: 't', version: '1' });
    await Promise.all([server.connect(serverSide), client.connect(recorder)]);
    try {
      assert.deepEqual(recorder.take().map((e) => e.method), ['initialize']);
      const listed = await client.listTools();
      await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      const [list, call] = recorder.take();
      assert.equal(list!.method, 'tools/list');
      assert.deepEqual(list!.result, listed);
      assert.equal(counter.count(exchangeText(list!)).o200k, 37);
      assert.deepEqual(call!.params, { name: 'echo', arguments: { text: 'hi' } });
      assert.deepEqual(call!.result, { content: [{ type: 'text', text: 'hi' }] });
      assert.deepEqual(recorder.take(), [], 'take() drains');
    } finally {
      await client.close();
    }
  });
});

describe('the plain server baseline', () => {
  const recursive: ToolEntry = {
    namespace: 'tree',
    name: 'nodes_create',
    id: 'tree.nodes_create',
    summary: 'Create a node',
    description: '',
    tags: [],
    input: {
      root: { type: 'object', properties: { body: { $ref: '#/$defs/Node' } }, required: ['body'] },
      defs: { Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    },
    annotations: {},
    binding: { kind: 'http', method: 'POST', path: '/nodes', servers: [], parameters: [], body: { property: 'body', contentType: 'application/json', required: true }, security: [] },
  };

  test('one self-contained tool per operation: its defs once, under $defs, recursion kept finite', () => {
    assert.deepEqual(plainTool(recursive), {
      name: 'nodes_create',
      description: 'Create a node',
      inputSchema: { ...recursive.input.root, $defs: recursive.input.defs },
    });
    const pieces = [...toolsListPieces([recursive, recursive], plainTool)];
    const list = JSON.parse(pieces.join('')) as { tools: unknown[] };
    assert.equal(list.tools.length, 2);
    const figures = measureOffline([recursive], counter);
    assert.equal(figures.plain.o200k, counter.count(JSON.stringify({ tools: [plainTool(recursive)] })).o200k);
    assert.ok(figures.namesOnly.o200k < figures.plain.o200k);
    assert.ok(figures.declarations.o200k > 0);
  });
});

describe('task files', () => {
  const task = parseTasks([
    { task: 'Sum the words of the first two notes', steps: [{ tool: 'notes.list_notes' }, { tool: 'notes.get_note', arguments: { id: 1 } }], returns: 'r[0].length + r[1].words' },
  ])[0]!;

  test('a task becomes one program: steps awaited into r, then the returns expression', () => {
    assert.equal(programFor(task), 'const r: any[] = [];\nr.push(await notes.list_notes());\nr.push(await notes.get_note({"id":1}));\nreturn (r[0].length + r[1].words);');
  });

  test('returns with its own return statement is the program tail; none returns every result', () => {
    assert.match(programFor({ ...task, returns: 'const n = r[0].length;\nreturn n;' }), /\nconst n = r\[0\]\.length;\nreturn n;$/);
    const { returns: _, ...bare } = task;
    assert.match(programFor(bare), /\nreturn r;$/);
  });

  test('a malformed task names its path', () => {
    assert.throws(() => parseTasks([{ task: 'x', steps: [{ tool: 'no_namespace' }] }]), /0\.steps\.0\.tool: a qualified tool name/);
    assert.throws(() => parseTasks([{ task: 'x', steps: [] }]), /0\.steps: Array must contain at least 1/);
  });
});

describe('report and chart', () => {
  test('the chart has one series per way of listing, on log scales, and the goal line', () => {
    const svg = tokenChart(sampleResult(true).catalogs.map((c) => c.figures), { goalTokens: 1000 });
    assert.equal(svg.match(/<polyline /g)?.length, 6);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
    assert.match(svg, />goal: 1,000</);
    assert.match(svg, />10k</, 'decade ticks');
    assert.match(svg, />big \(12,000\)</);
  });

  test('the Markdown report carries the tables, the anchors with their sources and the goals', () => {
    const md = markdownReport(sampleResult(true), { chart: 'tokens.svg', command: 'npm run bench:tokens' });
    assert.match(md, /!\[.*\]\(tokens\.svg\)/);
    assert.match(md, /\| small \| 20 \| 2,000 \| 300 \| 560 \| 750 \| 892 \| 1,000 \| 1\.5 s \|/);
    assert.match(md, /https:\/\/blog\.cloudflare\.com\/code-mode-mcp\//);
    assert.match(md, /https:\/\/www\.anthropic\.com\/engineering\/code-execution-with-mcp/);
    assert.match(md, /speakeasy\.com/);
    assert.match(md, /✅ met: Upfront tokens/);
  });
});

function sampleResult(hasClaude: boolean): BenchResult {
  const t = (o200k: number) => (hasClaude ? { o200k, claude: Math.round(o200k * 1.1) } : { o200k });
  const figures = (label: string, tools: number, plain: number) => ({ label, tools, plain: t(plain), namesOnly: t(plain / 7), modes: { dynamic: t(560), code: t(750), both: t(892) }, declarations: t(plain / 2) });
  return {
    hasClaude,
    catalogs: [
      { figures: { ...figures('small', 20, 2000), namesOnly: t(300), declarations: t(1000) }, startMs: 1500 },
      { figures: figures('big', 12_000, 20_000_000), startMs: 4000 },
    ],
  };
}
