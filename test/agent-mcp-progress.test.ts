import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AgentHarness, everythingServer } from './support/agent-harness.js';
import { http, tempDataDir } from './support/services.js';
import { waitFor } from './support/wait.js';

/**
 * Progress notifications of a real MCP server (server-everything's trigger-long-running-operation sends one per
 * step when the call carries a progressToken) reaching main as the task's progress over real ZeroMQ.
 */
describe('MCP progress notifications reach main as task progress', () => {
  const data = tempDataDir('neko-agent-mcp-progress-');
  let h: AgentHarness;

  before(async () => {
    h = new AgentHarness(data.dir);
    // A 2 s call timeout: only progress keeps the longer operations below alive.
    await h.startWithMcp({ everything: { ...everythingServer(), timeout: 2 } });
  });
  after(async () => {
    await h?.close();
    data.cleanup();
  });

  const updatesOf = (id: string) => h.ofType('task_update').filter((e) => e.task.id === id).map((e) => e.task);
  const durationOf = (seconds: number) => (e: { task: { status: string; params?: unknown } }) =>
    e.task.status === 'running' && (e.task.params as { args?: { duration?: number } })?.args?.duration === seconds;

  test('a chatty operation shows rising progress, throttled, then completes', { timeout: 60_000 }, async () => {
    // 100 notifications 20 ms apart.
    await h.analyze('Trigger a long running operation for 2 seconds with 100 steps');
    const id = await waitFor('the task running', () => h.ofType('task_update').find(durationOf(2))?.task.id, 20_000);
    const result = await h.waitForResult('the operation finished', (e) => e.task_id === id, 30_000);
    assert.equal(result.success, true, result.error_message);
    assert.match(result.detail, /Long running operation completed/);

    const updates = updatesOf(id);
    const reported = updates.filter((t) => t.status === 'running' && typeof t.progress === 'number');
    const fractions = reported.map((t) => t.progress as number);
    assert.ok(fractions.length >= 2, `progress reached main: ${JSON.stringify(fractions)}`);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i]! > fractions[i - 1]!, `progress rises: ${fractions.join(', ')}`);
    assert.ok(fractions.every((f) => f > 0 && f <= 1), fractions.join(', '));
    assert.ok(fractions.at(-1)! >= 0.5, `progress went most of the way: ${fractions.join(', ')}`);
    assert.ok(fractions.length < 50, `100 notifications are throttled (${fractions.length} updates)`);
    const last = reported.at(-1)!;
    assert.equal(last.step_total, 100);
    assert.equal(last.step, Math.round(last.progress! * 100), 'steps counted as the server counts them');
    const final = updates.at(-1)!;
    assert.equal(final.status, 'completed');
    // The SDK may drop a notification that arrives together with the result; whatever was last reported stays.
    assert.equal(final.progress, last.progress, 'the completed update keeps the last progress');
  });

  test('an operation longer than the call timeout survives because it keeps reporting progress', { timeout: 60_000 }, async () => {
    // 10 s with a notification every 0.5 s against a 2 s call timeout (the task's own limit is 2 + 5 s).
    await h.analyze('Trigger a long running operation for 10 seconds with 20 steps');
    const id = await waitFor('the task running', () => h.ofType('task_update').find(durationOf(10))?.task.id, 20_000);
    const result = await h.waitForResult('the long operation finished', (e) => e.task_id === id, 40_000);
    assert.equal(result.success, true, result.error_message);
    assert.match(result.detail, /Duration: 10 seconds, Steps: 20/);
    const steps = updatesOf(id).filter((t) => t.status === 'running' && typeof t.step === 'number').map((t) => t.step);
    assert.ok(steps.length >= 10, `a step at a time: ${steps.join(', ')}`);
    const record = await http(`${h.url}/tasks/${id}`);
    assert.equal(record.body.status, 'completed');
  });

  test('a status snapshot carries a running task\'s progress', { timeout: 60_000 }, async () => {
    await h.analyze('Trigger a long running operation for 6 seconds with 6 steps');
    const id = await waitFor('the task running', () => h.ofType('task_update').find(durationOf(6))?.task.id, 20_000);
    const progress = await waitFor('a snapshot with progress', async () => {
      const state = await http(`${h.url}/agent/state`);
      const task = (state.body.snapshot.active_tasks as Array<{ id: string; progress: number | null }>).find((t) => t.id === id);
      return typeof task?.progress === 'number' ? { value: task.progress } : null;
    }, 20_000, 100);
    assert.ok(progress.value > 0 && progress.value < 1, String(progress.value));
    await h.waitForResult('the operation finished', (e) => e.task_id === id, 30_000);
  });
});
