import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentDb } from '../store/agent-db.js';
import { instructionKey } from './instruction-key.js';
import { Slots } from './slots.js';
import { TaskRegistry } from './task-registry.js';

test('instruction keys ignore case, punctuation and spacing but not content or arguments', () => {
  assert.equal(instructionKey('browser_use', 'Open the  calculator!'), instructionKey('browser_use', 'open the calculator'));
  assert.equal(instructionKey('x', 'ＡＢＣ'), instructionKey('x', 'abc'), 'full-width letters fold (NFKC)');
  assert.notEqual(instructionKey('browser_use', 'open the calculator'), instructionKey('computer_use', 'open the calculator'));
  assert.notEqual(instructionKey('x', 'open calculator'), instructionKey('x', 'open calendar'));
  assert.equal(instructionKey('mcp', '', { b: 1, a: [1, { y: 2, x: 1 }] }), instructionKey('mcp', '', { a: [1, { x: 1, y: 2 }], b: 1 }));
  assert.notEqual(instructionKey('mcp', '', { a: 1 }), instructionKey('mcp', '', { a: 2 }));
});

test('slots admit at most `limit` holders in arrival order; an aborted waiter never gets one', async () => {
  const slots = new Slots(1);
  const order: string[] = [];
  const first = await slots.acquire(new AbortController().signal);
  const gone = new AbortController();
  const second = slots.acquire(gone.signal);
  const third = slots.acquire(new AbortController().signal).then((release) => {
    order.push('third');
    return release;
  });
  assert.equal(slots.queued, 2);
  gone.abort(new Error('cancelled'));
  await assert.rejects(second, /cancelled/);
  assert.equal(slots.queued, 1);
  first();
  first(); // releasing twice must not free two slots
  (await third)();
  assert.deepEqual(order, ['third']);
  assert.equal(slots.inUse, 0);
});

test('the registry finishes a task once, cancels exactly the one asked for, and fails leftovers after a restart', () => {
  const db = new AgentDb(':memory:');
  const registry = new TaskRegistry(db);
  const updates: string[] = [];
  registry.on('update', (t) => updates.push(`${t.id.slice(0, 4)}:${t.status}`));
  const a = registry.create({ type: 'mcp', lanlan_name: 'x', params: { instruction: 'a' }, dedupe_key: 'ka' });
  const b = registry.create({ type: 'mcp', lanlan_name: 'x', params: { instruction: 'b' }, dedupe_key: 'kb' });
  registry.setRunning(a.id);
  registry.setRunning(b.id);
  assert.equal(registry.findDuplicate('x', 'ka')?.id, a.id);
  assert.equal(registry.findDuplicate('y', 'ka'), undefined, 'another character may ask for the same');
  assert.equal(registry.cancel(a.id), true);
  assert.equal(a.signal.aborted, true);
  assert.equal(b.signal.aborted, false, 'only the cancelled task is aborted');
  assert.equal(registry.finish(a.id, 'completed', { result: 1 }), false, 'a late result does not overwrite the cancel');
  assert.equal(registry.get(a.id)?.status, 'cancelled');
  assert.equal(registry.findDuplicate('x', 'ka'), undefined);

  // A new registry on the same file is a restarted agent: b was still running.
  const restarted = new TaskRegistry(db);
  const failed = restarted.recoverAfterRestart();
  assert.deepEqual(failed.map((t) => t.id), [b.id]);
  assert.equal(restarted.get(b.id)?.status, 'failed');
  assert.match(restarted.get(b.id)?.error ?? '', /agent restarted/);
  assert.equal(restarted.get(a.id)?.status, 'cancelled');
  db.close();
});
