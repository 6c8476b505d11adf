// Code Mode's view of a catalog: one `declare namespace` per catalog with an async function per
// tool, typed inputs and (unlike peers) typed outputs. Hand-written rather than a schema-to-TS
// library because the emission is token-tuned and that is our edge: shared defs named once and
// referenced, one-line docs, enums as literal unions, short inputs inlined. The output is an
// ambient `.d.ts` for the global scope, so a program calls `github.repos_get(...)` without imports.

import type { ToolEntry } from '../catalog/tool-entry.js';
import { type CodegenPlan, resolvePlan } from './codegen-plan.js';
import { type DefTypes, forEachRef, isInterface, reachableDefs, shareToolShapes } from './def-types.js';
import { docLine } from './doc-line.js';
import { printMembers, printType, type PrintOptions } from './print-type.js';
import { schemaToType } from './schema-to-type.js';
import { type TsType, UNKNOWN } from './ts-type.js';
import { isDeclarableName, type NamespaceTypeNames } from './type-names.js';

/** A tool's input or output type longer than this on one line, in characters, is named (`IssuesCreateInput`). */
export const INLINE_SIGNATURE_TYPE_MAX_CHARS = 100;

export interface EmitOptions {
  /** The catalog's plan (`planCodegen(catalog.tools)`, kept beside the catalog): subsets then print as the full catalog does. */
  plan?: CodegenPlan;
  /** One-line JSDoc on tool input properties (default true; see DEFAULT_INPUT_DOCS). */
  inputDocs?: boolean;
  inlineSignatureMaxChars?: number;
  /**
   * How many reference steps of named types to declare (describe_tools: 1, the types the functions
   * name; deeper ones stay names the model can ask for). Default: all, as run_code type-checks.
   */
  depth?: number;
}

/**
 * Input property docs cost +12% on a describe_tools answer (GitHub, one tool: 414 → 462 tokens;
 * +47% on the whole catalog, where outputs are shared) but carry what names cannot: limits,
 * accepted syntax ("a comma-separated list of label names"). Kept. Output and shared-type docs are
 * dropped: the model reads results rather than builds them.
 */
const DEFAULT_INPUT_DOCS = true;

/**
 * The whole catalog's declarations as run_code type-checks programs against them: no model reads
 * them (describe_tools prints the parts it needs, with docs), so they carry no docs (GitHub: 184,559
 * → 125,896 tokens, 822 → 542 KB for the checker to parse).
 */
export const TYPECHECK_EMIT: EmitOptions = { inputDocs: false };

const INDENT = '  ';

/** What one tool contributes to its namespace. */
interface ToolTypes {
  entry: ToolEntry;
  /** undefined: the tool takes no input. */
  input: TsType | undefined;
  inputOptional: boolean;
  output: TsType;
  /** Set when the type is too long to inline and is declared under its own name. */
  inputName?: string;
  outputName?: string;
}

const flat: Omit<PrintOptions, 'name'> = { inlineMaxChars: Infinity };

function toolTypes(entry: ToolEntry, plan: NamespaceTypeNames, defs: DefTypes, options: EmitOptions): ToolTypes {
  const docs = options.inputDocs ?? DEFAULT_INPUT_DOCS;
  const max = options.inlineSignatureMaxChars ?? INLINE_SIGNATURE_TYPE_MAX_CHARS;
  const print: PrintOptions = { ...flat, name: (def) => plan.defs.get(def) ?? 'unknown' };
  const inputType = shareToolShapes(schemaToType(entry.input.root, { docs }), entry, defs.shapes);
  // An object without properties takes no arguments, unless it is a real map (`Record<string, string>`).
  const noInput =
    inputType.kind === 'object' &&
    inputType.props.length === 0 &&
    (inputType.index === undefined || ['unknown', 'never'].includes(printType(inputType.index, print)));
  const input = noInput ? undefined : inputType;
  const inputOptional = input?.kind === 'object' && input.props.every((p) => p.optional);
  const output = entry.output ? shareToolShapes(schemaToType(entry.output.root, { docs: false }), entry, defs.shapes) : UNKNOWN;
  const named = (t: TsType | undefined) => t !== undefined && t.kind !== 'ref' && printType(t, print).length > max;
  return {
    entry,
    input,
    inputOptional,
    output,
    ...(named(input) ? { inputName: plan.toolTypes.get(`${entry.name}:input`)! } : {}),
    ...(named(output) ? { outputName: plan.toolTypes.get(`${entry.name}:output`)! } : {}),
  };
}

function assertDeclarable(kind: string, name: string): void {
  if (!isDeclarableName(name)) throw new Error(`codegen: ${kind} '${name}' is not a declarable identifier`);
}

/** `name(input: T): Promise<O>` with types one-line, or multi-line at `indent` when `print` allows; `printOutput` for the result type. */
function signature(t: ToolTypes, print: PrintOptions, indent: string, printOutput: PrintOptions = print): string {
  const param =
    t.input === undefined
      ? ''
      : `input${t.inputOptional ? '?' : ''}: ${t.inputName ?? printType(t.input, print, indent)}`;
  return `${t.entry.name}(${param}): Promise<${t.outputName ?? printType(t.output, printOutput, indent)}>`;
}

