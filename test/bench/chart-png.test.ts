// The benchmark's chart, rendered to PNG (resvg, a renderer whose binary ships in its npm package) for one
// catalog and for seven, and checked by its pixels: every series is drawn large enough to see (a bar per
// series for one catalog, not a column of dots), and the text is there. The PNGs are kept in a temp
// folder (path printed) for a person to look at.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { UPFRONT_GOAL_TOKENS } from '../../src/bench/anchors.js';
import type { CatalogFigures } from '../../src/bench/catalog-figures.js';
import { CHART_SERIES, tokenChart } from '../../src/bench/svg-chart.js';

const RENDER_WIDTH = 1200;
const dir = mkdtempSync(join(tmpdir(), 'toolshed-chart-'));

const catalog = (label: string, tools: number, plainPerTool: number): CatalogFigures => ({
  label,
  tools,
  plain: { o200k: tools * plainPerTool },
  namesOnly: { o200k: tools * 20 },
  declarations: { o200k: tools * plainPerTool * 0.6 },
  modes: { dynamic: { o200k: 560 }, code: { o200k: 750 }, both: { o200k: 892 } },
});

/** Pixels per series colour (exact RGB match), and how many are dark (text). */
function render(svg: string, name: string): { colour: Map<string, number>; dark: number } {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: RENDER_WIDTH }, font: { loadSystemFonts: true } }).render();
  writeFileSync(join(dir, `${name}.png`), image.asPng());
  const px = image.pixels;
  const colour = new Map<string, number>();
  let dark = 0;
  for (let i = 0; i < px.length; i += 4) {
    const hex = `#${[px[i]!, px[i + 1]!, px[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    colour.set(hex, (colour.get(hex) ?? 0) + 1);
    if (px[i]! < 80 && px[i + 1]! < 80 && px[i + 2]! < 80 && px[i + 3]! > 200) dark++;
  }
  return { colour, dark };
}

test('one catalog: a bar per series, each big enough to read, with text', () => {
  const { colour, dark } = render(tokenChart([catalog('Twilio', 197, 300)], { goalTokens: UPFRONT_GOAL_TOKENS }), 'one-catalog');
  console.log(`charts rendered to ${dir}`);
  for (const s of CHART_SERIES) {
    // A bar is 20 units high (30 px at this width) and at least tens of px long; a dot of radius 3 is ~60 px.
    assert.ok((colour.get(s.color) ?? 0) > 1500, `${s.name}: ${colour.get(s.color) ?? 0} px`);
  }
  assert.ok(dark > 3000, `text drawn (${dark} dark px): are fonts installed?`);
});

test('seven catalogs: a line per series across sizes', () => {
  const sizes: Array<[string, number, number]> = [['petstore', 20, 100], ['Slack', 174, 140], ['Stripe', 452, 590], ['LiveMCPBench', 527, 160], ['Kubernetes', 845, 2500], ['GitHub', 1223, 300], ['Microsoft Graph', 11422, 1900]];
  const { colour, dark } = render(tokenChart(sizes.map(([l, n, p]) => catalog(l, n, p)), { goalTokens: UPFRONT_GOAL_TOKENS }), 'seven-catalogs');
  for (const s of CHART_SERIES) assert.ok((colour.get(s.color) ?? 0) > 400, `${s.name}: ${colour.get(s.color) ?? 0} px`);
  assert.ok(dark > 3000, `text drawn (${dark} dark px)`);
});
