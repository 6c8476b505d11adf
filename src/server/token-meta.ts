// A meta-tool result's own size, for a client that asks (`_meta: {"toolshed/tokens": true}` on the
// tools/call request): o200k tokens of its text content and of its structuredContent, so a user sees
// what each call costs the model. Counted only when asked: the count itself would cost tokens on
// every call, and Claude Desktop-style clients show neither the model nor the user `_meta`.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const TOKENS_META_KEY = 'toolshed/tokens';

export interface TokenCounts {
  /** o200k tokens of the text content items, joined: what a text-only client gives the model. */
  text: number;
  /** o200k tokens of structuredContent as JSON, when the result has one. */
  structured?: number;
}

type Encode = (text: string) => number[];
let encoder: Promise<Encode> | undefined;

/** gpt-tokenizer is a runtime dependency; its o200k table loads on the first count, not at start-up. */
function o200k(): Promise<Encode> {
  return (encoder ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => m.encode));
}

export function wantsTokenCounts(requestMeta: Record<string, unknown> | undefined): boolean {
  return requestMeta?.[TOKENS_META_KEY] === true;
}

export async function withTokenCounts(result: CallToolResult): Promise<CallToolResult> {
  const encode = await o200k();
  const text = result.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
  const counts: TokenCounts = { text: encode(text).length, ...(result.structuredContent ? { structured: encode(JSON.stringify(result.structuredContent)).length } : {}) };
  return { ...result, _meta: { ...result._meta, [TOKENS_META_KEY]: counts } };
}
