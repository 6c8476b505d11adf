// The chart for one catalog: one horizontal bar per way of exposing it, on a log scale, each labelled
// with its figure. A size axis with a single catalog on it shows a column of dots that says nothing.
import type { CatalogFigures } from './catalog-figures.js';
import { CHART_SERIES, compact, esc, logScale, type ChartOptions } from './chart-parts.js';

const WIDTH = 800;
const ROW = 34;
const BAR = 20;
const MARGIN = { top: 58, right: 90, bottom: 46, left: 230 };

export function tokenBars(f: CatalogFigures, options: ChartOptions): string {
  const rows = CHART_SERIES.map((s) => ({ s, v: s.of(f).o200k })).filter((r) => r.v > 0).sort((a, b) => b.v - a.v);
  const height = MARGIN.top + rows.length * ROW + MARGIN.bottom;
  const x = logScale(rows.map((r) => r.v).concat(options.goalTokens ?? []), MARGIN.left, WIDTH - MARGIN.right);
  const left = x.at(x.decades[0]!);
  const bottom = height - MARGIN.bottom;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="20" y="24" font-size="15" font-weight="600">${esc(options.title ?? 'Tokens before the first task (o200k, log scale)')}</text>`,
    `<text x="20" y="43" fill="#555">${esc(f.label)}: ${f.tools.toLocaleString('en-US')} operations</text>`,
  ];
  for (const d of x.decades) {
    out.push(`<line x1="${x.at(d)}" y1="${MARGIN.top - 6}" x2="${x.at(d)}" y2="${bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x.at(d)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${compact(d)}</text>`);
  }
  out.push(`<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${height - 8}" text-anchor="middle" fill="#555">tokens</text>`);
  rows.forEach(({ s, v }, i) => {
    const y = MARGIN.top + i * ROW + (ROW - BAR) / 2;
    const end = x.at(v);
    out.push(`<text x="${MARGIN.left - 10}" y="${y + BAR / 2 + 4}" text-anchor="end">${esc(s.name)}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, end - left)}" height="${BAR}" fill="${s.color}"/>`);
    out.push(`<text x="${end + 6}" y="${y + BAR / 2 + 4}" fill="#333">${v.toLocaleString('en-US')}</text>`);
  });
  if (options.goalTokens) {
    const gx = x.at(options.goalTokens);
    out.push(`<line x1="${gx}" y1="${MARGIN.top - 6}" x2="${gx}" y2="${bottom}" stroke="#444" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${gx + 4}" y="${MARGIN.top - 10}" fill="#444">goal: ${options.goalTokens.toLocaleString('en-US')}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
