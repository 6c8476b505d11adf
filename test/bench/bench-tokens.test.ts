// `toolshed bench tokens` end to end on a small spec served by a recording node:http API: the real CLI,
// real toolshed children per mode, one task replayed per mode, the report files written.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { BenchResult } from '../../src/bench/bench-result.js';
import { BIN } from '../helpers/mcp-client.js';

/** Four toolshed start-ups and a run_code on a busy 2-core machine (load average 35 with eight helpers: 120 s was not enough); under npm test's 300 s ceiling. */
const BENCH_TIMEOUT_MS = 280_000;
const NOTES = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, title: `note ${i + 1}`, tags: ['work', 'draft'] }));

let api: http.Server;
let dir: string;
const requests: string[] = [];

before(async () => {
  api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const send = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === '/notes' && req.method === 'GET') return send(200, NOTES);
      if (req.url === '/notes' && req.method === 'POST') return send(201, { id: 41, words: 0, ...JSON.parse(body) });
      const note = /^\/notes\/(\d+)$/.exec(req.url ?? '');
      if (note) return send(200, { id: Number(note[1]), title: `note ${note[1]}`, words: 10 * Number(note[1]) });
      return send(404, { message: 'no such note' });
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const note = { type: 'object', required: ['id', 'title', 'words'], properties: { id: { type: 'integer' }, title: { type: 'string' }, words: { type: 'integer' } } };
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Notes', version: '1' },
    servers: [{ url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` }],
    components: { schemas: { Note: note } },
    paths: {
      '/notes': {
        get: { operationId: 'listNotes', summary: 'List notes', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' } } } } } } } } },
        post: { operationId: 'createNote', summary: 'Create a note', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } } } } }, responses: { 201: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } },
      },
      '/notes/{id}': { get: { operationId: 'getNote', summary: 'Get a note', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } } },
    },
  };
  dir = mkdtempSync(join(tmpdir(), 'toolshed-bench-'));
  writeFileSync(join(dir, 'notes.json'), JSON.stringify(spec));
  writeFileSync(
    join(dir, 'tasks.json'),
    JSON.stringify([
      { task: 'How many words do notes 1 and 2 have together?', steps: [{ tool: 'notes.list_notes' }, { tool: 'notes.get_note', arguments: { id: 1 } }, { tool: 'notes.get_note', arguments: { id: 2 } }], returns: 'r[1].words + r[2].words' },
      { task: 'Create a note titled groceries', steps: [{ tool: 'notes.create_note', arguments: { body: { title: 'groceries' } } }], returns: 'const created = r[0];\nreturn created.id;' },
    ]),
  );
});

after(() => api.close());

test('bench tokens replays each task per mode through a running toolshed and writes the report', { timeout: BENCH_TIMEOUT_MS }, async () => {
  const out = join(dir, 'out');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'bench', 'tokens', '--openapi', `notes=${join(dir, 'notes.json')}`, '--tasks', join(dir, 'tasks.json'), '--out', out, '--allow-writes'], {
    timeout: BENCH_TIMEOUT_MS,
  });
  assert.match(stderr, /--allow-writes: 1 task\(s\) write to the catalog's own servers \(the real API\); each is replayed 3 times \(static, dynamic, code\)[^\n]*:\n {2}task 2 "Create a note titled groceries": notes\.create_note \(POST \/notes\)\n/);
  assert.match(stdout, /notes: 2 tasks replayed/);
  assert.match(stdout, /\[met\] Upfront tokens/);
  for (const file of ['tokens.md', 'tokens.svg', 'tokens.json']) assert.ok(existsSync(join(out, file)), file);

  const result = JSON.parse(readFileSync(join(out, 'tokens.json'), 'utf8')) as BenchResult;
  const [catalog] = result.catalogs;
  const { figures, tasks } = catalog!;
  assert.equal(figures.label, 'notes');
  assert.equal(figures.tools, 3);
  assert.ok(figures.modes.dynamic.o200k < figures.modes.code.o200k && figures.modes.code.o200k < figures.modes.both.o200k, JSON.stringify(figures.modes));
  assert.ok(figures.modes.both.o200k <= 1000);

  const [sum, create] = tasks!;
  for (const task of tasks!) for (const [mode, run] of Object.entries(task.runs)) assert.ok(run.ok, `${task.task} (${mode}): ${run.error}`);
  assert.equal(sum!.runs.code.result, 30, 'the generated program ran and returned only what the task asks');
  assert.equal(create!.runs.code.result, 41);

  assert.deepEqual(Object.keys(sum!.runs.dynamic.parts), ['tools/list', 'search_tools', 'describe_tools', 'execute_tool']);
  assert.deepEqual(Object.keys(sum!.runs.code.parts), ['tools/list', 'search_tools', 'describe_tools', 'run_code']);
  assert.deepEqual(Object.keys(sum!.runs.static.parts), ['tools/list', 'tools/call']);
  assert.deepEqual(sum!.runs.static.parts['tools/list'], figures.plain, "static pays the plain server's tools/list");
  assert.deepEqual(sum!.runs.dynamic.parts['tools/list'], figures.modes.dynamic, 'each task pays its mode\'s tools/list once');
  for (const run of Object.values(sum!.runs)) assert.equal(run.total.o200k, Object.values(run.parts).reduce((s, p) => s + p.o200k, 0));
  // One list response (40 notes) crosses the wire in dynamic and static; code mode returns one number.
  assert.ok(sum!.runs.code.parts.run_code!.o200k < sum!.runs.dynamic.parts.execute_tool!.o200k / 3, JSON.stringify(sum!.runs.code.parts));
  assert.equal(sum!.runs.dynamic.found?.needed, 2);
  // Dynamic mode's answer, from the results as the model read them, is checked against code mode's.
  assert.equal(sum!.runs.dynamic.result, 30);
  assert.equal(create!.runs.dynamic.result, 41);
  // Per step: each call in order, its tokens summing to the task's.
  assert.deepEqual(sum!.runs.dynamic.steps!.map((s) => s.part), ['tools/list', 'search_tools', 'describe_tools', 'execute_tool', 'execute_tool', 'execute_tool']);
  for (const run of [sum!.runs.dynamic, sum!.runs.code]) assert.equal(run.steps!.reduce((s, p) => s + p.tokens.o200k, 0), run.total.o200k);
  assert.match(stdout, /Per step, dynamic mode[^\n]*\n#\s+task\s+tools\/list\s+search_tools\s+describe_tools\s+execute_tool\s+total/);
  assert.match(readFileSync(join(out, 'tokens.md'), 'utf8'), /\| 1 \| How many words do notes[^|]* \| \d+ \| \d+ \| \d+ \| \d+ \+ \d+ \+ \d+ \| [\d,]+ \|/);

  // Every step reached the API once per mode: dynamic, code, static.
  const count = (r: string) => requests.filter((x) => x === r).length;
  assert.equal(count('GET /notes'), 3);
  assert.equal(count('GET /notes/1'), 3);
  assert.equal(count('POST /notes'), 3);
});

test('without --allow-writes a writing task is refused before anything is sent, and listed', { timeout: BENCH_TIMEOUT_MS }, async () => {
  const before = requests.length;
  const run = await promisify(execFile)(process.execPath, [BIN, 'bench', 'tokens', '--openapi', `notes=${join(dir, 'notes.json')}`, '--tasks', join(dir, 'tasks.json'), '--out', join(dir, 'refused')], { timeout: BENCH_TIMEOUT_MS }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /1 task\(s\) would write to the catalog's own servers \(the real API\); each is replayed 3 times[^\n]*:\n {2}task 2 "Create a note titled groceries": notes\.create_note \(POST \/notes\)\nPoint the catalog at a mock \(--server NAME=URL/);
  assert.equal(requests.length, before, 'no request was sent');
  assert.ok(!existsSync(join(dir, 'refused', 'tokens.md')), 'no report is written');
});
