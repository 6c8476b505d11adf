// Validation messages name the path and what was expected, so the model can fix its call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolEntry } from '../../src/catalog/tool-entry.js';
import { createArgsValidator, INVALID_ARGUMENTS_NEXT } from '../../src/exec/validate-args.js';
import { httpTool, param } from './recording-server.js';

const issuesUpdate = (strictRoot: boolean): ToolEntry =>
  httpTool(
    'github.issues_update',
    {
      method: 'PATCH',
      path: '/repos/{owner}/{repo}/issues/{issue_number}',
      servers: [{ url: 'https://api.github.com' }],
      parameters: [
        param('owner', 'path', { type: 'string' }),
        param('repo', 'path', { type: 'string' }),
        param('issue_number', 'path', { type: 'integer' }),
      ],
      body: { property: 'body', contentType: 'application/json', required: false },
    },
    {
      strictRoot,
      bodySchema: { $ref: '#/$defs/issue-update' },
      defs: {
        'issue-update': {
          type: 'object',
          properties: {
            title: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            state: { type: 'string', enum: ['open', 'closed'] },
            labels: { type: 'array', items: { type: 'string' } },
            due: { type: ['string', 'null'], format: 'date-time' },
            assignees: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { id: { type: 'integer' } } }] } },
          },
          additionalProperties: false,
        },
      },
    },
  );

describe('validateArgs', () => {
  const validator = createArgsValidator();
  const check = (entry: ToolEntry, args: Record<string, unknown>) => validator.validate(entry, args);

  it('accepts valid arguments', () => {
    assert.equal(check(issuesUpdate(true), { owner: 'o', repo: 'r', issue_number: 1, body: { state: 'closed', title: 5, due: null } }), undefined);
  });

  it('names wrong types, missing required properties and bad enum values with their paths', () => {
    const failure = check(issuesUpdate(true), { owner: 1, issue_number: '3', body: { state: 'done', labels: [1] } });
    assert.ok(failure);
    assert.equal(failure.code, 'invalid_arguments');
    assert.equal(failure.next, INVALID_ARGUMENTS_NEXT);
    assert.equal(
      failure.message,
      'Invalid arguments for github.issues_update: missing required property "repo"; /owner: must be string; ' +
        '/issue_number: must be integer; /body/state: must be one of "open", "closed"; /body/labels/0: must be string',
    );
  });

  it('refuses unknown properties at the top, even when the root schema allows them, and nested', () => {
    for (const strictRoot of [true, false]) {
      const failure = check(issuesUpdate(strictRoot), { owner: 'o', repo: 'r', issue_number: 1, foo: 1 });
      assert.ok(failure, `strictRoot=${strictRoot}`);
      assert.equal(failure.message, 'Invalid arguments for github.issues_update: unknown property "foo" (allowed: owner, repo, issue_number, body)');
    }
    const nested = check(issuesUpdate(false), { owner: 'o', repo: 'r', issue_number: 1, body: { titel: 'x' } });
    assert.match(nested?.message ?? '', /\/body: unknown property "titel" \(allowed: title, state, labels, due, assignees\)/);
  });

  it('folds anyOf/oneOf noise into one line and checks formats', () => {
    const failure = check(issuesUpdate(true), { owner: 'o', repo: 'r', issue_number: 1, body: { title: true, due: 'tomorrow', assignees: [{ id: 'x' }] } });
    assert.ok(failure);
    assert.match(failure.message, /\/body\/title: must match exactly one of the allowed shapes: string, integer/);
    assert.doesNotMatch(failure.message, /\/body\/title: must be string/);
    assert.match(failure.message, /\/body\/assignees\/0: must match exactly one of the allowed shapes: string, object/);
    assert.doesNotMatch(failure.message, /assignees\/0\/id/, 'errors inside a failed branch are folded too');
    assert.match(failure.message, /\/body\/due: must match format "date-time"/);
  });
});
