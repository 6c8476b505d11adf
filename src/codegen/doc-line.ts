// Catalog descriptions run to paragraphs of markdown; a declaration only needs the gist, so
// every JSDoc we emit is one line: the first sentence, links reduced to their text, capped.

/** Longest JSDoc text emitted, in characters (~25 tokens). */
export const DOC_MAX_CHARS = 100;

/** The first sentence of `text` as one JSDoc-safe line without a trailing period, or '' when there is none. */
export function docLine(text: unknown, maxChars: number = DOC_MAX_CHARS): string {
  if (typeof text !== 'string') return '';
  let line =
    text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // markdown link → its text
      .replace(/<[^>]+>/g, '') // HTML tags
      .split(/\n\s*\n/)[0] ?? ''; // first paragraph
  line = line.replace(/\s+/g, ' ').trim();
  // First sentence: a period followed by a space and a capital, not after e.g./i.e./etc.
  const end = /(?<!\b(?:e\.g|i\.e|etc|vs))[.!?]\s+(?=[A-Z`"'(_*])/.exec(line);
  if (end) line = line.slice(0, end.index + 1);
  line = line.replace(/[.:]+$/, '');
  if (line.length > maxChars) {
    const cut = line.slice(0, maxChars - 1);
    const space = cut.lastIndexOf(' ');
    line = (space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(-]+$/, '') + '…';
  }
  return line.replace(/\*\//g, '*\\/');
}
