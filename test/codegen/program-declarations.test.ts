// A program is checked against the declarations of the functions it names: small for a three-line
// program on a 1,200-function catalog, whole for a namespace used as a value, with near names for a
// misspelling so the checker can still suggest the right one.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { planCodegen } from '../../src/codegen/codegen-plan.js';
import { emitCatalogDeclarations, TYPECHECK_EMIT } from '../../src/codegen/declarations.js';
import { createProgramDeclarations } from '../../src/codegen/program-declarations.js';
import { createTypeChecker } from '../../src/codegen/typecheck.js';

describe('declarations for one program (GitHub)', () => {
  let declarationsFor: (code: string) => string;
  let full: string;
  before(async () => {
    const github = await loadOpenApiCatalog({ source: 'catalogs/github.json.br', namespace: 'github' });
    const plan = planCodegen(github.tools);
    declarationsFor = createProgramDeclarations({ byNamespace: new Map<string, ToolEntry[]>([['github', github.tools]]), plan: () => plan });
    full = emitCatalogDeclarations('github', github.tools, { plan, ...TYPECHECK_EMIT }); // what the checker reads
  });

  test('only the functions the program names, with their types; the check passes against them', () => {
    const code = `const repo = await github.repos_get({ owner: 'o', repo: 'r' });\nconst issues = await github\n  .issues_list_for_repo({ owner: 'o', repo: repo.name });\nreturn issues.map((i) => i.title);`;
    const text = declarationsFor(code);
    assert.match(text, /function repos_get\(/);
    assert.match(text, /function issues_list_for_repo\(/);
    assert.doesNotMatch(text, /function issues_create\(/);
    assert.ok(text.length * 20 < full.length, `${text.length} chars against ${full.length} for the whole catalog`);
    assert.deepEqual(createTypeChecker().check(code, text), []);
  });

  test('a misspelled function brings its nearest names, so the checker suggests the right one', () => {
    const code = `return await github.repos_gett({ owner: 'o', repo: 'r' });`;
    const issues = createTypeChecker().check(code, declarationsFor(code));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /repos_gett.*Did you mean 'repos_get'/);
  });

  test('a namespace used as a value gets all of its declarations; its name in a string does not', () => {
    assert.ok(declarationsFor(`const gh = github;\nreturn Object.keys(gh).length;`) === full, 'the whole namespace');
    assert.equal(declarationsFor(`return 'github';`), '');
    assert.equal(declarationsFor(`return 6 * 7;`), '');
  });
});
