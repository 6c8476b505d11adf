// Checks the model's arguments against a tool's input schema before anything is sent, and says what
// is wrong in words the model can act on (path + expected type/enum), not ajv's generic messages.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, ToolEntry } from '../catalog/tool-entry.js';
import { INVALID_ARGUMENTS_NEXT, type ToolFailure } from '../errors.js';

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose `.default` is the plugin.
const addFormats = addFormatsModule.default;

/** Enough problems for the model to fix a call in one go, few enough to stay readable. */
export const MAX_REPORTED_ERRORS = 8;
/** Long allowed-name lists are cut: the model can call describe_tools for the rest. */
const MAX_LISTED_NAMES = 20;

export { INVALID_ARGUMENTS_NEXT } from '../errors.js';

export interface ArgsValidator {
  /** undefined when the arguments are valid. */
  validate(entry: ToolEntry, args: Record<string, unknown>): ToolFailure | undefined;
}

/** One ajv instance and one compiled validator per tool id, compiled on first use (a catalog has thousands of tools). */
export function createArgsValidator(): ArgsValidator {
  // strict: false because catalogs carry vendor keywords and formats; logger off or every unknown format warns on stderr.
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, logger: false });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction | Error>();

  const compile = (entry: ToolEntry): ValidateFunction | Error => {
    let fn = compiled.get(entry.id);
    if (!fn) {
      try {
        fn = ajv.compile({ ...entry.input.root, $defs: entry.input.defs });
      } catch (e) {
        fn = e as Error; // a schema ajv cannot compile: remember that rather than retrying every call
      }
      compiled.set(entry.id, fn);
    }
    return fn;
  };

  return {
    validate(entry, args) {
      const problems = unknownRootProperties(entry, args);
      const fn = compile(entry);
      if (!(fn instanceof Error) && !fn(args)) problems.push(...describeErrors(fn.errors ?? []));
      // A schema that does not compile is the catalog's fault: send the request and let the API judge.
      const unique = [...new Set(problems)];
      if (unique.length === 0) return undefined;
      const shown = unique.slice(0, MAX_REPORTED_ERRORS);
      const more = unique.length - shown.length;
      return {
        code: 'invalid_arguments',
        message: `Invalid arguments for ${entry.id}: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`,
        next: INVALID_ARGUMENTS_NEXT,
      };
    },
  };
}

/**
 * Extra top-level properties are refused even when the root schema does not say
 * additionalProperties:false (hand-built or upstream schemas): an unknown name is almost always a typo.
 */
function unknownRootProperties(entry: ToolEntry, args: Record<string, unknown>): string[] {
  const root = resolveRoot(entry);
  const properties = root.properties;
  if (!properties || typeof properties !== 'object') return [];
  if (root.additionalProperties === false) return []; // ajv reports these, with the same wording
  const allowed = Object.keys(properties);
  return Object.keys(args)
    .filter((k) => !Object.hasOwn(properties, k))
    .map((k) => unknownProperty('', k, allowed));
}

function resolveRoot(entry: ToolEntry): JsonSchema {
  let schema = entry.input.root;
  for (let hops = 0; typeof schema.$ref === 'string' && hops < 8; hops++) {
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : entry.input.defs[decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target) break;
    schema = target;
  }
  return schema;
}

/** ajv errors → short sentences; anyOf/oneOf branch noise is folded into one line per location. */
export function describeErrors(errors: ErrorObject[]): string[] {
  const composites = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  // Errors from inside the branches of a failed anyOf/oneOf only repeat, branch by branch, what its line says.
  const insideBranch = (e: ErrorObject) =>
    composites.some(
      (c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`) && (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`)),
    );
  return errors.filter((e) => !insideBranch(e)).map(describeError);
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return prefix(at, `missing required property "${String(params.missingProperty)}"`);
    case 'additionalProperties': {
      const props = (e.parentSchema as JsonSchema | undefined)?.properties;
      return unknownProperty(at, String(params.additionalProperty), props && typeof props === 'object' ? Object.keys(props) : []);
    }
    case 'type':
      return prefix(at, `must be ${String(params.type).split(',').join(' or ')}`);
    case 'enum':
      return prefix(at, `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'const':
      return prefix(at, `must be ${JSON.stringify(params.allowedValue)}`);
    case 'anyOf':
    case 'oneOf':
      return prefix(at, `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'one'} of the allowed shapes: ${shapesOf(e.schema)}`);
    default:
      return prefix(at, e.message ?? `fails "${e.keyword}"`);
  }
}

function unknownProperty(at: string, name: string, allowed: string[]): string {
  const list = allowed.length > MAX_LISTED_NAMES ? `${allowed.slice(0, MAX_LISTED_NAMES).join(', ')}, ...` : allowed.join(', ');
  return prefix(at, `unknown property "${name}"${allowed.length ? ` (allowed: ${list})` : ''}`);
}

/** A one-word hint per anyOf/oneOf branch: its type, enum or $ref name. */
function shapesOf(branches: unknown): string {
  if (!Array.isArray(branches)) return 'see the schema';
  return branches
    .map((b: JsonSchema) => {
      if (typeof b.$ref === 'string') return b.$ref.replace(/^#\/\$defs\//, '');
      if (Array.isArray(b.enum)) return b.enum.map((v) => JSON.stringify(v)).join('|');
      if (b.type !== undefined) return Array.isArray(b.type) ? b.type.join('|') : String(b.type);
      return 'object';
    })
    .join(', ');
}

function prefix(at: string, text: string): string {
  return at ? `${at}: ${text}` : text;
}
