// Token counts for the benchmark: o200k_base (gpt-tokenizer) always, and the Claude tokenizer of
// @anthropic-ai/tokenizer as a second, approximate column when it is installed (it is a dev
// dependency: an install without it gets "n/a"). Both are loaded on demand so the server never pays
// for them.
import { ConfigError } from '../errors.js';

/** One figure in both tokenizers; `claude` is undefined when its tokenizer is not installed. */
export interface Tokens {
  o200k: number;
  claude?: number;
}

export interface TokenCounter {
  count(text: string): Tokens;
  /** Whether the Claude column is measured (else it prints "n/a"). */
  readonly hasClaude: boolean;
  /** Frees the Claude tokenizer's WebAssembly memory. */
  close(): void;
}

type Encode = (text: string) => number;

export async function loadTokenCounter(options: { claude?: boolean } = {}): Promise<TokenCounter> {
  const o200k = await loadO200k();
  const claude = options.claude === false ? undefined : await loadClaude();
  return {
    count: (text) => (claude ? { o200k: o200k(text), claude: claude.encode(text) } : { o200k: o200k(text) }),
    hasClaude: claude !== undefined,
    close: () => claude?.free(),
  };
}

async function loadO200k(): Promise<Encode> {
  try {
    const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
    return (text) => encode(text).length;
  } catch (e) {
    throw new ConfigError('toolshed bench needs the gpt-tokenizer package (o200k_base): npm install gpt-tokenizer', { cause: e });
  }
}

interface ClaudeTokenizer {
  encode: Encode;
  free(): void;
}

async function loadClaude(): Promise<ClaudeTokenizer | undefined> {
  let mod: { getTokenizer?: () => { encode(text: string, allowedSpecial: 'all'): Uint32Array; free(): void } };
  try {
    mod = (await import('@anthropic-ai/tokenizer')) as typeof mod;
  } catch {
    return undefined; // a dev dependency: absent from a production install
  }
  const getTokenizer = mod.getTokenizer ?? (mod as { default?: typeof mod }).default?.getTokenizer;
  if (!getTokenizer) return undefined;
  // countTokens(text) rebuilds the tokenizer on every call (~60 ms); this is its body with one tokenizer kept.
  const tokenizer = getTokenizer();
  return { encode: (text) => tokenizer.encode(text.normalize('NFKC'), 'all').length, free: () => tokenizer.free() };
}

export function addTokens(a: Tokens, b: Tokens): Tokens {
  return a.claude !== undefined && b.claude !== undefined ? { o200k: a.o200k + b.o200k, claude: a.claude + b.claude } : { o200k: a.o200k + b.o200k };
}

export const ZERO_TOKENS: Tokens = { o200k: 0, claude: 0 };

/** Sums figures; the Claude column survives only if every part has it. */
export function sumTokens(all: Iterable<Tokens>): Tokens {
  let total = ZERO_TOKENS;
  for (const t of all) total = addTokens(total, t);
  return total;
}
