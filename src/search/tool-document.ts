// What of a tool is searchable, one text per field, with the noise of real catalogs taken out:
// markdown links and URLs, side notes, and the boilerplate sentences a catalog repeats on many tools
// ("This endpoint triggers notifications.") that would otherwise match every query that mentions them.
import type { JsonSchema, ToolEntry } from '../catalog/tool-entry.js';

export interface DescriptionLimits {
  /** Only the first paragraphs say what a tool does; the rest (media types, caveats) swamps BM25. */
  maxParagraphs: number;
  maxChars: number;
  /** A sentence found in at least this many tools' descriptions is boilerplate and is dropped. */
  boilerplateMinTools: number;
}

export const DEFAULT_DESCRIPTION_LIMITS: DescriptionLimits = {
  maxParagraphs: 2,
  maxChars: 600,
  boilerplateMinTools: 5,
};

/** The raw (not yet analyzed) text of each searchable field. */
export interface ToolText {
  name: string;
  route: string;
  summary: string;
  description: string;
  tags: string;
  params: string;
}

export function toolText(entry: ToolEntry, description: string): ToolText {
  const route = entry.binding.kind === 'http' ? `${entry.binding.method} ${entry.binding.path}` : '';
  return {
    name: entry.name,
    route,
    summary: entry.summary,
    description,
    tags: entry.tags.join(' '),
    params: inputNames(entry).join(' '),
  };
}

/** Which parts of a tool the embedding model reads. */
export interface EmbeddingTextOptions {
  /** Sentences of the cleaned description kept: a SIF average blurs as texts grow. */
  descriptionSentences: number;
  params: boolean;
  tags: boolean;
}

export const DEFAULT_EMBEDDING_TEXT: EmbeddingTextOptions = { descriptionSentences: 1, params: true, tags: true };

/** What the tool does in few words: name, summary, the description's opening, route words, inputs. */
export function embeddingText(text: ToolText, options: EmbeddingTextOptions = DEFAULT_EMBEDDING_TEXT): string {
  const opening = sentences(text.description).slice(0, options.descriptionSentences).join(' ');
  // Path words only: the method is a verb the name and summary already say better.
  const route = text.route.replace(/^\S+ /, '').replace(/\{[^}]*\}/g, ' ');
  return [text.name, text.summary, opening, route, options.params ? text.params : '', options.tags ? text.tags : ''].join(' . ');
}

/** Sentences (normalized) that appear in the descriptions of at least `minTools` tools. */
export function findBoilerplate(tools: readonly ToolEntry[], minTools: number): Set<string> {
  const counts = new Map<string, number>();
  for (const entry of tools) {
    const seen = new Set(paragraphs(entry.description).flatMap(sentences).map(sentenceKey));
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= minTools).map(([key]) => key));
}

/** The description's first paragraphs in plain text, boilerplate sentences removed. */
export function cleanDescription(text: string, boilerplate: ReadonlySet<string>, limits: DescriptionLimits): string {
  const kept: string[] = [];
  for (const paragraph of paragraphs(text)) {
    const own = sentences(paragraph).filter((s) => !boilerplate.has(sentenceKey(s)));
    if (own.length > 0) kept.push(own.join(' '));
    if (kept.length >= limits.maxParagraphs) break;
  }
  return kept.join('\n\n').slice(0, limits.maxChars);
}

function paragraphs(markdown: string): string[] {
  return stripMarkdown(markdown)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ') // code samples
    .replace(/^\s*>.*$/gm, ' ') // blockquotes: side notes and admonitions
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](url) → text
    .replace(/<[^>]+>/g, ' ') // HTML tags and <autolinks>
    .replace(/\bhttps?:\/\/\S+/g, ' ');
}

function sentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?])\s+(?=[A-Z"'`*(])/).filter(Boolean);
}

function sentenceKey(sentence: string): string {
  return sentence.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Input property names, with the body's own properties instead of `body`. */
function inputNames(entry: ToolEntry): string[] {
  const bodyProperty = entry.binding.kind === 'http' ? entry.binding.body?.property : undefined;
  const names: string[] = [];
  for (const [name, schema] of Object.entries(propertiesOf(entry.input.root))) {
    if (name === bodyProperty) names.push(...Object.keys(propertiesOf(resolveRef(schema, entry.input.defs))));
    else names.push(name);
  }
  return names;
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const properties = schema?.properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, JsonSchema>) : {};
}

function resolveRef(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith('#/$defs/') ? defs[ref.slice('#/$defs/'.length)] : schema;
}
