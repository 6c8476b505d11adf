// The report cannot claim what failed replays did not show: failures are named at the top, totals,
// anchors and goals come only from tasks that succeeded, and the Markdown describes only its columns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANCHORS, checkGoals } from '../../src/bench/anchors.js';
import type { BenchResult, TaskResult } from '../../src/bench/bench-result.js';
import type { CatalogFigures } from '../../src/bench/catalog-figures.js';
import type { TaskRun } from '../../src/bench/replay.js';
import { markdownReport, terminalReport } from '../../src/bench/report.js';

const t = (o200k: number) => ({ o200k });
const figures: CatalogFigures = { label: 'Twilio', tools: 197, plain: t(60_000), namesOnly: t(4_000), declarations: t(30_000), modes: { dynamic: t(560), code: t(750), both: t(892) } };
const run = (total: number, ok = true): TaskRun => ({ ok, ...(ok ? {} : { error: 'twilio.send_sms: Error (http_error): HTTP 401 Unauthorized' }), total: t(total), parts: { 'tools/list': t(total / 2), execute_tool: t(total / 2) } });
/** A task whose static run cost `s` and dynamic/code `d`/`c`; `ok` false fails every mode. */
const task = (name: string, s: number, d: number, c: number, ok = true): TaskResult => ({ task: name, runs: { static: run(s, ok), dynamic: run(d, ok), code: run(c, ok) } });
const result = (tasks: TaskResult[]): BenchResult => ({ catalogs: [{ figures, startMs: 1000, tasks }], hasClaude: false });

const TASK_ANCHORS = ANCHORS.filter((a) => a.who !== 'Cloudflare Code Mode');

describe('every task failed', () => {
  const all = result([task('send an SMS', 60_000, 1_200, 1_100, false), task('list calls', 61_000, 1_300, 1_000, false)]);

  test('the report says so at the top, terminal and Markdown', () => {
    assert.match(terminalReport(all).split('\n')[0]!, /^FAILED: 2 of 2 tasks failed \(Twilio\)/);
    assert.match(markdownReport(all).split('\n')[2]!, /^> \*\*FAILED: 2 of 2 tasks failed \(Twilio\)/);
  });

  test('no task anchor has a figure of ours, no task goal is met, no totals table is printed', () => {
    for (const anchor of TASK_ANCHORS) assert.equal(anchor.ours(all), undefined, anchor.who);
    const goals = checkGoals(all).filter((g) => g.goal.startsWith('Twilio tasks'));
    assert.equal(goals.length, 2);
    for (const g of goals) {
      assert.equal(g.met, false);
      assert.equal(g.detail, 'not measured: all 2 tasks failed');
    }
    assert.doesNotMatch(terminalReport(all), /met\] Twilio|share of static|fewer tokens/);
    assert.doesNotMatch(markdownReport(all), /✅ met: Twilio|fewer tokens|\| share of static \|/);
  });
});

describe('some tasks failed', () => {
  // Succeeded: static 100,000, dynamic 2,000 (2%), code 1,000. The failed one would drag dynamic to 2.5%.
  const some = result([task('list calls', 100_000, 2_000, 1_000), task('send an SMS', 1_000, 500, 500, false)]);

  test('goals and anchors are computed from the succeeded tasks only, and say so', () => {
    const dynamic = checkGoals(some).find((g) => g.goal === 'Twilio tasks, dynamic mode: total at most 3% of static')!;
    assert.equal(dynamic.detail, '2.00% of static, from the 1 succeeded tasks of 2');
    const speakeasy = ANCHORS.find((a) => a.who === 'Speakeasy dynamic toolsets')!;
    assert.equal(speakeasy.ours(some), "toolshed --mode dynamic on Twilio's 1 succeeded tasks of 2: 98.0% fewer tokens than static (input and output together)");
  });

  test('the totals table is over the succeeded tasks', () => {
    assert.match(terminalReport(some), /Totals over the 1 tasks that succeeded\nmode +tokens \(o200k\) +per task/);
    assert.match(terminalReport(some), /\ndynamic +2,000 +2,000 +2\.00% +98\.00%/);
  });
});

describe('the Markdown describes only the columns it has', () => {
  test('without the Claude tokenizer: no Claude table or column, and no promise about a reduction column', () => {
    const upfrontOnly: BenchResult = { catalogs: [{ figures, startMs: 1000 }], hasClaude: false };
    const md = markdownReport(upfrontOnly, { command: 'toolshed bench tokens' });
    assert.doesNotMatch(md, /Claude tokenizer \(approximate\):|Claude \(approx\.\)|the Claude column/);
    assert.doesNotMatch(md, /reductions below/);
    const withTasks = markdownReport(result([task('list calls', 100_000, 2_000, 1_000)]));
    assert.match(withTasks, /\| mode \| tokens \(o200k\) \| per task \| share of static \| reduction \| without tools\/list \|/);
    assert.match(withTasks, /the task table's reductions are lower bounds/);
  });
});
