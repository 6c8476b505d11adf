// Requests built from arguments, checked on the wire: a real HTTP server records what arrived.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpExecutor } from '../../src/exec/http-executor.js';
import { httpTool, param, startRecordingServer, type RecordingServer } from './recording-server.js';

describe('buildRequest on the wire', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());

  const exec = () => createHttpExecutor({ catalog: () => ({}) });
  const last = () => server.requests.at(-1)!;

  it('serializes path, every query style, headers, cookies and a JSON body', async () => {
    const tool = httpTool('t.create_item', {
      method: 'POST',
      path: '/repos/{owner}/{repo}/items',
      servers: [{ url: `${server.origin}/api/{version}`, variables: { version: { default: 'v3' } } }],
      parameters: [
        param('owner', 'path', { type: 'string' }),
        param('repo', 'path', { type: 'string' }),
        param('tags', 'query', { type: 'array', items: { type: 'string' } }),
        param('ids', 'query', { type: 'array', items: { type: 'integer' } }, { explode: false }),
        param('words', 'query', { type: 'array' }, { style: 'spaceDelimited', explode: false }),
        param('pipes', 'query', { type: 'array' }, { style: 'pipeDelimited', explode: false }),
        param('filter', 'query', { type: 'object' }, { style: 'deepObject', explode: true }),
        param('color', 'query', { type: 'object' }),
        param('rgb', 'query', { type: 'object' }, { explode: false }),
        param('q', 'query', { type: 'string' }),
        param('draft', 'query', { type: 'boolean' }),
        param('empty', 'query', { type: 'array' }),
        param('X-Trace', 'header', { type: 'array' }),
        param('session', 'cookie', { type: 'string' }),
        param('prefs', 'cookie', { type: 'array' }, { explode: false }),
      ],
      body: { property: 'body', contentType: 'application/json', required: true },
    });
    const result = await exec().execute(tool, {
      owner: 'a/b?c#d',
      repo: 'x y',
      tags: ['bug', 'ui & ux'],
      ids: [1, 2, 3],
      words: ['blue', 'black'],
      pipes: ['blue', 'black'],
      filter: { state: 'open', 'label name': 'a&b', nested: { deep: 1 } },
      color: { R: 100, G: 200 },
      rgb: { R: 100, G: 200 },
      q: 'is:open label:"good first"',
      draft: false,
      empty: [],
      'X-Trace': ['a', 'b'],
      session: 'abc;def',
      prefs: ['dark', 'wide'],
      body: { title: 'Hi', labels: ['x'] },
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    const req = last();
    assert.equal(req.method, 'POST');
    assert.equal(
      req.url,
      '/api/v3/repos/a%2Fb%3Fc%23d/x%20y/items' +
        '?tags=bug&tags=ui%20%26%20ux' +
        '&ids=1,2,3' +
        '&words=blue%20black' +
        '&pipes=blue|black' +
        '&filter[state]=open&filter[label%20name]=a%26b&filter[nested][deep]=1' +
        '&R=100&G=200' +
        '&rgb=R,100,G,200' +
        '&q=is%3Aopen%20label%3A%22good%20first%22' +
        '&draft=false',
    );
    assert.equal(req.headers['x-trace'], 'a,b');
    assert.equal(req.headers.cookie, 'session=abc%3Bdef; prefs=dark,wide');
    assert.equal(req.headers.accept, 'application/json');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(req.body), { title: 'Hi', labels: ['x'] });
  });

  it('serializes simple, label and matrix path styles (RFC 6570)', async () => {
    const tool = httpTool('t.styles', {
      method: 'GET',
      path: '/s/{a}/{b}/{c}/{d}/{e}/{f}/{g}',
      servers: [{ url: server.origin }],
      parameters: [
        param('a', 'path', { type: 'array' }),
        param('b', 'path', { type: 'object' }, { explode: true }),
        param('c', 'path', { type: 'array' }, { style: 'label' }),
        param('d', 'path', { type: 'array' }, { style: 'label', explode: true }),
        param('e', 'path', { type: 'object' }, { style: 'matrix' }),
        param('f', 'path', { type: 'array' }, { style: 'matrix', explode: true }),
        param('g', 'path', { type: 'string' }, { style: 'matrix' }),
      ],
    });
    const result = await exec().execute(tool, {
      a: ['x', 'y,z'],
      b: { R: 1, G: 2 },
      c: ['x', 'y'],
      d: ['x', 'y'],
      e: { R: 1, G: 2 },
      f: ['x', 'y'],
      g: 'v',
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(last().url, '/s/x,y%2Cz/R=1,G=2/.x,y/.x.y/;e=R,1,G,2/;f=x;f=y/;g=v');
  });

  it('refuses a path value that would be a dot segment, and sends nothing', async () => {
    const before = server.requests.length;
    const tool = httpTool('t.get_repo', {
      method: 'GET',
      path: '/repos/{owner}/{repo}',
      servers: [{ url: server.origin }],
      parameters: [param('owner', 'path', { type: 'string' }), param('repo', 'path', { type: 'string' })],
    });
    const result = await exec().execute(tool, { owner: '..', repo: 'secrets' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.code, 'invalid_arguments');
    assert.equal(server.requests.length, before);
  });

  it('sends form-urlencoded, multipart and text bodies with their content types', async () => {
    const mk = (contentType: string) =>
      httpTool('t.post_form', {
        method: 'POST',
        path: '/form',
        servers: [{ url: server.origin }],
        parameters: [],
        body: { property: 'body', contentType, required: true },
      });
    let result = await exec().execute(mk('application/x-www-form-urlencoded'), { body: { name: 'a b', tags: ['x', 'y'], meta: { k: 1 } } });
    assert.equal(result.ok, true);
    assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded');
    // An object with no declared encoding goes in brackets (how form-reading servers parse nesting), not as JSON.
    assert.equal(last().body, 'name=a+b&tags=x&tags=y&meta[k]=1');

    result = await exec().execute(mk('multipart/form-data'), { body: { name: 'a b', meta: { k: 1 } } });
    assert.equal(result.ok, true);
    const type = String(last().headers['content-type']);
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(type)?.[1];
    assert.ok(boundary, type);
    // Exact bytes: a text field, then the object as a JSON part (a field, not a file: no filename).
    assert.equal(
      last().body,
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\na b\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":1}\r\n--${boundary}--\r\n`,
    );

    result = await exec().execute(mk('text/plain'), { body: 'hello\nworld' });
    assert.equal(result.ok, true);
    assert.equal(last().headers['content-type'], 'text/plain');
    assert.equal(last().body, 'hello\nworld');
  });

  it('lets an accept header parameter replace the default', async () => {
    const tool = httpTool('t.raw', {
      method: 'GET',
      path: '/raw',
      servers: [{ url: server.origin }],
      parameters: [param('Accept', 'header', { type: 'string' })],
    });
    await exec().execute(tool, { Accept: 'application/vnd.github.raw+json' });
    assert.equal(last().headers.accept, 'application/vnd.github.raw+json');
  });
});
