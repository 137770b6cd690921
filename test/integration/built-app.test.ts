import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts, http, portEnv, ROOT, tempDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

/**
 * `npm start` runs the bundles in dist/ with the node flags of package.json's start script — not the sources
 * the other tests run through tsx. This starts exactly that command line, so a flag or bundling problem
 * (a service that crashes only when built) fails here.
 */
test('the built app, started as `npm start` starts it, stays healthy and stops cleanly', { timeout: 60_000 }, async (t) => {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.split(/\s+/);
  assert.equal(command, 'node');
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const ports = await freePorts(7);
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...portEnv(ports), NEKO_DATA_DIR: dir, NEKO_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => proc.kill('SIGKILL'));
  const output: string[] = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => output.push(l));
  createInterface({ input: proc.stderr! }).on('line', (l) => output.push(l));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

  await waitFor('ready line', () => output.some((l) => l.includes('ready in')), 45_000);
  // A service that dies right after start-up is restarted by the launcher and would still look healthy:
  // watch for a while and require that nothing exited.
  await new Promise((r) => setTimeout(r, 3000));
  assert.deepEqual(output.filter((l) => /exited|cannot start|Error/.test(l)), [], 'no service crashed');
  for (const port of ports.slice(0, 4)) {
    const res = await http(`http://127.0.0.1:${port}/health`);
    assert.equal(res.status, 200);
    assert.equal(res.body.app, 'N.E.K.O');
  }
  // Each service does real work once built: main answers a text turn through the offline sim.
  const page = await http(`http://127.0.0.1:${ports[0]}/api/characters/current_catgirl`);
  assert.equal(page.body.current_catgirl, 'test');
  proc.kill('SIGINT');
  assert.equal(await exited, 0);
});
