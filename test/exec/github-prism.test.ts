// The executor against Prism mocking the real GitHub REST description (see test/helpers/prism.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadOpenApiCatalog } from '../../src/catalog/load-openapi.js';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createHttpExecutor } from '../../src/exec/http-executor.js';
import { GITHUB_SPEC, PRISM_START_TIMEOUT_MS, startGithubPrism, type PrismMock } from '../helpers/prism.js';

const TOKEN = 'ghp_test_secret_0123456789';

describe('http executor against Prism serving the GitHub description', { timeout: PRISM_START_TIMEOUT_MS + 60_000 }, () => {
  let prism: PrismMock;
  let origin: string;
  let tools: Map<string, ToolEntry>;
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  let prefer: string | undefined;

  before(async () => {
    const [catalog, started] = await Promise.all([loadOpenApiCatalog({ source: GITHUB_SPEC, namespace: 'github' }), startGithubPrism()]);
    prism = started;
    origin = prism.origin;
    tools = new Map(catalog.tools.map((t) => [t.name, t]));
  });

  after(() => prism?.stop());

  const executor = (maxResponseTokens?: number) =>
    createHttpExecutor({
      catalog: () => ({
        server: origin,
        credentials: { token: { type: 'bearer', env: 'GITHUB_TOKEN' } },
        ...(maxResponseTokens ? { limits: { maxResponseTokens } } : {}),
      }),
      env: { GITHUB_TOKEN: TOKEN },
      // Records what went out; `prefer` asks Prism for a given status (a test-only header).
      fetch: (input, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        seen.push({ url: String(input), headers });
        return fetch(input, prefer ? { ...init, headers: { ...headers, prefer } } : init);
      },
    });
  const tool = (name: string) => {
    const t = tools.get(name);
    assert.ok(t, `${name} is in the catalog`);
    return t;
  };

  it('lists issues with query parameters Prism accepts, credentials added on the host', async () => {
    const r = await executor().execute(tool('issues_list_for_repo'), { owner: 'octocat', repo: 'hello-world', state: 'open', labels: 'bug,ui', sort: 'updated', per_page: 5, page: 2 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.value));
    const sent = new URL(seen.at(-1)!.url);
    assert.equal(sent.origin, origin);
    assert.equal(sent.pathname, '/repos/octocat/hello-world/issues');
    assert.deepEqual(Object.fromEntries(sent.searchParams), { state: 'open', labels: 'bug,ui', sort: 'updated', per_page: '5', page: '2' });
    assert.equal(seen.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    assert.ok(!r.text.includes(TOKEN));
  });

  it('creates an issue with a JSON body', async () => {
    const r = await executor().execute(tool('issues_create'), { owner: 'octocat', repo: 'hello-world', body: { title: 'Found a bug', body: 'It breaks.', labels: ['bug'] } });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.status, 201);
    const issue = r.value as { number: unknown; title: unknown };
    assert.equal(typeof issue.number, 'number');
    assert.equal(typeof issue.title, 'string');
    assert.equal(seen.at(-1)!.headers['content-type'], 'application/json');
  });

  it('refuses arguments that break the real schema before sending', async () => {
    const count = seen.length;
    const r = await executor().execute(tool('issues_create'), { owner: 'octocat', repo: 'hello-world', body: { body: 'no title' }, repository: 'x' });
    assert.ok(!r.ok);
    assert.equal(r.failure.code, 'invalid_arguments');
    assert.match(r.failure.message, /\/body: missing required property "title"/);
    assert.match(r.failure.message, /unknown property "repository" \(allowed: owner, repo, body\)/);
    assert.equal(seen.length, count);
  });

  it('maps an API 404 to http_error with a next step', async () => {
    prefer = 'code=404';
    try {
      const r = await executor().execute(tool('issues_get'), { owner: 'octocat', repo: 'hello-world', issue_number: 1 });
      assert.ok(!r.ok);
      assert.equal(r.status, 404);
      assert.equal(r.failure.code, 'http_error');
      assert.match(r.failure.message, /^HTTP 404 Not Found from GET \/repos\/octocat\/hello-world\/issues\/1/);
      assert.match(r.failure.next ?? '', /identifiers \(owner, repo, issue_number\)/);
    } finally {
      prefer = undefined;
    }
  });

  it('cuts a large list to valid JSON with a notice', async () => {
    const r = await executor(200).execute(tool('issues_list_for_repo'), { owner: 'octocat', repo: 'hello-world' });
    assert.ok(r.ok);
    assert.equal(r.truncated, true);
    const [body, notice] = r.text.split('\n[Cut');
    assert.doesNotThrow(() => JSON.parse(body!));
    assert.match(notice!, /To get less/);
  });

  it('lean by default for execute_tool: API links and empty fields left out with a notice; raw and select as asked', async () => {
    const args = { owner: 'octocat', repo: 'hello-world' };
    const raw = await executor().execute(tool('repos_get'), args, { response: { raw: true } });
    const lean = await executor().execute(tool('repos_get'), args, { response: {} });
    assert.ok(raw.ok && lean.ok);
    assert.deepEqual(lean.value, raw.value, 'run_code still gets the whole value');
    const whole = raw.value as Record<string, unknown>;
    assert.equal(raw.text, JSON.stringify(whole));
    const [body, notice, ...more] = lean.text.split('\n');
    assert.deepEqual(more, []);
    const shown = JSON.parse(body!) as Record<string, unknown>;
    // The spec's example links back to api.github.com (its declared server): those go; github.com pages stay.
    assert.match(String(whole.url), /^https:\/\/api\.github\.com\//);
    assert.equal(shown.url, undefined);
    assert.equal(shown.forks_url, undefined);
    assert.equal(shown.html_url, whole.html_url);
    assert.equal(shown.clone_url, whole.clone_url);
    assert.equal(shown.default_branch, whole.default_branch);
    assert.equal(shown.stargazers_count, whole.stargazers_count);
    assert.ok(!body!.includes('null') && !body!.includes('"https://api.github.com'), 'no null and no API link is left');
    assert.match(notice!, /^\[Left out \d+ API links \(.+\) and \d+ null\/empty fields; "raw": true returns everything\.\]$/);
    assert.ok(lean.text.length < raw.text.length / 2, `${lean.text.length} of ${raw.text.length} characters`);
    const selected = await executor().execute(tool('repos_get'), args, { response: { select: ['name', 'owner.login', 'default_branch', 'url'] } });
    assert.ok(selected.ok);
    assert.deepEqual(JSON.parse(selected.text), { name: whole.name, owner: { login: (whole.owner as { login: string }).login }, default_branch: whole.default_branch, url: whole.url });
  });
});
