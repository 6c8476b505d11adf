// Cuts a JSON value that is too large to show, structurally: the result is still valid JSON with the
// same shape (arrays keep their leading items, objects keep their keys, long strings end in a marker),
// plus a notice saying what was cut and how to ask for less. Used for API responses and run_code results.

/** ~4 characters per token is a reasonable cross-model estimate for JSON and English text. */
export const CHARS_PER_TOKEN = 4;
export const DEFAULT_CUT_ADVICE =
  'use pagination/filter parameters such as per_page or limit, or run_code to return only the fields you need';

/** A cut string keeps at least this many characters, so it still says what it was about. */
const MIN_STRING_KEEP = 24;
/** No single array item may take more than 1/N of the array's budget while later items are waiting. */
const ARRAY_ITEM_SHARE = 8;
/** Re-cuts with a smaller budget when minimum sizes overshoot; a few rounds always converge in practice. */
const MAX_ROUNDS = 4;
/** Cut arrays named in the notice; deeper ones are counted. */
const MAX_LISTED_ARRAYS = 2;

export interface CutResult {
  value: unknown;
  truncated: boolean;
  notice?: string;
}

export interface CutOptions {
  /** How to ask for less, ending the notice. */
  advice?: string;
}

/** `value` must be JSON-serializable. The result serializes to at most ~maxChars characters. */
export function cutJson(value: unknown, maxChars: number, options: CutOptions = {}): CutResult {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= maxChars) return { value, truncated: false };
  const plain: unknown = JSON.parse(text); // drops undefined, applies toJSON: sizes below are then exact
  let budget = maxChars;
  let cutter = new Cutter();
  let out = cutter.fit(plain, budget, '');
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const size = JSON.stringify(out).length;
    if (size <= maxChars) break;
    budget = Math.floor(budget * (maxChars / size) * 0.95);
    cutter = new Cutter();
    out = cutter.fit(plain, budget, '');
  }
  return { value: out, truncated: true, notice: cutter.notice(maxChars, text.length, options.advice ?? DEFAULT_CUT_ADVICE) };
}

class Cutter {
  private readonly sizes = new WeakMap<object, number>();
  private readonly mins = new WeakMap<object, number>();
  private readonly arrays: Array<{ path: string; kept: number; total: number }> = [];
  private strings = 0;
  private droppedKeys = 0;

  fit(value: unknown, budget: number, path: string): unknown {
    if (this.size(value) <= budget) return value;
    if (typeof value === 'string') return this.cutString(value, budget);
    if (Array.isArray(value)) return this.fitArray(value, budget, path);
    if (value !== null && typeof value === 'object') return this.fitObject(value as Record<string, unknown>, budget, path);
    return value; // a number or boolean cannot shrink
  }

