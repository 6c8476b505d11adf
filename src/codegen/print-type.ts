// TsType → TypeScript text. Objects print on one line when short and undocumented, else one
// member per line: on GitHub this costs 2.5% more tokens than all-on-one-line (5% less than
// all-multi-line) and keeps the golden files readable.

import type { TsProp, TsType } from './ts-type.js';

/** Nested object types wider than this, in characters, print one member per line. */
export const INLINE_OBJECT_MAX_CHARS = 100;

export interface PrintOptions {
  /** The identifier for a `$defs` name. */
  name: (def: string) => string;
  /** Widest one-line object; `Infinity` forces everything onto one line (and drops docs). */
  inlineMaxChars?: number;
  /**
   * Result types as describe_tools shows them: how many levels of nested objects to print below the
   * object being printed (0: its own fields only). A deeper object prints as `object`; API links count
   * as one level down, like a named type, so where they are not shown one comment counts them.
   * Undefined: everything (the declarations run_code type-checks against).
   */
  levels?: number;
  /** Called whenever `levels` leaves something out, so the caller can say how to see it. */
  onLeftOut?: () => void;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INDENT = '  ';

export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** Whether `t` or any type nested in it (members, elements, property and index types) passes `test`. */
function anyNested(t: TsType, test: (t: TsType) => boolean): boolean {
  if (test(t)) return true;
  const nested = (u: TsType) => anyNested(u, test);
  switch (t.kind) {
    case 'union':
    case 'intersection':
      return t.members.some(nested);
    case 'array':
      return nested(t.element);
    case 'tuple':
      return t.elements.some(nested) || (t.rest !== undefined && nested(t.rest));
    case 'object':
      return t.props.some((p) => nested(p.type)) || (t.index !== undefined && nested(t.index));
    default:
      return false;
  }
}

function containsRef(t: TsType): boolean {
  return anyNested(t, (u) => u.kind === 'ref');
}

/** Whether a property, or any property nested in its type, carries a doc (which forces multi-line layout). */
function hasDocs(p: TsProp): boolean {
  return p.doc !== undefined || anyNested(p.type, (u) => u.kind === 'object' && u.props.some((q) => q.doc !== undefined));
}

/** `t` printed at `indent` (the indentation of the line it starts on). */
export function printType(t: TsType, options: PrintOptions, indent = ''): string {
  switch (t.kind) {
    case 'atom':
      return t.text;
    case 'ref':
      return options.name(t.def);
    case 'union':
      return t.members.map((m) => printType(m, options, indent)).join(' | ');
    case 'intersection':
      return t.members.map((m) => wrap(m, m.kind === 'union', options, indent)).join(' & ');
    case 'array':
      return `${wrap(t.element, t.element.kind === 'union' || t.element.kind === 'intersection', options, indent)}[]`;
    case 'tuple': {
      const items = t.elements.map((e) => printType(e, options, indent));
      if (t.rest !== undefined) items.push(`...${wrap(t.rest, t.rest.kind === 'union' || t.rest.kind === 'intersection', options, indent)}[]`);
      return `[${items.join(', ')}]`;
    }
    case 'object':
      return printObject(t.props, t.index, options, indent);
  }
}

function wrap(t: TsType, parenthesize: boolean, options: PrintOptions, indent: string): string {
  const text = printType(t, options, indent);
  return parenthesize ? `(${text})` : text;
}

/** Options for what is nested one level below an object. */
function nested(options: PrintOptions): PrintOptions {
  return options.levels === undefined ? options : { ...options, levels: options.levels - 1 };
}

function printObject(props: readonly TsProp[], index: TsType | undefined, options: PrintOptions, indent: string): string {
  if (props.length > 0 && options.levels !== undefined && options.levels < 0) {
    options.onLeftOut?.();
    return 'object';
  }
  if (props.length === 0 && index !== undefined && !containsRef(index)) {
    // `Record` is a type alias, so a def reaching itself through one would be circular; braces defer.
    return `Record<string, ${printType(index, nested(options), indent)}>`;
  }
  const max = options.inlineMaxChars ?? INLINE_OBJECT_MAX_CHARS;
  const oneLine = { ...options, inlineMaxChars: Infinity };
  const members = memberTexts(props, index, oneLine, '');
  const inline = members.length === 0 ? '{}' : `{ ${members.map((m) => m.text).join('; ')} }`;
  const documented = max !== Infinity && props.some(hasDocs);
  if (!documented && inline.length <= max) return inline;
  return `{\n${printMembers(props, index, options, indent + INDENT)}${indent}}`;
}

/**
 * Member lines of an object body at `indent`, each ending in `;\n`. A doc follows its member as a line
 * comment (above it when the member spans lines): GitHub's issues_create described in 621 tokens, not 670
 * with a JSDoc line above each member.
 */
export function printMembers(props: readonly TsProp[], index: TsType | undefined, options: PrintOptions, indent: string): string {
  return memberTexts(props, index, options, indent)
    .map((m) => {
      if (m.comment) return `${indent}${m.text}\n`;
      if (m.doc === undefined) return `${indent}${m.text};\n`;
      return m.text.includes('\n') ? `${indent}// ${m.doc}\n${indent}${m.text};\n` : `${indent}${m.text}; // ${m.doc}\n`;
    })
    .join('');
}

function memberTexts(
  props: readonly TsProp[],
  index: TsType | undefined,
  options: PrintOptions,
  indent: string,
): Array<{ text: string; doc?: string; comment?: true }> {
  const shown = options.levels !== undefined && options.levels < 1 ? props.filter((p) => !p.link) : props;
  const inner = nested(options);
  const members: Array<{ text: string; doc?: string; comment?: true }> = shown.map((p) => ({
    text: `${propertyKey(p.key)}${p.optional ? '?' : ''}: ${printType(p.type, inner, indent)}`,
    ...(p.doc !== undefined ? { doc: p.doc } : {}),
  }));
  if (index !== undefined) members.push({ text: `[key: string]: ${printType(index, inner, indent)}` });
  const links = props.length - shown.length;
  if (links > 0) {
    options.onLeftOut?.();
    members.push({ text: `/* +${links} API link${links === 1 ? '' : 's'} */`, comment: true });
  }
  return members;
}
