// The default response profile ("lean"): a JSON result without what nobody reads, with a one-line
// notice of what was left out and how to get it. Left out, in objects only (list items keep their
// places):
//   - links back into the API itself: strings that are URLs on the API's own servers, or URI templates
//     there (`"url": "https://api.github.com/repos/o/r"`, `"events_url": "…/events{/privacy}"`, HAL
//     `_links` hrefs). The model calls tools by name, never by URL, so these cost tokens and do nothing.
//     Links elsewhere stay: a web page (`html_url` on github.com), an avatar, a clone URL.
//   - null, "", [] and {} values (also objects emptied by the rule above).
// The rule reads values, not field names, so it holds for any API that links to itself; it measured
// 70% of GitHub's result tokens. When the saving would not pay for the notice, nothing is left out.

export const RESPONSE_PROFILES = ['lean', 'raw'] as const;
export type ResponseProfile = (typeof RESPONSE_PROFILES)[number];
export const DEFAULT_RESPONSE_PROFILE: ResponseProfile = 'lean';

export interface Trimmed {
  value: unknown;
  /** The one-line notice; absent when nothing was left out. */
  notice?: string;
}

/** Link field names shown in the notice, at most (the rest are counted). */
const LISTED_KEYS_MAX = 3;
/**
 * Trim only when it saves at least this many times the notice's characters: JSON of URLs and the
 * notice's prose run at similar characters per token, so a 2x margin keeps the notice cheaper than
 * what it saves whatever the tokenizer.
 */
const MIN_SAVING_FACTOR = 2;

/**
 * `apiOrigins`: the API's own origins (`https://api.github.com`): the spec's servers and any override.
 * `keep`: dot paths (lists walked through, as `select` writes them) never left out: what the model asked for.
 */
export function trimResponse(value: unknown, apiOrigins: Iterable<string>, keep: ReadonlySet<string> = new Set()): Trimmed {
  if (value === null || typeof value !== 'object') return { value };
  const trimmer = new Trimmer([...apiOrigins], keep);
  const trimmed = trimmer.walk(value, '');
  if (!trimmer.links && !trimmer.empty) return { value };
  const notice = trimmer.notice();
  const saved = JSON.stringify(value).length - JSON.stringify(trimmed).length;
  return saved >= notice.length * MIN_SAVING_FACTOR ? { value: trimmed, notice } : { value };
}

class Trimmer {
  links = 0;
  empty = 0;
  private readonly linkKeys = new Map<string, number>();
  private readonly prefixes: string[];

  constructor(
    origins: string[],
    private readonly keep: ReadonlySet<string>,
  ) {
    // `https://api.github.com` matches `https://api.github.com/…` and the bare origin, not `https://api.github.com.evil`.
    this.prefixes = origins.map((o) => o.replace(/\/$/, ''));
  }

  walk(value: unknown, path: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.walk(item, path));
    if (value === null || typeof value !== 'object') return value;
    const kept: Array<[string, unknown]> = [];
    for (const [key, field] of Object.entries(value)) {
      const fieldPath = path ? `${path}.${key}` : key;
      const asked = this.keep.has(fieldPath);
      if (!asked && typeof field === 'string' && this.isApiLink(field)) {
        this.links++;
        this.linkKeys.set(key, (this.linkKeys.get(key) ?? 0) + 1);
        continue;
      }
      const inner = this.walk(field, fieldPath);
      if (!asked && isEmpty(inner)) {
        this.empty++;
        continue;
      }
      kept.push([key, inner]);
    }
    // fromEntries defines own properties, so a "__proto__" key in the data stays a plain key.
    return Object.fromEntries(kept);
  }

  notice(): string {
    const parts: string[] = [];
    if (this.links) {
      const keys = [...this.linkKeys].sort((a, b) => b[1] - a[1]).map(([k]) => k);
      const listed = keys.slice(0, LISTED_KEYS_MAX).join(', ') + (keys.length > LISTED_KEYS_MAX ? ` +${keys.length - LISTED_KEYS_MAX} more` : '');
      parts.push(`${this.links} API link${this.links === 1 ? '' : 's'} (${listed})`);
    }
    if (this.empty) parts.push(`${this.empty} null/empty field${this.empty === 1 ? '' : 's'}`);
    return `[Left out ${parts.join(' and ')}; "raw": true returns everything.]`;
  }

  private isApiLink(text: string): boolean {
    return this.prefixes.some((p) => text === p || text.startsWith(`${p}/`) || text.startsWith(`${p}{`));
  }
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
