// What a person sees when the command line is wrong: one line naming the problem and, for a mistyped
// flag, the nearest real one (node's parseArgs only says "Unknown option"), instead of the whole usage.
import { readFileSync } from 'node:fs';
import { distance as editDistance } from 'fastest-levenshtein';

/** The package's version, read once from its package.json (the same file npm installs). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The known flag nearest to `typed` (`--opneapi` → `--openapi`), when it is near enough to be a typo. */
export function nearestFlag(typed: string, known: readonly string[]): string | undefined {
  const bare = typed.replace(/^-+/, '').replace(/=.*$/, '').toLowerCase();
  const best = known.map((k) => ({ k, d: editDistance(bare, k) })).sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))[0];
  // A third of the word, at least 2 edits: catches swaps and missing letters, not unrelated words.
  return best && best.d <= Math.max(2, Math.floor(bare.length / 3)) ? `--${best.k}` : undefined;
}

/** parseArgs' error → one or two lines for stderr. */
export function argsErrorMessage(error: Error & { code?: string }, known: readonly string[]): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
    const near = nearestFlag(typed, known);
    return `unknown option ${typed}.${near ? ` Did you mean ${near}?` : ''} (toolshed --help lists every flag)`;
  }
  return `${error.message.split('. To specify')[0]} (toolshed --help lists every flag)`;
}
