// The loop stays awake for a moment after a bridge reply, keeps serving timers while it does, and goes
// back to sleep by itself: a hot loop that never cooled would burn a core for as long as the server runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOT_WINDOW_MS, keepLoopHot, loopIsHot } from '../../src/exec/hot-loop.js';

test('keepLoopHot polls for its window, serves timers meanwhile, then stops polling', async () => {
  assert.equal(loopIsHot(), false);
  let timerFired = false;
  setTimeout(() => (timerFired = true), 0);
  keepLoopHot();
  keepLoopHot(); // a second reply extends the window: still one poller
  assert.equal(loopIsHot(), true);
  await sleep(HOT_WINDOW_MS * 50 + 20);
  assert.equal(timerFired, true);
  assert.equal(loopIsHot(), false, 'the loop must go back to sleep once the window has passed');
});

test('the process can exit while the loop is hot: polling ends with its window', async () => {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${new URL('../../src/exec/hot-loop.ts', import.meta.url).href}').then((m) => m.keepLoopHot())`], { encoding: 'utf8', timeout: 30_000 });
  // A poller that never stopped would keep the child alive until spawnSync's timeout kills it (status null).
  assert.equal(child.status, 0, child.stderr);
});
