// What a tolerant load did with the parts of a document it could not use. Plain data (it travels with
// the Catalog into caches, /readyz, describe_tools and `toolshed check`): one warning per problem, each
// naming the JSON pointer where it sits, the reason, and what toolshed did about it.

export type LoadEffect =
  /** The unresolvable part was replaced by an open schema (any value accepted, nothing promised). */
  | 'open_schema'
  /** The operation is not served: it cannot be called correctly without the missing part. */
  | 'skipped'
  /** A part that no served operation needs was left out (a parameter, a duplicated key, a header). */
  | 'ignored'
  /** A name was changed to keep it distinct or callable. */
  | 'renamed';

export interface LoadWarning {
  /** JSON pointer into the document (`#/paths/~1pets/get/...`), or the YAML line for syntax-level issues. */
  pointer: string;
  reason: string;
  effect: LoadEffect;
}

export interface LoadSummary {
  /** Operations served, including those served with open schemas. */
  served: number;
  openSchemas: number;
  skipped: number;
  warnings: LoadWarning[];
}

/** Collects warnings while one document is mapped; the same pointer and reason is reported once. */
export class LoadReport {
  readonly warnings: LoadWarning[] = [];
  private readonly seen = new Set<string>();

  /** True when a warning already names this pointer (a later stage then need not explain it again). */
  has(pointer: string): boolean {
    return this.warnings.some((w) => w.pointer === pointer);
  }

  warn(pointer: string, reason: string, effect: LoadEffect): void {
    const key = `${effect} ${pointer} ${reason}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.warnings.push({ pointer, reason, effect });
  }
}

/** Skip reasons grouped for reports: the reason text with pointers and quoted names left out. */
export function reasonClass(reason: string): string {
  return reason.replace(/"[^"]*"/g, '"…"').replace(/#\/\S*/g, '#/…').replace(/\d+/g, 'N');
}

/** One line for logs and notes: `stripe: 452 operations (3 with open schemas, 1 skipped, 5 warnings)`. */
export function describeLoad(name: string, summary: Omit<LoadSummary, 'warnings'> & { warnings: readonly LoadWarning[] }): string {
  const parts = [summary.openSchemas ? `${summary.openSchemas} with open schemas` : '', summary.skipped ? `${summary.skipped} skipped` : '', summary.warnings.length ? `${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${name}: ${summary.served} operation${summary.served === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
