import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanDescription, DEFAULT_DESCRIPTION_LIMITS, findBoilerplate, toolText } from '../../src/search/tool-document.js';
import { tool } from './tool-fixtures.js';

const limits = DEFAULT_DESCRIPTION_LIMITS;

test('descriptions lose links, URLs, code samples and side notes, and keep only the first paragraphs', () => {
  const text = [
    'Creates an [issue](https://docs.example.test/issues) in a repo, see <https://x.test> or https://y.test/z.',
    '> [!NOTE]\n> Rate limits apply.',
    '```json\n{"title": "bug"}\n```',
    'Second paragraph.',
    'Third paragraph, dropped.',
  ].join('\n\n');
  assert.equal(cleanDescription(text, new Set(), limits), 'Creates an issue in a repo, see or\n\nSecond paragraph.');
  assert.equal(cleanDescription('word '.repeat(500), new Set(), limits).length, limits.maxChars);
});

test('sentences repeated across many tools are boilerplate and are dropped', () => {
  const noisy = (name: string) =>
    tool({ name, summary: name, description: `Does ${name}. This endpoint triggers [notifications](https://x.test).\nFor more, see "[limits](https://x.test)."` });
  const tools = ['a', 'b', 'c', 'd', 'e'].map(noisy);
  const boilerplate = findBoilerplate(tools, 5);
  assert.deepEqual([...boilerplate].sort(), ['for more see limits', 'this endpoint triggers notifications']);
  assert.equal(cleanDescription(tools[0]!.description, boilerplate, limits), 'Does a.');
  assert.equal(findBoilerplate(tools.slice(0, 4), 5).size, 0, 'four repeats are below the threshold');
});

test('the searchable text names the route, tags and input properties, body properties included', () => {
  const entry = tool({
    name: 'issues_create',
    summary: 'Create an issue',
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    tags: ['issues', 'beta'],
    params: ['owner', 'repo'],
    body: { title: { type: 'string' }, assignee_login: { type: 'string' } },
  });
  assert.deepEqual(toolText(entry, 'desc'), {
    name: 'issues_create',
    route: 'POST /repos/{owner}/{repo}/issues',
    summary: 'Create an issue',
    description: 'desc',
    tags: 'issues beta',
    params: 'owner repo title assignee_login',
  });
});
