// Cuts a JSON value that is too large to show, structurally: the result is still valid JSON with the
// same shape (arrays keep their leading items, objects keep their keys, long strings end in a marker),
// plus a notice saying what was cut and how to ask for less. Used for API responses and run_code results.
// Plain JS with no imports, one copy for both sides: the host imports it (src/exec/cut-response.ts), and
// each sandbox isolate compiles it as a module in a context of its own, where a run's result too long to
// copy out is cut under the run's CPU and memory limits (see cut-json.d.ts for the types).
// It works on the JSON text, never on a parse of all of it: sizes are spans of the text (one pass indexes
// where each array and object ends, 8 bytes apiece), and only what is kept is parsed. A 50 MB result
// costs its text and the index, not a second copy of every value with a size table beside it.

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

/** `value` must be JSON-serializable. The result serializes to at most ~maxChars characters. */
export function cutJson(value, maxChars, options = {}) {
  const text = JSON.stringify(value); // drops undefined, applies toJSON: sizes below are then exact
  if (text === undefined || text.length <= maxChars) return { value, truncated: false };
  return cutText(text, maxChars, options);
}

/** Compact JSON text (as JSON.stringify writes it) cut to ~maxChars, as JSON text again. */
export function cutJsonText(text, maxChars, options = {}) {
  if (text.length <= maxChars) return { json: text, truncated: false };
  const cut = cutText(text, maxChars, options);
  return { json: JSON.stringify(cut.value), truncated: true, notice: cut.notice };
}

function cutText(text, maxChars, options) {
  const doc = new JsonText(text);
  let budget = maxChars;
  let cutter = new Cutter(doc);
  let out = cutter.fit(0, budget, '');
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const size = JSON.stringify(out).length;
    if (size <= maxChars) break;
    budget = Math.floor(budget * (maxChars / size) * 0.95);
    cutter = new Cutter(doc);
    out = cutter.fit(0, budget, '');
  }
  return { value: out, truncated: true, notice: cutter.notice(maxChars, text.length, options.advice ?? DEFAULT_CUT_ADVICE) };
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const COMMA = 44;

