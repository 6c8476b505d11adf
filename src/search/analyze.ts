// Text → index terms, done the same way for tool text and for queries so both meet on one vocabulary.
// Orama's tokenizer only splits prose; tool names and routes need identifier splitting first.
import { components } from '@orama/orama';

/** Words that carry no meaning in a tool search ("how do I list my repos" → list repos). */
const STOP_WORDS = new Set(
  (
    'a an the this that these those it its to of for on in at by with from into onto as and or but ' +
    'is are was were be been being am have has had do does did can could should would will shall may might must ' +
    'i me my mine we us our you your he she they them their his her who whom whose what which how ' +
    'please want need let lets some any all every each via using use there here so if then than just also about like way able know'
  ).split(' '),
);

/**
 * Splits identifiers and prose into lowercase words:
 * `listForRepo`, `list_for_repo`, `list-for-repo`, `/repos/{owner}/{repo}` → list for repo, repos owner repo.
 * A run of Chinese characters stays one word (sentence-vectors.ts segments it), cut off any Latin or digits it touches.
 */
export function splitWords(text: string): string[] {
  return text
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll}{2})/gu, '$1 $2') // HTTPServer → HTTP Server, but PRs stays PRs
    .replace(/(\p{Script=Han})(?=[^\p{Script=Han}\s])|([^\p{Script=Han}\s])(?=\p{Script=Han})/gu, '$1$2 ') // 12306余票 → 12306 余票
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Stop words and single letters ("what's" → what, s). */
export function isStopWord(word: string): boolean {
  return word.length < 2 || STOP_WORDS.has(word);
}

export interface Analyzer {
  /** The index term of one lowercase word (its stem). */
  stem(word: string): string;
  /** Words of `text` minus stop words, stemmed; duplicates kept (they are term frequency). */
  terms(text: string): string[];
}

/** Each index owns its analyzer: the stemmer's cache lives here rather than in module state. */
export function createAnalyzer(): Analyzer {
  // Orama's English stemmer, with its stop words off: ours above are tuned for API queries.
  const base = components.tokenizer.createTokenizer({ language: 'english', stemming: true, stopWords: false });
  const stem = (word: string): string => base.normalizeToken('', word, true) || word;
  return {
    stem,
    terms: (text) => splitWords(text).filter((word) => !isStopWord(word)).map(stem),
  };
}
