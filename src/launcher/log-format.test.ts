import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine } from './log-format.js';
import { Backoff, BACKOFF_MAX_MS, STABLE_AFTER_MS } from './backoff.js';

test('JSON log lines become one prefixed readable line', () => {
  const line = JSON.stringify({ level: 40, time: '2026-11-27T09:42:45.123Z', service: 'main', name: 'main', msg: 'slow provider', character: '小天', ms: 812 });
  assert.equal(formatLogLine('main', line), '[main]    09:42:45 WARN  slow provider  character=小天 ms=812');
});

test('non-JSON lines are prefixed as they are', () => {
  assert.equal(formatLogLine('agent', 'plain text'), '[agent]   plain text');
  assert.equal(formatLogLine('agent', '42'), '[agent]   42');
});

test('back-off doubles to a cap and resets after a stable run', () => {
  const b = new Backoff();
  assert.deepEqual([b.next(0), b.next(0), b.next(0)], [500, 1000, 2000]);
  for (let i = 0; i < 10; i++) b.next(0);
  assert.equal(b.next(0), BACKOFF_MAX_MS);
  assert.equal(b.next(STABLE_AFTER_MS), 500);
});
