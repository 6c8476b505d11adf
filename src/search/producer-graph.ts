// Which operation produces each value another operation consumes, per catalog: the plan behind a search
// result ("needs person_id: from movies.search_person"). Built once at index time by a pure function
// into plain data (tool id → needs), so it can be cached with the index as JSON.
//
// A consumed value is a required path parameter, or a required query parameter that names a thing
// (`channel`, `owner`, `deviceId`); one declared with an enum is picked by the caller, not consumed.
// Its producer is, in the same catalog, a read operation whose response carries the value: a field of
// the same name (`dag_id`), or the identity field (`id`, `gid`, `key`, `index`, `name`) of a list or
// search of the same resource (the noun of the path or the tool name: `/devices/{id}` ← `GET /devices`),
// the GET of the very collection the parameter indexes first. The graph also pairs such a list with the
// read of one of its items (`details`). OpenAPI `links` are not read: the catalog loader drops them
// (few published specs declare any); MCP tools are matched on their input and output schemas and names.
import type { JsonSchema, ToolEntry } from '../catalog/tool-entry.js';
import { createAnalyzer, splitWords } from './analyze.js';
import { responseFields, type ResponseFields } from './schema-fields.js';

/** One value a tool needs and the tool (`namespace.name`) whose result gives it. */
export interface Need {
  param: string;
  from: string;
}

/** Plain data: tool id → what it needs, for tools that need something a catalog tool produces. */
export interface ProducerGraph {
  needs: Record<string, Need[]>;
  /**
   * Per catalog, the values most of its tools need (`owner` and `repo` on GitHub, a workspace): the
   * scope a user works in and names, not a lookup. They stay in `needs`; plans do not add their producers.
   * Each is `param<-producer id`.
   */
  context: Record<string, string[]>;
  /**
   * tool id → for some of its needs, a search that finds the value from words (`tasks/search` for a
   * `task_gid`, a catalog-wide `/search` for a topic's `id`): what a request that names the thing in
   * words ("the task 'send invoices'") needs rather than a list of every one.
   */
  searches?: Record<string, Need[]>;
  /** list tool id → the tool that reads one of its items (`GET /spells` → `GET /spells/{index}`). */
  details?: Record<string, string>;
}

/** A value needed by at least this share of its catalog's tools is the catalog's context. */
export const CONTEXT_SHARE = 0.25;

/** What being the GET of the very collection a path parameter indexes adds to a producer's score: more than any other sign. */
const COLLECTION_BONUS = 4;
/**
 * Given back, per extra input a producer needs, times the share of the catalog's tools that need that
 * same value (relative to its most needed one): below the 0.5 each extra input costs, so it only orders
 * producers that need as many inputs.
 */
const SCOPE_CREDIT = 0.2;
/** Field names that identify the object they are in. */
const IDENTITY_FIELDS = new Set(['id', 'gid', 'uid', 'uuid', 'key', 'index', 'slug', 'name', 'login', 'username', 'number', 'code']);
/** Suffixes that make a parameter name a reference to a thing: `person_id`, `projectKey`, `team_gid`. */
const REFERENCE_SUFFIX = /^(.*?)[ _-]?(id|ids|gid|uid|uuid|key|index|slug|name|number|login)$/i;
/** Optional query parameters that still name one thing the result is about. */
const OPTIONAL_ID = /[a-z](_id|Id|_gid|Gid|_uuid|Uuid)$/;
/** Words in a tool's name or route that say it lists or looks things up. */
const LOOKUP_WORDS = new Set(['list', 'search', 'find', 'query', 'lookup', 'all', 'get', 'fetch', 'retrieve', 'show', 'browse']);