/**
 * The one-line signature search results show in code mode, e.g.
 * `github.repos_get(input: { owner: string; repo: string }): Promise<FullRepository>`.
 * Type names match the declarations when given the catalog's `plan`.
 */
export function signatureLine(entry: ToolEntry, options: EmitOptions = {}): string {
  const { names, defs } = resolvePlan(options.plan, entry.namespace, [entry]);
  const t = toolTypes(entry, names, defs, options);
  return `${entry.namespace}.${signature(t, { ...flat, name: (def) => names.defs.get(def) ?? 'unknown' }, '')}`;
}

/** The full `declare namespace <namespace> { ... }` for a catalog's tools. */
export function emitCatalogDeclarations(namespace: string, tools: readonly ToolEntry[], options: EmitOptions = {}): string {
  for (const tool of tools) {
    if (tool.namespace !== namespace) throw new Error(`codegen: tool '${tool.id}' is not in namespace '${namespace}'`);
  }
  return emitNamespace(namespace, tools, options);
}

/** Declarations for just `tools` and the types they reference, one namespace block per catalog. */
export function emitToolDeclarations(tools: readonly ToolEntry[], options: EmitOptions = {}): string {
  const byNamespace = new Map<string, ToolEntry[]>();
  for (const tool of tools) {
    const group = byNamespace.get(tool.namespace);
    if (group) group.push(tool);
    else byNamespace.set(tool.namespace, [tool]);
  }
  return [...byNamespace].map(([ns, group]) => emitNamespace(ns, group, options)).join('\n');
}

function emitNamespace(namespace: string, tools: readonly ToolEntry[], options: EmitOptions): string {
  assertDeclarable('namespace', namespace);
  const { names, defs } = resolvePlan(options.plan, namespace, tools);
  const print: PrintOptions = { name: (def) => (defs.types.has(def) ? names.defs.get(def) ?? 'unknown' : 'unknown') };
  const inner = INDENT + INDENT;
  const depth = options.depth !== undefined && Number.isFinite(options.depth) ? options.depth : undefined;
  // describe_tools (a depth limit): named types one line each (~10% fewer tokens for the model to read);
  // result types show `depth` levels of fields: a type declared at level L keeps depth - L levels of nesting.
  let leftOut = false;
  const compact = depth !== undefined ? { ...print, inlineMaxChars: Infinity } : undefined;
  const result = (levels: number): PrintOptions => ({ ...compact!, levels, onLeftOut: () => void (leftOut = true) });

  const lines: string[] = [];
  const inputRoots: TsType[] = [];
  const roots: TsType[] = [];
  for (const tool of tools) {
    assertDeclarable('tool name', tool.name);
    const t = toolTypes(tool, names, defs, options);
    const summary = docLine(tool.summary);
    if (summary) lines.push(`${INDENT}/** ${summary} */\n`);
    lines.push(`${INDENT}function ${signature(t, print, INDENT, depth !== undefined ? result(depth) : print)};\n`);
    if (t.input !== undefined && t.inputName) lines.push(declareType(t.inputName, t.input, print, INDENT, inner));
    if (t.outputName) lines.push(declareType(t.outputName, t.output, depth !== undefined ? result(depth - 1) : print, INDENT, inner));
    if (t.input !== undefined) inputRoots.push(t.input);
    roots.push(...(t.input !== undefined ? [t.input] : []), t.output);
  }

  const levels = new Map<string, number>();
  const reached = reachableDefs(roots, defs, depth, levels);
  // Types an input reaches are printed whole: the model builds those values, field by field.
  const inputs = depth !== undefined ? reachableDefs(inputRoots, defs, depth) : undefined;
  const printDef = (def: string): PrintOptions => (compact === undefined ? print : inputs?.has(def) ? compact : result(depth! - levels.get(def)!));
  const types = [...reached].map(([def, type]) => declareType(names.defs.get(def)!, type, printDef(def), INDENT, inner));
  const body = lines.join('') + (types.length > 0 ? '\n' + types.join('') : '') + notExpanded(reached, defs, depth, leftOut);
  return `declare namespace ${namespace} {\n${body}}\n`;
}

/**
 * With a depth limit, when something was left out (types named but not declared, nested objects, API
 * links): one comment saying how to see it (the names are in the declarations above; listing them
 * again measured ~40 tokens per answer).
 */
function notExpanded(reached: Map<string, TsType>, defs: DefTypes, depth: number | undefined, leftOut: boolean): string {
  if (depth === undefined) return '';
  let deeper = leftOut;
  for (const type of reached.values()) forEachRef(type, (def) => void (deeper ||= defs.types.has(def) && !reached.has(def)));
  return deeper ? `${INDENT}// describe_tools depth ${depth + 1} declares the named types, nested objects and API links left out here.\n` : '';
}

/** Objects with properties become interfaces (one token cheaper than `type X =`, and never circular). */
function declareType(name: string, type: TsType, print: PrintOptions, indent: string, inner: string): string {
  if (isInterface(type) && print.inlineMaxChars === Infinity) return `${indent}interface ${name} ${printType(type, print, indent)}\n`;
  if (isInterface(type)) {
    return `${indent}interface ${name} {\n${printMembers(type.props, type.index, print, inner)}${indent}}\n`;
  }
  return `${indent}type ${name} = ${printType(type, print, indent)};\n`;
}
