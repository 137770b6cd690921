import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AgentHarness } from './support/agent-harness.js';
import { http, tempDataDir } from './support/services.js';
import { waitFor } from './support/wait.js';
import { startXvfb, type VirtualDisplay } from './support/xvfb.js';

/**
 * Computer use under Xvfb with a real X program: an xterm whose shell reads one line and writes it to a file.
 * The sim model clicks the window, types, presses Enter; the test reads what the program received.
 */
const data = tempDataDir('neko-agent-computer-');
const out = join(data.dir, 'typed.txt');
let x: VirtualDisplay;
let xterm: ChildProcess;
let h: AgentHarness;

before(async () => {
  x = await startXvfb('800x600x24');
  // Covers the whole screen, so a click at the centre lands in it (no window manager: focus follows the pointer).
  // C locale and +lc: xterm never looks for luit (a Recommends that a --no-install-recommends machine lacks).
  let stderr = '';
  xterm = spawn('xterm', ['+lc', '-geometry', '200x80+0+0', '-e', 'sh', '-c', `read line; printf '%s' "$line" > '${out}'; sleep 30`], {
    env: { ...process.env, DISPLAY: x.display, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  xterm.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor('xterm mapped', async () => {
    if (xterm.exitCode !== null) throw new Error(`xterm exited with ${xterm.exitCode}: ${stderr.trim()}`);
    const r = spawn('xdotool', ['search', '--onlyvisible', '--class', 'xterm'], { env: { ...process.env, DISPLAY: x.display } });
    return new Promise<boolean>((res) => r.once('exit', (code) => res(code === 0)));
  }, 20_000, 100).catch((e: Error) => {
    throw new Error(`${e.message}; xterm stderr: ${stderr.trim() || '(none)'}`);
  });
  h = new AgentHarness(data.dir, { DISPLAY: x.display, NEKO_BROWSER_HEADLESS: '1' });
  await h.start();
});
after(async () => {
  await h?.close();
  xterm?.kill();
  await x?.stop();
  data.cleanup();
});

test('computer use is off by default and enabling it is explicit', async () => {
  const flags = (await http(`${h.url}/agent/flags`)).body;
  assert.equal(flags.agent_flags.computer_use_enabled, false);
  const refused = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: 'type "x" in the terminal' } });
  assert.equal(refused.status, 503);
  assert.ok(refused.body.reasons.includes('AGENT_FLAG_DISABLED'));
  const availability = (await http(`${h.url}/computer_use/availability`)).body;
  assert.equal(availability.ready, true, JSON.stringify(availability));
});

test('a computer-use task types into a real xterm and presses Enter', { timeout: 60_000 }, async () => {
  await h.enable({ computer_use_enabled: true });
  await h.analyze('In the terminal window on the desktop, type "hello neko 42" and press Enter');
  const result = await h.waitForResult('computer task_result', (e) => e.channel === 'computer_use', 45_000);
  assert.equal(result.success, true, result.error_message);
  await waitFor('xterm wrote the line', () => existsSync(out), 5000);
  assert.equal(readFileSync(out, 'utf8'), 'hello neko 42');
  const actions = (await http(`${h.url}/tasks/${result.task_id}`)).body.result.actions as string[];
  assert.deepEqual(actions.map((a) => a.split(' ')[0]), ['click', 'type', 'key']);
  assert.match(actions[0]!, /→ clicked left at 400,300$/, 'x=500,y=500 on the 0-999 grid is the centre of 800x600');
});

test('computer-use tasks run one at a time; cross-site and malformed requests are refused', { timeout: 30_000 }, async () => {
  const cross = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: 'type "a"' }, headers: { origin: 'http://evil.example' } });
  assert.equal(cross.status, 403);
  const empty = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: '   ' } });
  assert.equal(empty.status, 400);
  const a = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: 'type "first" in the terminal then wait' } });
  const b = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: 'type "second" in the terminal then wait' } });
  assert.equal(a.body.status, 'queued');
  const dup = await http(`${h.url}/computer_use/run`, { method: 'POST', json: { instruction: 'Type "second" in the terminal, then wait!' } });
  assert.deepEqual([dup.status, dup.body.duplicate, dup.body.matched_id], [409, true, b.body.task_id]);
  const limits = (await http(`${h.url}/agent/state`)).body.snapshot.limits.computer_use;
  assert.equal(limits.limit, 1);
  assert.ok(limits.running <= 1);
  await waitFor('both finished', async () => {
    const [ta, tb] = await Promise.all([http(`${h.url}/tasks/${a.body.task_id}`), http(`${h.url}/tasks/${b.body.task_id}`)]);
    return ta.body.status === 'completed' && tb.body.status === 'completed' ? [ta.body, tb.body] : null;
  }, 20_000, 50);
  const updates = h.ofType('task_update').filter((e) => [a.body.task_id, b.body.task_id].includes(e.task.id));
  // Never both running at once: b starts running only after a completed.
  const aDone = updates.findIndex((e) => e.task.id === a.body.task_id && e.task.status === 'completed');
  const bRunning = updates.findIndex((e) => e.task.id === b.body.task_id && e.task.status === 'running');
  assert.ok(aDone >= 0 && bRunning > aDone, 'the second task waited for the first');
});