/** Compact JSON text, read by position: a value is the offset where it starts. */
class JsonText {
  constructor(text) {
    this.text = text;
    // Start and end offsets of every array and object, in the order they open (so starts ascend).
    let starts = new Int32Array(64);
    let ends = new Int32Array(64);
    let count = 0;
    const open = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) i = this.stringEnd(i) - 1;
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (count === starts.length) {
          starts = grow(starts);
          ends = grow(ends);
        }
        starts[count] = i;
        open.push(count++);
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) ends[open.pop()] = i + 1;
    }
    this.starts = starts;
    this.ends = ends;
    this.count = count;
  }

  /** Offset just past the value at `p`. */
  end(p) {
    const c = this.text.charCodeAt(p);
    if (c === QUOTE) return this.stringEnd(p);
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      let lo = 0;
      let hi = this.count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.starts[mid] < p) lo = mid + 1;
        else hi = mid;
      }
      return this.ends[lo];
    }
    let i = p; // a number, true, false or null runs to the next delimiter
    while (i < this.text.length) {
      const d = this.text.charCodeAt(i);
      if (d === COMMA || d === CLOSE_ARRAY || d === CLOSE_OBJECT) break;
      i++;
    }
    return i;
  }

  stringEnd(p) {
    for (let i = p + 1; ; ) {
      const q = this.text.indexOf('"', i);
      let b = q - 1;
      while (this.text.charCodeAt(b) === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 0) return q + 1; // an even run of backslashes escapes nothing
      i = q + 1;
    }
  }

  size(p) {
    return this.end(p) - p;
  }

  isString(p) {
    return this.text.charCodeAt(p) === QUOTE;
  }
  isArray(p) {
    return this.text.charCodeAt(p) === OPEN_ARRAY;
  }
  isObject(p) {
    return this.text.charCodeAt(p) === OPEN_OBJECT;
  }

  /** The value itself (parsed): only for what is kept. */
  value(p) {
    return JSON.parse(this.text.slice(p, this.end(p)));
  }

  /** Where each item of the array at `p` starts. */
  items(p) {
    const out = [];
    if (this.text.charCodeAt(p + 1) === CLOSE_ARRAY) return out;
    for (let i = p + 1; ; i++) {
      out.push(i);
      i = this.end(i);
      if (this.text.charCodeAt(i) === CLOSE_ARRAY) return out;
    }
  }

  /** `[key, where its value starts, the key's length in JSON]` for each entry of the object at `p`, in order. */
  entries(p) {
    const out = [];
    if (this.text.charCodeAt(p + 1) === CLOSE_OBJECT) return out;
    for (let i = p + 1; ; i++) {
      const keyEnd = this.stringEnd(i);
      out.push([JSON.parse(this.text.slice(i, keyEnd)), keyEnd + 1, keyEnd - i]);
      i = this.end(keyEnd + 1);
      if (this.text.charCodeAt(i) === CLOSE_OBJECT) return out;
    }
  }

  /** Length of the string at `p` once unescaped. */
  stringLength(p) {
    const end = this.stringEnd(p) - 1;
    let length = end - p - 1;
    for (let i = this.text.indexOf('\\', p + 1); i >= 0 && i < end; i = this.text.indexOf('\\', i)) {
      const escape = this.text.charCodeAt(i + 1) === 117 /* u */ ? 6 : 2;
      length -= escape - 1;
      i += escape;
    }
    return length;
  }

  /** The first `n` characters of the string at `p`, unescaped (all of it when shorter). */
  stringPrefix(p, n) {
    const end = this.stringEnd(p) - 1;
    let i = p + 1;
    let count = 0;
    while (i < end && count < n) {
      const escape = this.text.indexOf('\\', i);
      const plainEnd = escape < 0 || escape > end ? end : escape;
      if (count + (plainEnd - i) >= n) {
        i += n - count;
        count = n;
        break;
      }
      count += plainEnd - i;
      i = plainEnd;
      if (i < end) {
        i += this.text.charCodeAt(i + 1) === 117 /* u */ ? 6 : 2;
        count++;
      }
    }
    return JSON.parse(`${this.text.slice(p, i)}"`);
  }
}