interface Candidate {
  entry: ToolEntry;
  fields: ResponseFields;
  /** Stems of the resource nouns: literal path segments (HTTP) or name words (MCP). */
  nouns: Set<string>;
  /** Stem of the last literal path segment or the name's last word: the resource returned. */
  head: string | undefined;
  /** Field keys (see fieldKey) of every response field, and of the returned objects' own fields. */
  keys: Set<string>;
  identityKeys: Set<string>;
  /** Required inputs the producer itself needs. */
  requires: string[];
  /** `name|nouns` of each of `requires`, to count how many tools of the catalog need the same value. */
  requireKeys: string[];
  /** A GET's path (parameter names blanked): the collection whose items it lists, if it is one. */
  collection?: string;
  /** A plain read (GET) or a tool named as a list or search. */
  lookup: boolean;
  /** A search: named so, and it takes free text (`q`, `query`, `term`). */
  search: boolean;
  /** Stems of the returned object's one-word fields (`posts`, `users`), for catalog-wide searches only. */
  fieldStems: Set<string>;
}

export function buildProducerGraph(tools: readonly ToolEntry[], fieldsOf: (entry: ToolEntry) => ResponseFields = (e) => responseFields(e.output)): ProducerGraph {
  const analyzer = createAnalyzer();
  const stems = new Map<string, string>();
  const stem = (word: string): string => stems.get(word) ?? stems.set(word, analyzer.stem(word)).get(word)!;
  const byNamespace = new Map<string, Catalog>();
  for (const entry of tools) {
    if (!isRead(entry)) continue;
    const words = resourceWords(entry);
    // `/tasks/search`, `/dags/~/dagRuns/list`: the resource is the noun before the lookup verb.
    const head = [...words].reverse().find((w) => !LOOKUP_WORDS.has(w));
    const fields = fieldsOf(entry);
    const search = isSearch(entry);
    const inputs = consumed(entry);
    const candidate: Candidate = {
      entry,
      fields,
      keys: new Set(fields.names.map(fieldKey)),
      identityKeys: new Set(fields.identity.map(fieldKey)),
      nouns: new Set(words.map(stem)),
      head: head === undefined ? undefined : stem(head),
      requires: inputs.map((p) => p.name),
      requireKeys: inputs.map(valueKey),
      ...(entry.binding.kind === 'http' && entry.binding.method === 'GET' ? { collection: collectionKey(entry.binding.path) } : {}),
      lookup: entry.binding.kind === 'http' ? entry.binding.method === 'GET' : lookupWords(entry).some((w) => w === 'search' || w === 'list'),
      search,
      // One-word fields of the returned object (`posts`, `users`): the kinds of thing a wide search lists.
      // Read only for wide searches (no resource of their own), the one place they are used.
      fieldStems: search && head === undefined ? new Set(fields.identity.map((name) => splitWords(name)).filter((words) => words.length === 1).map(([word]) => stem(word!))) : new Set(),
    };
    let catalog = byNamespace.get(entry.namespace);
    if (!catalog) byNamespace.set(entry.namespace, (catalog = { byHead: new Map(), byKey: new Map(), searches: [] }));
    if (candidate.search) catalog.searches.push(candidate);
    if (candidate.head !== undefined) push(catalog.byHead, candidate.head, candidate);
    for (const key of candidate.keys) push(catalog.byKey, key, candidate);
  }
  // How many of its catalog's tools consume each value (`name|nouns`, so that bare `id`s of different
  // resources stay apart): a value many need is the scope they work in.
  const consumers = new Map<string, number>();
  const most = new Map<string, number>();
  for (const entry of tools) {
    for (const p of consumed(entry)) {
      const key = `${entry.namespace}|${valueKey(p)}`;
      const n = (consumers.get(key) ?? 0) + 1;
      consumers.set(key, n);
      if (n > (most.get(entry.namespace) ?? 0)) most.set(entry.namespace, n);
    }
  }
  const needs: Record<string, Need[]> = {};
  const searches: Record<string, Need[]> = {};
  const details: Record<string, string> = {};
  // Most consumers of a catalog share their parameters (`owner`, `repo`): the same question, one answer.
  const memo = new Map<string, Candidate | undefined>();
  for (const entry of tools) {
    const catalog = byNamespace.get(entry.namespace) ?? { byHead: new Map(), byKey: new Map(), searches: [] };
    const own: Need[] = [];
    const found: Need[] = [];
    const params = consumed(entry);
    const has = new Set(params.map((p) => p.name));
    for (const param of params) {
      const nouns = param.nouns.map(stem);
      const last = nouns[nouns.length - 1];
      // Only tools about the same resource, or carrying a field of the value's name, can produce it.
      const key = `${entry.namespace}|${param.name}|${nouns.join(' ')}|${[...has].sort().join(',')}|${param.collection ?? ''}`;
      let best = memo.get(key);
      if (!memo.has(key) || best?.entry === entry) {
        const candidates = new Set([...(last !== undefined ? (catalog.byHead.get(last) ?? []) : []), ...(catalog.byKey.get(fieldKey(param.name)) ?? [])]);
        const fresh = !memo.has(key);
        best = bestProducer(entry, param, nouns, last, has, candidates, (r) => (consumers.get(`${entry.namespace}|${r}`) ?? 0) / most.get(entry.namespace)!);
        if (fresh) memo.set(key, best);
      }
      const search = bestSearch(entry, param, last, catalog.searches, best !== undefined);
      // With no list of the resource, the catalog's search is the way to its value.
      if (best ?? search) own.push({ param: param.name, from: (best ?? search)!.entry.id });
      // `GET /x/{id}` of the list `GET /x` that gives its id: the record a list's item is read from.
      if (best && isItemRead(entry, param) && best.collection === param.collection) details[best.entry.id] ??= entry.id;
      if (search && best && search !== best) found.push({ param: param.name, from: search.entry.id });
    }
    if (own.length) needs[entry.id] = own;
    if (found.length) searches[entry.id] = found;
  }
  return { needs, context: contextOf(tools, needs), searches, details };
}

