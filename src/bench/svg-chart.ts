// The benchmark's chart: tokens against catalog size, both on log scales, one series per way of
// exposing the catalog. Hand-written SVG rather than a charting library: one line chart of a few dozen
// points does not justify a dependency (or a headless browser), and the output stays a small,
// diffable text file that GitHub renders in the README.
import type { CatalogFigures } from './catalog-figures.js';
import { CHART_SERIES, compact, esc, logScale, type ChartOptions } from './chart-parts.js';
import { tokenBars } from './svg-bars.js';

export { CHART_SERIES } from './chart-parts.js';

const WIDTH = 800;
const HEIGHT = 440;
const MARGIN = { top: 40, right: 250, bottom: 50, left: 70 };

/** A line chart over catalog size for several catalogs; one catalog has no size axis to speak of: bars. */
export function tokenChart(catalogs: readonly CatalogFigures[], options: ChartOptions = {}): string {
  return catalogs.length === 1 ? tokenBars(catalogs[0]!, options) : tokenLines(catalogs, options);
}

function tokenLines(catalogs: readonly CatalogFigures[], options: ChartOptions): string {
  const points = [...catalogs].sort((a, b) => a.tools - b.tools);
  const values = points.flatMap((f) => CHART_SERIES.map((s) => s.of(f).o200k)).concat(options.goalTokens ?? []).filter((v) => v > 0);
  const x = logScale(points.map((f) => Math.max(1, f.tools)), MARGIN.left, WIDTH - MARGIN.right);
  const y = logScale(values.length ? values : [1], HEIGHT - MARGIN.bottom, MARGIN.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">${esc(options.title ?? 'Tokens before the first task, by catalog size (o200k, log scales)')}</text>`,
  ];
  for (const d of x.decades) {
    out.push(`<line x1="${x.at(d)}" y1="${MARGIN.top}" x2="${x.at(d)}" y2="${HEIGHT - MARGIN.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x.at(d)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" fill="#555">${compact(d)}</text>`);
  }
  for (const d of y.decades) {
    out.push(`<line x1="${MARGIN.left}" y1="${y.at(d)}" x2="${WIDTH - MARGIN.right}" y2="${y.at(d)}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y.at(d) + 4}" text-anchor="end" fill="#555">${compact(d)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle" fill="#555">operations in the catalog</text>`);
  out.push(`<text transform="translate(18,${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#555">tokens</text>`);
  if (options.goalTokens) {
    const gy = y.at(options.goalTokens);
    out.push(`<line x1="${MARGIN.left}" y1="${gy}" x2="${WIDTH - MARGIN.right}" y2="${gy}" stroke="#444" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${gy - 4}" text-anchor="end" fill="#444">goal: ${options.goalTokens.toLocaleString('en-US')}</text>`);
  }
  CHART_SERIES.forEach((s, i) => {
    const coords = points.filter((f) => s.of(f).o200k > 0).map((f) => `${x.at(Math.max(1, f.tools))},${y.at(s.of(f).o200k)}`);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const c of coords) {
      const [cx, cy] = c.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`);
    }
    const ly = MARGIN.top + 10 + i * 20;
    const lx = WIDTH - MARGIN.right + 14;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  // Catalog names go beside the top series' points: on the x axis, catalogs of similar size (Stripe 452,
  // LiveMCPBench 527) would print over each other.
  const top = CHART_SERIES[0]!;
  for (const f of points) {
    const px = x.at(Math.max(1, f.tools));
    const right = px > MARGIN.left + 0.7 * (WIDTH - MARGIN.left - MARGIN.right);
    const label = `${esc(f.label)} (${f.tools.toLocaleString('en-US')})`;
    out.push(`<text x="${right ? px - 7 : px + 7}" y="${y.at(Math.max(1, top.of(f).o200k)) + 4}" text-anchor="${right ? 'end' : 'start'}" font-size="11" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">${label}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
