import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskProgressOf } from './mcp-progress.js';

test('MCP progress becomes a fraction with steps when there is a total, an indeterminate bar without one', () => {
  assert.deepEqual(taskProgressOf({ progress: 3, total: 4 }), { progress: 0.75, step: 3, step_total: 4 });
  assert.deepEqual(taskProgressOf({ progress: 512, total: 2048, message: '  copying  ' }), { progress: 0.25, message: 'copying' }, 'a big total is no step count');
  assert.deepEqual(taskProgressOf({ progress: 0.4, total: 1 }), { progress: 0.4 });
  assert.deepEqual(taskProgressOf({ progress: 7, total: 5 }), { progress: 1, step: 5, step_total: 5 }, 'overshoot is capped');
  assert.deepEqual(taskProgressOf({ progress: 42 }), { progress: null });
  assert.deepEqual(taskProgressOf({ progress: 1, total: 0, message: 'warming up' }), { progress: null, message: 'warming up' });
  assert.equal(taskProgressOf({ progress: 1, message: 'x'.repeat(500) }).message!.length, 200);
});
