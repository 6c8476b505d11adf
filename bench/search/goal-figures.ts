// The search goals in one quick run, shipped ranking only (bench:search prints every ranking): the
// multi-step dev set in one index with GitHub (recall@10 over every gold step, hit@5, per API and
// combined), GitHub's 170 user-phrased queries in one index with Stripe, Slack and Kubernetes (R@5),
// and LiveMCPBench (hybrid R@10 against BM25). `--misses` lists each multi-step request's missed steps
// and the catalogs holding its top 10, the view that ranking work starts from; `--alone` also ranks each
// API in an index of its own (what routing between catalogs costs).
//   node --import tsx bench/search/goal-figures.ts [--multistep] [--misses] [--alone]
import { fileURLToPath } from 'node:url';
import { routeOf } from '../../src/catalog/tool-entry.js';
import { BUILTIN_MODEL_PATH, createBuiltinEmbeddings } from '../../src/search/builtin-embeddings.js';
import { buildSearchIndex, searchToolsAsync, type SearchIndex } from '../../src/search/search-index.js';
import type { RankMode } from '../../src/search/hybrid-rank.js';
import { meanMetrics, scoreQuery, type Metrics } from './metrics.js';
import { readQueries, resolveQueries, type MatchMode } from './query-set.js';
import { loadTools } from './run-bench.js';

const here = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
/** The dev set's APIs; LaunchDarkly stays in the index but is reported as held out. */
const DEV_APIS = ['asana', 'discourse', 'dnd5e', 'airflow', 'traccar'];
const HELD_OUT = ['launchdarkly'];
const misses = process.argv.includes('--misses');
const only = process.argv.includes('--multistep');
const alone = process.argv.includes('--alone');
const embeddings = createBuiltinEmbeddings({ modelPath: BUILTIN_MODEL_PATH });
const f = (x: number) => x.toFixed(3);

async function evaluate(index: SearchIndex, file: string, match: MatchMode, scope?: string, mode?: RankMode): Promise<Metrics[]> {
  const queries = resolveQueries(readQueries(file), index.tools, match, scope).filter((q) => q.relevant.length > 0);
  const position = new Map(index.tools.map((t, i) => [t, i]));
  const out: Metrics[] = [];
  for (const q of queries) {
    const hits = await searchToolsAsync(index, q.query, 10, mode ? { mode } : {});
    const ranked = hits.map((h) => position.get(h.entry)!);
    const m = scoreQuery(ranked, q);
    out.push(m);
    if (misses && scope && m.recall[3]! < 1) {
      const missed = q.relevant.filter((set) => !ranked.some((p) => set.has(p))).map((set) => describe(index, [...set][0]!));
      const catalogs = ranked.map((p) => index.tools[p]!.namespace).map((ns) => (ns === scope ? '·' : ns.slice(0, 3)));
      console.log(`${scope}: "${q.query}"\n   missed ${missed.join(', ')}\n   top10 ${catalogs.join(' ')} | ${hits.slice(0, 6).map((h) => describe(index, position.get(h.entry)!) + (h.needs ? ` [needs ${h.needs.map((n) => n.param).join(',')}]` : '')).join(', ')}`);
    }
  }
  return out;
}

function describe(index: SearchIndex, p: number): string {
  const t = index.tools[p]!;
  return routeOf(t) ?? t.name;
}

const multi = await loadTools(['github=catalogs/github.json.br', ...[...DEV_APIS, ...HELD_OUT].map((a) => `${a}=${here(`test/fixtures/multistep/specs/${a}.json.br`)}`)], []);
const multiIndex = await buildSearchIndex(multi.tools, { embeddings });
const rows: string[] = ['| API | requests | recall@10 | hit@5 |', '|---|---:|---:|---:|'];
const dev: Metrics[] = [];
for (const api of [...DEV_APIS, ...HELD_OUT]) {
  const per = await evaluate(multiIndex, here(`test/fixtures/multistep/${api}.json`), 'all', HELD_OUT.includes(api) && misses ? undefined : api);
  if (DEV_APIS.includes(api)) dev.push(...per);
  const m = meanMetrics(per);
  rows.push(`| ${api}${HELD_OUT.includes(api) ? ' (held out)' : ''} | ${per.length} | ${f(m.recall[3]!)} | ${f(m.hit5)} |`);
  if (api === DEV_APIS.at(-1)) rows.push(`| **dev set combined** | ${dev.length} | **${f(meanMetrics(dev).recall[3]!)}** | **${f(meanMetrics(dev).hit5)}** |`);
}
console.log(`Multi-step, one index of ${multi.tools.length} tools (goals: recall@10 0.85, hit@5 0.95)\n${rows.join('\n')}\n`);
if (alone) {
  // Each API in an index of its own: what the ranking within a catalog gives when no other catalog competes.
  const lines: string[] = ['| API alone in the index | recall@10 | hit@5 |', '|---|---:|---:|'];
  const all: Metrics[] = [];
  for (const api of [...DEV_APIS, ...HELD_OUT]) {
    const own = await loadTools([`${api}=${here(`test/fixtures/multistep/specs/${api}.json.br`)}`], []);
    const per = await evaluate(await buildSearchIndex(own.tools, { embeddings }), here(`test/fixtures/multistep/${api}.json`), 'all');
    if (DEV_APIS.includes(api)) all.push(...per);
    lines.push(`| ${api}${HELD_OUT.includes(api) ? ' (held out)' : ''} | ${f(meanMetrics(per).recall[3]!)} | ${f(meanMetrics(per).hit5)} |`);
  }
  lines.splice(lines.length - 1, 0, `| dev set combined | ${f(meanMetrics(all).recall[3]!)} | ${f(meanMetrics(all).hit5)} |`);
  console.log(`${lines.join('\n')}\n`);
}
if (!only) {
  const gh = await loadTools(['github=catalogs/github.json.br', ...['stripe=stripe.com', 'slack=slack.com', 'kubernetes=kubernetes.io'].map((s) => s.replace(/=(.+)$/, (_m, f: string) => `=${here(`test/fixtures/openapi/${f}.json.br`)}`))], []);
  const ghIndex = await buildSearchIndex(gh.tools, { embeddings });
  const ghm = meanMetrics(await evaluate(ghIndex, here('test/fixtures/github-dev-queries.json'), 'any'));
  console.log(`GitHub dev queries, one index of ${gh.tools.length} tools: R@5 ${f(ghm.recall[2]!)} (goal 0.90), R@10 ${f(ghm.recall[3]!)}`);
  const live = await loadTools([], [here('test/fixtures/livemcpbench/tools.json')]);
  const liveIndex = await buildSearchIndex(live.tools, { embeddings });
  const liveFile = here('test/fixtures/livemcpbench/queries.json');
  const hybrid = meanMetrics(await evaluate(liveIndex, liveFile, 'all')).recall[3]!;
  const bm25 = meanMetrics(await evaluate(liveIndex, liveFile, 'all', undefined, 'bm25')).recall[3]!;
  console.log(`LiveMCPBench R@10: hybrid ${f(hybrid)}, BM25 ${f(bm25)}, margin ${f(hybrid - bm25)} (goal 0.10)`);
}