export function contextKey(need: Need): string {
  return `${need.param}<-${need.from}`;
}

function contextOf(tools: readonly ToolEntry[], needs: Record<string, Need[]>): Record<string, string[]> {
  const sizes = new Map<string, number>();
  const counts = new Map<string, Map<string, number>>();
  for (const entry of tools) {
    sizes.set(entry.namespace, (sizes.get(entry.namespace) ?? 0) + 1);
    for (const need of needs[entry.id] ?? []) {
      const byParam = counts.get(entry.namespace) ?? new Map<string, number>();
      const key = contextKey(need);
      byParam.set(key, (byParam.get(key) ?? 0) + 1);
      counts.set(entry.namespace, byParam);
    }
  }
  const context: Record<string, string[]> = {};
  for (const [namespace, byParam] of counts) {
    const common = [...byParam].filter(([, n]) => n >= CONTEXT_SHARE * sizes.get(namespace)!).map(([param]) => param);
    if (common.length) context[namespace] = common.sort();
  }
  return context;
}

/** One catalog's read tools, indexed by the resource they return and by their response fields. */
interface Catalog {
  byHead: Map<string, Candidate[]>;
  byKey: Map<string, Candidate[]>;
  searches: Candidate[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface Consumed {
  name: string;
  /** Stems of the thing the value names (`person_id` → person; `/devices/{id}` → device). */
  nouns: string[];
  /** The field a producer's response would carry it in: the name itself, or an identity field. */
  fields: string[];
  /** An optional filter: only a list of the very resource it names produces it. */
  optional: boolean;
  /** Named with a reference suffix (`dag_id`, `projectKey`), not a bare noun (`repo`, `ref`). */
  named: boolean;
  /** For a path parameter after a literal segment, the path of the collection it is an item of (`/repos/{owner}/{repo}/issues/comments`). */
  collection?: string;
}

/** Required path parameters, and required query (or MCP) parameters that name a thing. */
function consumed(entry: ToolEntry): Consumed[] {
  const out: Consumed[] = [];
  if (entry.binding.kind === 'http') {
    const segments = entry.binding.path.split('/').filter(Boolean);
    for (const p of entry.binding.parameters) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      // One of a few listed values (`/admin/users/list/{flag}` with flag: active, new, …) is chosen, not looked up.
      if (isEnum(entry.input.root, p.property)) continue;
      const reference = REFERENCE_SUFFIX.exec(p.name);
      // An optional filter counts when it is an id (`deviceId` on a report): the report is about that thing.
      if (p.in === 'query' && !(reference && (p.required || OPTIONAL_ID.test(p.name)))) continue;
      // The literal segment before `{id}` names what a bare `id` refers to: /devices/{id} → devices.
      const at = segments.findIndex((s) => s.includes(`{${p.name}}`));
      const before = at > 0 ? segments.slice(0, at).reverse().find((s) => !s.includes('{')) : undefined;
      const collection = at > 0 && !segments[at - 1]!.includes('{') && segments[at] === `{${p.name}}` ? collectionKey(`/${segments.slice(0, at).join('/')}`) : undefined;
      out.push({ ...describe(p.name, reference, before, !p.required), ...(collection ? { collection } : {}) });
    }
  } else {
    const required = new Set(Array.isArray(entry.input.root.required) ? (entry.input.root.required as string[]) : []);
    for (const name of required) {
      const reference = REFERENCE_SUFFIX.exec(name);
      if (reference) out.push(describe(name, reference, undefined, false));
    }
  }
  return out;
}

function describe(name: string, reference: RegExpExecArray | null, segment: string | undefined, optional: boolean): Consumed {
  const base = reference?.[1] ? splitWords(reference[1]) : [];
  const nouns = base.length ? base : segment ? splitWords(segment) : splitWords(name);
  const suffix = reference?.[2]?.toLowerCase();
  // A bare noun (`org`, `repo`, `channel`) is given as whatever identifies one: its id, name, login or key.
  const fields = suffix ? [suffix, ...(suffix === 'gid' || suffix === 'uid' ? ['id'] : [])] : [...IDENTITY_FIELDS];
  return { name, nouns, fields: [name, ...fields], optional, named: !!suffix };
}

/** `nouns`: the stems of what the value names (`team membership`), `last` the final one. */
function bestProducer(consumer: ToolEntry, param: Consumed, nouns: readonly string[], last: string | undefined, has: ReadonlySet<string>, candidates: Iterable<Candidate>, uses: (valueKey: string) => number): Candidate | undefined {
  const key = fieldKey(param.name);
  const identityKeys = param.fields.filter((f) => IDENTITY_FIELDS.has(f.toLowerCase())).map(fieldKey);
  let best: Candidate | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    if (c.entry === consumer || c.requires.includes(param.name)) continue;
    // A bare `{id}` matches every response with an `id`: only a named value (`dag_id`) can match alone.
    const named = !IDENTITY_FIELDS.has(param.name.toLowerCase());
    const exactTop = named && c.identityKeys.has(key);
    const exact = exactTop || (named && c.keys.has(key));
    const identity = identityKeys.some((k) => c.identityKeys.has(k));
    const resource = last !== undefined && c.head === last ? 3 : last !== undefined && c.nouns.has(last) ? 1 : 0;
    // Either the response names the value outright, or it is the resource's own list/record with an id.
    // A bare noun (`ref`, `path`) names too little to trust a field of the same name alone.
    if ((param.optional || !param.named) && resource < 3) continue;
    if (!exact && !(resource === 3 && (identity || c.fields.names.length === 0))) continue;
    let score = (exactTop ? 3 : exact ? 2 : 0) + resource + (identity ? 1 : 0);
    // REST's own convention: `GET /issues/comments` lists the items of `/issues/comments/{comment_id}`;
    // a list of another kind of comment (`/comments`, commit comments) only shares the noun.
    if (param.collection !== undefined && c.collection === param.collection) score += COLLECTION_BONUS;
    // `team_membership_gid` is a team's membership: a portfolio's memberships share only the last word.
    if (nouns.length > 1 && nouns.every((n) => c.nouns.has(n))) score += 1;
    if (c.fields.list) score += 1.5;
    if (c.lookup) score += 0.5;
    // A producer that needs inputs the consumer does not have is a longer plan.
    score -= c.requires.filter((r) => !has.has(r)).length * 0.5;
    // Of two such plans, the one whose extra input is the scope most of the catalog works in (Asana's
    // workspace, not one user) lists every team rather than one person's.
    score += c.requires.reduce((sum, r, k) => sum + (has.has(r) ? 0 : SCOPE_CREDIT * uses(c.requireKeys[k]!)), 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The search that finds a consumed value from words: one of the resource itself (`/tasks/search` for
 * `task_gid`), or a catalog-wide search whose response lists it (`/search` with `posts` for a post's id);
 * a catalog-wide search with no such list only stands in when nothing else produces the value.
 */
function bestSearch(consumer: ToolEntry, param: Consumed, last: string | undefined, searches: readonly Candidate[], listed: boolean): Candidate | undefined {
  let best: Candidate | undefined;
  let bestScore = 0;
  for (const c of searches) {
    if (c.entry === consumer || c.requires.includes(param.name)) continue;
    const own = last !== undefined && c.head === last;
    const wide = c.head === undefined;
    // Only a wide search is trusted on a field's name: one of issues has a `comments` count, not comments.
    const lists = wide && last !== undefined && c.fieldStems.has(last);
    if (!own && !lists && !(wide && !listed && !param.optional)) continue;
    const score = (own ? 3 : lists ? 2 : 1) - c.requires.length * 0.5;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Parameter names that take free text: what a search is searched for. */
const TEXT_PARAMS = /^(q|query|term|terms|search|text|keywords?|search_?term|search_?query)$/i;

/** A read named as a search (or query/find) that takes free text. */
function isSearch(entry: ToolEntry): boolean {
  if (!lookupWords(entry).some((w) => w === 'search' || w === 'find' || w === 'query')) return false;
  if (entry.binding.kind === 'http') return entry.binding.parameters.some((p) => TEXT_PARAMS.test(p.name)) || entry.binding.method === 'POST';
  const props = (entry.input.root as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.keys(props).some((name) => TEXT_PARAMS.test(name));
}

/** `dag_id`, `dagId`, `DAG-ID` → `dagid`: the same field however a catalog spells it. */
function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** HTTP GET (and POST routes that only search or list), or an MCP tool marked read-only or named as a lookup. */
function isRead(entry: ToolEntry): boolean {
  if (entry.binding.kind === 'http') {
    if (entry.binding.method === 'GET') return true;
    return entry.binding.method === 'POST' && lookupWords(entry).some((w) => w === 'search' || w === 'list' || w === 'query');
  }
  return entry.annotations.readOnlyHint === true || LOOKUP_WORDS.has(splitWords(entry.name)[0] ?? '');
}

function lookupWords(entry: ToolEntry): string[] {
  return splitWords(entry.binding.kind === 'http' ? `${entry.name} ${entry.binding.path}` : entry.name);
}

/** The nouns a tool is about: literal path segments (HTTP, file suffixes dropped), or its name's words minus verbs (MCP). */
function resourceWords(entry: ToolEntry): string[] {
  if (entry.binding.kind === 'http') {
    return entry.binding.path
      .split('/')
      .filter((s) => s && !s.includes('{') && s !== '~')
      .map((s) => s.replace(/\.(json|xml)$/i, ''))
      .flatMap((s) => splitWords(s));
  }
  return splitWords(entry.name).filter((w) => !LOOKUP_WORDS.has(w));
}

/** `/repos/{owner}/{repo}/issues/comments` → `/repos/{}/{}/issues/comments`: the same collection whatever its parameters are called. */
function collectionKey(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
}
/** `name|nouns`: one value of a catalog however many tools consume it (`id|device`, `workspace_gid|workspace`). */
function valueKey(p: Consumed): string {
  return `${p.name}|${p.nouns.join(' ')}`;
}

/** A parameter declared with an enum: a value the caller picks, not one a lookup produces. */
function isEnum(root: JsonSchema, property: string): boolean {
  const props = root.properties as Record<string, JsonSchema> | undefined;
  const schema = props?.[property];
  return Array.isArray(schema?.enum) && schema.enum.length > 0;
}

/** A GET whose last path segment is the parameter: it reads one item of the collection before it. */
function isItemRead(entry: ToolEntry, param: Consumed): boolean {
  return entry.binding.kind === 'http' && entry.binding.method === 'GET' && param.collection !== undefined && entry.binding.path.replace(/\/+$/, '').endsWith(`/{${param.name}}`);
}
