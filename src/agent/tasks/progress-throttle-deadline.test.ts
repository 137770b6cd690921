import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deadline } from './deadline.js';
import { ProgressThrottle } from './progress-throttle.js';
import type { TaskProgress } from './task-registry.js';

test('a burst of progress reports goes out as the first one at once and the merged latest one after the interval', async () => {
  const sent: TaskProgress[] = [];
  let delivered: () => void = () => {};
  const second = new Promise<void>((resolve) => (delivered = resolve));
  const throttle = new ProgressThrottle((p) => {
    sent.push(p);
    if (sent.length === 2) delivered();
  });
  throttle.report({ stage: 'calling', message: 'everything/op' });
  // Reported in one synchronous burst: nothing but the first may pass before the interval is over.
  for (let i = 1; i <= 1000; i++) throttle.report({ progress: i / 1000, step: i, step_total: 1000 });
  assert.deepEqual(sent, [{ stage: 'calling', message: 'everything/op' }]);
  await second;
  assert.deepEqual(sent[1], { progress: 1, step: 1000, step_total: 1000 });
  throttle.report({ message: 'almost' });
  throttle.report({ progress: 0.5 });
  throttle.flush();
  throttle.flush();
  assert.equal(sent.length <= 4, true, `at most two more sends: ${JSON.stringify(sent)}`);
  assert.deepEqual({ ...sent[2], ...sent[3] }, { message: 'almost', progress: 0.5 }, 'flush sends what was waiting, once');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

test('a deadline extended by progress outlives its first time limit, then expires; extending never passes the cap', { timeout: 20_000 }, async () => {
  const kept = new Deadline(1000, 60_000, (cause) => new Error(cause));
  await sleep(600);
  kept.extend();
  await sleep(600);
  assert.equal(kept.signal.aborted, false, 'still alive 1.2 s into a 1 s limit that was extended at 0.6 s');
  await aborted(kept.signal);
  assert.equal((kept.signal.reason as Error).message, 'timeout');

  const capped = new Deadline(60_000, 50, (cause) => new Error(cause));
  capped.extend();
  await aborted(capped.signal);
  assert.equal((capped.signal.reason as Error).message, 'cap');
});
