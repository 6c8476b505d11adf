// The lean response profile: API links and null/empty fields left out, with a notice that costs
// fewer tokens than it saves; links elsewhere, false and 0 stay; nothing is dropped silently.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { trimResponse } from '../../src/exec/lean-response.js';

const API = 'https://api.example.com';
const repo = {
  id: 1296269,
  name: 'Hello-World',
  url: `${API}/repos/octocat/Hello-World`,
  html_url: 'https://example.com/octocat/Hello-World',
  clone_url: 'https://example.com/octocat/Hello-World.git',
  archive_url: `${API}/repos/octocat/Hello-World/{archive_format}{/ref}`,
  forks_url: `${API}/repos/octocat/Hello-World/forks`,
  keys_url: `${API}/repos/octocat/Hello-World/keys{/key_id}`,
  owner: { login: 'octocat', url: `${API}/users/octocat`, followers_url: `${API}/users/octocat/followers`, avatar_url: 'https://avatars.example.net/u/583231', gravatar_id: '' },
  _links: { self: { href: `${API}/repos/octocat/Hello-World` } },
  description: null,
  topics: [],
  private: false,
  forks_count: 0,
  mirror_url: 'https://api.example.com.evil.test/mirror',
};

describe('trimResponse (lean profile)', () => {
  test('leaves out links into the API and null/empty fields, keeps links elsewhere, false and 0', () => {
    const { value, notice } = trimResponse(repo, [API]);
    assert.deepEqual(value, {
      id: 1296269,
      name: 'Hello-World',
      html_url: 'https://example.com/octocat/Hello-World',
      clone_url: 'https://example.com/octocat/Hello-World.git',
      owner: { login: 'octocat', avatar_url: 'https://avatars.example.net/u/583231' },
      private: false,
      forks_count: 0,
      mirror_url: 'https://api.example.com.evil.test/mirror',
    });
    // 7 links (url, archive_url, forks_url, keys_url, owner.url, owner.followers_url, _links.self.href);
    // 5 empty: gravatar_id, description, topics, and the emptied _links.self and _links.
    assert.match(notice ?? '', /^\[Left out 7 API links \(url, archive_url, forks_url \+\d+ more\) and 5 null\/empty fields; "raw": true returns everything\.\]$/);
  });

  test('the notice costs fewer tokens than what it saves', () => {
    const { value, notice } = trimResponse([repo, repo, repo], [API]);
    const saved = encode(JSON.stringify([repo, repo, repo])).length - encode(JSON.stringify(value)).length;
    assert.ok(notice);
    assert.ok(encode(notice).length < saved, `notice ${encode(notice).length} tokens, saved ${saved}`);
  });

  test('when the saving would not pay for the notice, nothing is left out', () => {
    const small = { id: 1, note: null };
    assert.deepEqual(trimResponse(small, [API]), { value: small });
  });

  test('list items keep their places; only object fields are left out', () => {
    const list = { items: [null, '', `${API}/x`, 1], a: null, b: null, c: null, d: null, e: null, f: null, g: null, h: null, i: null, j: null, k: null, l: null, m: null, n: null, o: null, p: null, q: null, r: null, s: null, t: null };
    const { value } = trimResponse(list, [API]);
    assert.deepEqual(value, { items: [null, '', `${API}/x`, 1] });
  });

  test('fields asked for by name are kept even when null or a link', () => {
    const { value } = trimResponse({ ...repo, extra: Array.from({ length: 30 }, () => ({ x: null })) }, [API], new Set(['url', 'description']));
    assert.equal((value as Record<string, unknown>).url, repo.url);
    assert.equal((value as Record<string, unknown>).description, null);
  });

  test('a text or scalar result is left alone', () => {
    assert.deepEqual(trimResponse('text', [API]), { value: 'text' });
    assert.deepEqual(trimResponse(null, [API]), { value: null });
  });
});
