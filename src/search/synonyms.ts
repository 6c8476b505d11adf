// Our edge over plain BM25. Users describe APIs in their own words ("open an issue", "who starred my
// repo", "PR"); catalogs use the API's words ("Create an issue", "List stargazers", "pull request").
// A general thesaurus is too loose for API verbs, so this small hand-written table maps how people talk
// to how REST catalogs are written. Expansions are added next to the user's own words at a lower
// weight, never replacing them, so "add a label" still prefers "Add labels" over "Create a label".
import { isStopWord, splitWords } from './analyze.js';

/** User word or phrase (lowercase, singular, space-separated) → catalog words it may stand for. */
export type SynonymTable = Readonly<Record<string, string>>;

export const DEFAULT_SYNONYMS: SynonymTable = {
  // Verbs: REST catalogs say create / get / list / update / delete; people rarely do.
  open: 'create',
  new: 'create',
  add: 'create',
  make: 'create',
  start: 'create',
  submit: 'create',
  publish: 'create',
  share: 'create',
  leave: 'create',
  give: 'add',
  post: 'create',
  write: 'create update',
  register: 'create',
  generate: 'create',
  trigger: 'create dispatch',
  invite: 'create invitation',
  'set up': 'create',
  remove: 'delete',
  erase: 'delete',
  drop: 'delete',
  destroy: 'delete',
  kick: 'remove',
  unset: 'delete',
  clear: 'delete',
  delete: 'remove',
  fetch: 'get',
  show: 'get list',
  retrieve: 'get',
  read: 'get',
  view: 'get',
  see: 'get list',
  display: 'get',
  'look up': 'get',
  lookup: 'get',
  check: 'get',
  find: 'search list',
  search: 'list',
  query: 'search',
  which: 'list',
  what: 'list',
  all: 'list',
  enumerate: 'list',
  browse: 'list',
  change: 'update',
  edit: 'update',
  modify: 'update',
  rename: 'update',
  patch: 'update',
  set: 'update',
  close: 'update',
  reopen: 'update',
  stop: 'cancel disable',
  rerun: 're run',
  retry: 're run',
  download: 'get archive',
  upload: 'create',
  approve: 'review create',
  ask: 'request',
  assign: 'assignees add',
  unwatch: 'delete subscription',
  // "watching" a repository is what the API calls a subscription.
  watch: 'set subscription',
  // Nouns people abbreviate or say differently.
  pr: 'pull request',
  'merge request': 'pull request',
  repo: 'repository',
  repository: 'repo',
  project: 'repository',
  org: 'organization',
  organization: 'org',
  ci: 'workflow actions',
  pipeline: 'workflow',
  build: 'workflow run',
  action: 'workflow',
  file: 'content',
  snippet: 'gist',
  newest: 'latest',
  recent: 'latest',
  // Where the stemmer leaves forms apart (protected → protect, protection → protec).
  protected: 'protection',
  protect: 'protection',
  inbox: 'notifications',
  webhook: 'hook',
  hook: 'webhook',
  env: 'environment variable',
  someone: 'user collaborator member',
  somebody: 'user collaborator member',
  person: 'user',
  profile: 'user',
  // "starred" is how people say what the API calls stargazers and starring.
  'who starred': 'stargazers',
  'how many star': 'stargazer count',
  watcher: 'subscribers',
  'who follow': 'followers',
  member: 'membership',
  // "my …" is the catalog's "… for the authenticated user".
  my: 'authenticated',
  me: 'authenticated',
  mine: 'authenticated',
  'who am': 'authenticated user',
  'logged in': 'authenticated',
  account: 'authenticated user',
  // Likewise contributed → contribut, contributors → contributor.
  contribute: 'contributors',
  contributed: 'contributors',
  diff: 'compare',
  history: 'list commits',
  // A branch is a git ref: deleting or creating one goes through the refs endpoints.
  branch: 'ref',
  version: 'release tag',
};

export interface WeightedWord {
  word: string;
  weight: number;
}

/** One thing the user asked for: their word (weight 1) with its synonyms, or a phrase's expansion. */
export type QueryConcept = WeightedWord[];

/** Longest synonym phrase, in words; longer phrases are matched before their parts. */
const MAX_PHRASE_WORDS = 3;

/**
 * The query's concepts. A single word keeps its place and adds its expansions at `synonymWeight`
 * (a stop word contributes only its expansions: "my" → authenticated); a phrase ("who starred",
 * "set up") is an idiom, so its expansion replaces its words at full weight. Phrases are matched
 * before stop words are dropped.
 */
export function expandQuery(query: string, table: SynonymTable, synonymWeight: number): QueryConcept[] {
  const words = splitWords(query);
  const concepts: QueryConcept[] = [];
  for (let i = 0; i < words.length; ) {
    const n = longestPhraseAt(words, i, table);
    const word = words[i] ?? '';
    const key = words.slice(i, i + n).map(singular).join(' ');
    const concept: QueryConcept = [];
    if (n > 1) {
      for (const synonym of expansionOf(table, key)) concept.push({ word: synonym, weight: 1 });
    } else {
      if (!isStopWord(word)) concept.push({ word, weight: 1 });
      if (n === 1) for (const synonym of expansionOf(table, key)) concept.push({ word: synonym, weight: synonymWeight });
    }
    if (concept.length > 0) concepts.push(concept);
    i += Math.max(n, 1);
  }
  return concepts;
}

/** How many words from `i` form the longest key of the table (0: none). */
function longestPhraseAt(words: string[], i: number, table: SynonymTable): number {
  for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1; n--) {
    if (Object.hasOwn(table, words.slice(i, i + n).map(singular).join(' '))) return n;
  }
  return 0;
}

function expansionOf(table: SynonymTable, key: string): string[] {
  return (table[key] ?? '').split(' ').filter(Boolean);
}

/**
 * Table keys are singular so one entry covers "repo" and "repos". Only plurals are folded, not a full
 * stem: stemming would also merge "settings" into "set" and "commits" into "commit" (the verb).
 */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x|ss|z)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 2 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
