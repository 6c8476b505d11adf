// What both benchmark charts (lines over catalog size, bars for one catalog) draw with: the series,
// their colours, the log scale and text escaping.
import type { CatalogFigures } from './catalog-figures.js';
import type { Tokens } from './token-count.js';

export interface ChartSeries {
  name: string;
  color: string;
  dashed?: boolean;
  of(f: CatalogFigures): Tokens;
}

export const CHART_SERIES: readonly ChartSeries[] = [
  { name: 'plain server tools/list', color: '#d62728', of: (f) => f.plain },
  { name: 'TS declarations (whole catalog)', color: '#9467bd', dashed: true, of: (f) => f.declarations },
  { name: 'names + one-liners', color: '#ff7f0e', dashed: true, of: (f) => f.namesOnly },
  { name: 'toolshed both', color: '#17becf', of: (f) => f.modes.both },
  { name: 'toolshed code', color: '#2ca02c', of: (f) => f.modes.code },
  { name: 'toolshed dynamic', color: '#1f77b4', of: (f) => f.modes.dynamic },
];

export interface ChartOptions {
  goalTokens?: number;
  title?: string;
}

/** Maps values onto [from, to] by log10, over whole decades that cover them. */
export function logScale(values: number[], from: number, to: number): { at(v: number): number; decades: number[] } {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const at = (v: number) => Math.round((from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from)) * 10) / 10;
  const decades = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
  return { at, decades };
}

export function compact(n: number): string {
  if (n >= 1e9) return `${n / 1e9}G`;
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(n);
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