  notice(maxChars: number, originalChars: number, advice: string): string {
    const parts: string[] = [];
    const sorted = [...this.arrays].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const a of sorted.slice(0, MAX_LISTED_ARRAYS)) parts.push(`showing ${a.kept} of ${a.total} items${a.path ? ` at ${a.path}` : ''}`);
    if (sorted.length > MAX_LISTED_ARRAYS) parts.push(`${sorted.length - MAX_LISTED_ARRAYS} more lists shortened`);
    if (this.strings) parts.push(`${this.strings} long string${this.strings === 1 ? '' : 's'} shortened (marked "… [N more chars]")`);
    if (this.droppedKeys) parts.push(`${this.droppedKeys} object keys left out`);
    const tokens = Math.round(maxChars / CHARS_PER_TOKEN).toLocaleString('en-US');
    const total = Math.round(originalChars / CHARS_PER_TOKEN).toLocaleString('en-US');
    return `[Cut to fit ~${tokens} tokens (the full result is ~${total} tokens): ${parts.join('; ') || 'shortened'}. To get less, ${advice}.]`;
  }

  /** Serialized length, memoized per object (each node is measured once per round). */
  private size(value: unknown): number {
    if (value === null || typeof value !== 'object') return JSON.stringify(value)?.length ?? 4;
    const known = this.sizes.get(value);
    if (known !== undefined) return known;
    let total = 2;
    if (Array.isArray(value)) {
      for (const item of value) total += this.size(item) + 1;
      if (value.length) total -= 1;
    } else {
      const entries = Object.entries(value);
      for (const [k, v] of entries) total += JSON.stringify(k).length + 1 + this.size(v) + 1;
      if (entries.length) total -= 1;
    }
    this.sizes.set(value, total);
    return total;
  }

  /** The smallest a value should be cut to: strings to a stub, arrays to [], objects to all their keys with such stubs. */
  private minSize(value: unknown): number {
    if (typeof value === 'string') return Math.min(this.size(value), MIN_STRING_KEEP + 24);
    if (value === null || typeof value !== 'object') return this.size(value);
    if (Array.isArray(value)) return 2;
    const known = this.mins.get(value);
    if (known !== undefined) return known;
    let total = 2;
    for (const [k, v] of Object.entries(value)) total += JSON.stringify(k).length + 2 + this.minSize(v);
    this.mins.set(value, total);
    return total;
  }

  private cutString(s: string, budget: number): string {
    this.strings++;
    let keep = Math.max(MIN_STRING_KEEP, budget - 24);
    for (;;) {
      // Never split a surrogate pair: the result must stay valid UTF-16.
      const end = /[\uD800-\uDBFF]/.test(s.charAt(keep - 1)) ? keep - 1 : keep;
      const candidate = `${s.slice(0, end)}… [${s.length - end} more chars]`;
      const over = JSON.stringify(candidate).length - budget;
      if (over <= 0 || keep <= MIN_STRING_KEEP) return candidate;
      keep = Math.max(MIN_STRING_KEEP, keep - over);
    }
  }

  /** Leading items that fit; a big item is cut to its share rather than crowding out the rest. */
  private fitArray(items: unknown[], budget: number, path: string): unknown[] {
    const out: unknown[] = [];
    let used = 2;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const remaining = budget - used - (out.length ? 1 : 0);
      if (remaining <= 0) break;
      const share = Math.min(remaining, Math.max(budget / ARRAY_ITEM_SHARE, remaining / (items.length - i)));
      // An item is never cut below its minimum (all keys kept): better one item fewer than a useless stub.
      const target = Math.max(share, this.minSize(item));
      let kept: unknown;
      if (this.size(item) <= target && this.size(item) <= remaining) kept = item;
      else if (target <= remaining) kept = this.fit(item, target, `${path}/${i}`);
      else if (out.length === 0) kept = this.fit(item, remaining, `${path}/${i}`);
      else break;
      out.push(kept);
      used += this.size(kept) + (out.length > 1 ? 1 : 0);
    }
    if (out.length < items.length) this.arrays.push({ path, kept: out.length, total: items.length });
    return out;
  }

  /**
   * Every key stays with at least a stub value when that fits; otherwise values may lose keys of their
   * own (deep levels go first), and only when even `{}`/`[]`/stubs do not fit are trailing keys left out.
   * Then water-filling: values from small to large each take their size or an equal share of what is left.
   */
  private fitObject(obj: Record<string, unknown>, budget: number, path: string): Record<string, unknown> {
    const keyCost = (k: string) => JSON.stringify(k).length + 2; // quotes, colon, comma
    let entries = Object.entries(obj);
    const soft = 2 + entries.reduce((sum, [k, v]) => sum + keyCost(k) + this.minSize(v), 0) <= budget;
    const floorOf = (v: unknown) => (soft ? this.minSize(v) : this.hardMinSize(v));
    if (!soft) {
      let floor = 2;
      const fitting: Array<[string, unknown]> = [];
      for (const [k, v] of entries) {
        floor += keyCost(k) + this.hardMinSize(v);
        if (floor > budget) break;
        fitting.push([k, v]);
      }
      this.droppedKeys += entries.length - fitting.length;
      entries = fitting;
    }
    let left = budget - 2 - entries.reduce((sum, [k]) => sum + keyCost(k), 0);
    const alloc = new Map<string, number>();
    const bySize = [...entries].sort((a, b) => this.size(a[1]) - this.size(b[1]));
    bySize.forEach(([k, v], i) => {
      const share = left / (bySize.length - i);
      const given = this.size(v) <= share ? this.size(v) : Math.max(floorOf(v), Math.floor(share));
      alloc.set(k, given);
      left -= given;
    });
    // fromEntries defines own properties, so a "__proto__" key in the data stays a plain key.
    return Object.fromEntries(entries.map(([k, v]) => [k, this.fit(v, alloc.get(k)!, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]));
  }

  /** The smallest a value can get at all: containers can be emptied. */
  private hardMinSize(value: unknown): number {
    return value !== null && typeof value === 'object' ? 2 : this.minSize(value);
  }
}
