// Multi-intent requests: cut into steps at the words people join steps with; step scores fused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addStepScores, MAX_INTENTS, splitIntents } from '../../src/search/sub-intents.js';

test('steps are cut at then / ; / also, and at "and" or commas between two clauses', () => {
  assert.deepEqual(splitIntents('find the thread about upgrading, then bookmark it for me'), ['find the thread about upgrading', 'bookmark it for me']);
  assert.deepEqual(splitIntents('list all the badges and create a new one called Top Helper'), ['list all the badges', 'create a new one called Top Helper']);
  assert.deepEqual(splitIntents('show my notifications; mark them all read'), ['show my notifications', 'mark them all read']);
});

test('a list of objects is not a list of steps; a one-step request gives no steps', () => {
  assert.deepEqual(splitIntents('add sam and priya to the beta testers group'), []);
  assert.deepEqual(splitIntents('create an issue'), []);
  assert.deepEqual(splitIntents('stocks, bonds and funds'), []);
});

test('a long paragraph is cut into at most MAX_INTENTS steps, the rest joined into the last', () => {
  const steps = splitIntents('get the weather in paris; book a table for two; send the invite to bob; add it to my calendar; then call a taxi home');
  assert.equal(steps.length, MAX_INTENTS);
  assert.match(steps.at(-1)!, /calendar.*taxi/);
});

test('each tool gains its best step score, each step scaled by its own maximum', () => {
  const scores = new Float64Array([0.5, 0.2, 0]);
  addStepScores(scores, [new Float64Array([2, 0, 0]), new Float64Array([0, 0.1, 0.4])], 0.5);
  assert.deepEqual([...scores].map((x) => Number(x.toFixed(3))), [1, 0.325, 0.5]);
});