function grow(array) {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

class Cutter {
  constructor(doc) {
    this.doc = doc;
    this.mins = new Map();
    /** @type {Array<{ path: string, kept: number, total: number }>} */
    this.arrays = [];
    this.strings = 0;
    this.droppedKeys = 0;
  }

  /** The value at `p` in at most ~budget characters of JSON. */
  fit(p, budget, path) {
    const doc = this.doc;
    if (doc.size(p) <= budget) return doc.value(p);
    if (doc.isString(p)) return this.cutString(p, budget);
    if (doc.isArray(p)) return this.fitArray(p, budget, path);
    if (doc.isObject(p)) return this.fitObject(p, budget, path);
    return doc.value(p); // a number or boolean cannot shrink
  }

  notice(maxChars, originalChars, advice) {
    const parts = [];
    const sorted = [...this.arrays].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const a of sorted.slice(0, MAX_LISTED_ARRAYS)) parts.push(`showing ${a.kept} of ${a.total} items${a.path ? ` at ${a.path}` : ''}`);
    if (sorted.length > MAX_LISTED_ARRAYS) parts.push(`${sorted.length - MAX_LISTED_ARRAYS} more lists shortened`);
    if (this.strings) parts.push(`${this.strings} long string${this.strings === 1 ? '' : 's'} shortened (marked "… [N more chars]")`);
    if (this.droppedKeys) parts.push(`${this.droppedKeys} object keys left out`);
    const tokens = Math.round(maxChars / CHARS_PER_TOKEN).toLocaleString('en-US');
    const total = Math.round(originalChars / CHARS_PER_TOKEN).toLocaleString('en-US');
    return `[Cut to fit ~${tokens} tokens (the full result is ~${total} tokens): ${parts.join('; ') || 'shortened'}. To get less, ${advice}.]`;
  }

  /** The smallest a value should be cut to: strings to a stub, arrays to [], objects to all their keys with such stubs. */
  minSize(p) {
    const doc = this.doc;
    if (doc.isString(p)) return Math.min(doc.size(p), MIN_STRING_KEEP + 24);
    if (doc.isArray(p)) return 2;
    if (!doc.isObject(p)) return doc.size(p);
    const known = this.mins.get(p);
    if (known !== undefined) return known;
    let total = 2;
    for (const [, v, keyChars] of doc.entries(p)) total += keyChars + 2 + this.minSize(v);
    this.mins.set(p, total);
    return total;
  }

  /** The smallest a value can get at all: containers can be emptied. */
  hardMinSize(p) {
    return this.doc.isArray(p) || this.doc.isObject(p) ? 2 : this.minSize(p);
  }

  cutString(p, budget) {
    this.strings++;
    let keep = Math.max(MIN_STRING_KEEP, budget - 24);
    const length = this.doc.stringLength(p);
    const head = this.doc.stringPrefix(p, keep); // later rounds keep less of the same head
    for (;;) {
      // Never split a surrogate pair: the result must stay valid UTF-16.
      const end = /[\uD800-\uDBFF]/.test(head.charAt(keep - 1)) ? keep - 1 : keep;
      const candidate = `${head.slice(0, end)}… [${length - end} more chars]`;
      const over = JSON.stringify(candidate).length - budget;
      if (over <= 0 || keep <= MIN_STRING_KEEP) return candidate;
      keep = Math.max(MIN_STRING_KEEP, keep - over);
    }
  }

  /** Leading items that fit; a big item is cut to its share rather than crowding out the rest. */
  fitArray(p, budget, path) {
    const doc = this.doc;
    const items = doc.items(p);
    const out = [];
    let used = 2;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const size = doc.size(item);
      const remaining = budget - used - (out.length ? 1 : 0);
      if (remaining <= 0) break;
      const share = Math.min(remaining, Math.max(budget / ARRAY_ITEM_SHARE, remaining / (items.length - i)));
      // An item is never cut below its minimum (all keys kept): better one item fewer than a useless stub.
      const target = Math.max(share, this.minSize(item));
      let kept;
      if (size <= target && size <= remaining) kept = doc.value(item);
      else if (target <= remaining) kept = this.fit(item, target, `${path}/${i}`);
      else if (out.length === 0) kept = this.fit(item, remaining, `${path}/${i}`);
      else break;
      out.push(kept);
      used += JSON.stringify(kept).length + (out.length > 1 ? 1 : 0);
    }
    if (out.length < items.length) this.arrays.push({ path, kept: out.length, total: items.length });
    return out;
  }

  /**
   * Every key stays with at least a stub value when that fits; otherwise values may lose keys of their
   * own (deep levels go first), and only when even `{}`/`[]`/stubs do not fit are trailing keys left out.
   * Then water-filling: values from small to large each take their size or an equal share of what is left.
   */
  fitObject(p, budget, path) {
    const doc = this.doc;
    const keyCost = (keyChars) => keyChars + 2; // quotes included; colon, comma
    let entries = doc.entries(p);
    const soft = 2 + entries.reduce((sum, [, v, keyChars]) => sum + keyCost(keyChars) + this.minSize(v), 0) <= budget;
    const floorOf = (v) => (soft ? this.minSize(v) : this.hardMinSize(v));
    if (!soft) {
      let floor = 2;
      const fitting = [];
      for (const entry of entries) {
        floor += keyCost(entry[2]) + this.hardMinSize(entry[1]);
        if (floor > budget) break;
        fitting.push(entry);
      }
      this.droppedKeys += entries.length - fitting.length;
      entries = fitting;
    }
    let left = budget - 2 - entries.reduce((sum, [, , keyChars]) => sum + keyCost(keyChars), 0);
    const alloc = new Map();
    const bySize = [...entries].sort((a, b) => doc.size(a[1]) - doc.size(b[1]));
    bySize.forEach(([k, v], i) => {
      const share = left / (bySize.length - i);
      const given = doc.size(v) <= share ? doc.size(v) : Math.max(floorOf(v), Math.floor(share));
      alloc.set(k, given);
      left -= given;
    });
    // fromEntries defines own properties, so a "__proto__" key in the data stays a plain key.
    return Object.fromEntries(entries.map(([k, v]) => [k, this.fit(v, alloc.get(k), `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]));
  }
}
