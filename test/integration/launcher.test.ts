import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureWebBuilt, launchBrowser } from '../support/browser.js';
import { freePorts, http, portEnv, ROOT, tempDataDir, waitFor } from '../support/services.js';

interface Launched {
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>, args: string[] = []): Launched {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/launcher/index.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NEKO_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => output.push(l));
  createInterface({ input: proc.stderr! }).on('line', (l) => output.push(l));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output, exited };
}

function pidOf(launched: Launched, service: string): Promise<number> {
  // The services' pids are not printed; find the child by its command line.
  return waitFor(`${service} pid`, async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(launched.proc.pid)], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.includes(`src/${service}/index.ts`));
    return line ? Number(line.trim().split(/\s+/)[0]) : 0;
  }, 10_000);
}

test('npm start path: four healthy services, restart after kill -9, clean stop within 3 s', { timeout: 90_000 }, async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const ports = await freePorts(7);
  const env = { ...portEnv(ports), NEKO_DATA_DIR: dir };
  const l = launch(env);
  t.after(() => l.proc.kill('SIGKILL'));

  const ready = await waitFor('ready line', () => l.output.find((line) => line.includes('ready in')), 45_000);
  assert.match(ready, new RegExp(`open http://127\\.0\\.0\\.1:${ports[0]}/`));
  const instanceIds = new Set<string>();
  for (const [service, port] of [['main', ports[0]], ['memory', ports[1]], ['monitor', ports[2]], ['agent', ports[3]]] as const) {
    const { status, body } = await http(`http://127.0.0.1:${port}/health`);
    assert.equal(status, 200, service);
    assert.equal(body.app, 'N.E.K.O');
    assert.equal(body.service, service);
    assert.equal(body.status, 'ok');
    instanceIds.add(body.instance_id);
  }
  assert.equal(instanceIds.size, 1, 'one instance id shared by every service');
  assert.ok(l.output.some((line) => line.startsWith('[memory]')), 'service log lines are prefixed');

  // kill -9 memory: the launcher restarts it; main keeps serving meanwhile.
  const memoryPid = await pidOf(l, 'memory');
  process.kill(memoryPid, 'SIGKILL');
  await waitFor('restart notice', () => l.output.find((line) => line.includes('memory exited') && line.includes('restarting')), 10_000);
  assert.equal((await http(`http://127.0.0.1:${ports[0]}/health`)).status, 200, 'main still serves');
  await waitFor('memory back', async () => (await http(`http://127.0.0.1:${ports[1]}/health`).catch(() => ({ status: 0 }))).status === 200, 20_000);
  assert.notEqual(await pidOf(l, 'memory'), memoryPid);

  const stopAt = Date.now();
  l.proc.kill('SIGTERM');
  const code = await l.exited;
  const took = Date.now() - stopAt;
  assert.equal(code, 0);
  assert.ok(took < 3000, `stopped in ${took} ms`);
  for (const port of ports.slice(0, 4)) {
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), `port ${port} still answers after stop`);
  }
});

test('a port taken by another program gives a clear error naming the port and its variable', { timeout: 30_000 }, async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const ports = await freePorts(7);
  const squatter = createServer().listen(ports[1], '127.0.0.1');
  t.after(() => squatter.close());
  await new Promise((r) => squatter.once('listening', r));
  const l = launch({ ...portEnv(ports), NEKO_DATA_DIR: dir });
  const code = await l.exited;
  assert.equal(code, 1);
  const text = l.output.join('\n');
  assert.match(text, new RegExp(`port ${ports[1]} \\(memory\\) is already in use`));
  assert.match(text, /NEKO_MEMORY_SERVER_PORT/);
});

test('binding beyond loopback without a token is refused before anything starts', { timeout: 30_000 }, async () => {
  const ports = await freePorts(7);
  const l = launch({ ...portEnv(ports), NEKO_BIND_HOST: '0.0.0.0', NEKO_ACCESS_TOKEN: '' });
  assert.equal(await l.exited, 1);
  assert.match(l.output.join('\n'), /set NEKO_ACCESS_TOKEN/);
});

test('--open-browser opens the page named by --page; a reload keeps neko running, closing the page stops every service', { timeout: 90_000 }, async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const ports = await freePorts(7);
  // $BROWSER stands in for the user's browser: it writes down the address it was asked to open.
  const opened = join(dir, 'opened.txt');
  const browser = join(dir, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
  const l = launch({ ...portEnv(ports), NEKO_DATA_DIR: dir, BROWSER: browser }, ['--open-browser', '--page', 'settings']);
  t.after(() => l.proc.kill('SIGKILL'));

  await waitFor('the page opened', () => existsSync(opened) && readFileSync(opened, 'utf8'), 45_000);
  const url = readFileSync(opened, 'utf8');
  assert.equal(url, `http://127.0.0.1:${ports[0]}/settings`);
  await waitFor('the launcher to say so', () => l.output.some((line) => line.includes('closing it stops neko')), 5000);

  // The page itself, in a real browser: a reload keeps neko running, closing the page stops it.
  ensureWebBuilt();
  const chromium = await launchBrowser();
  t.after(() => chromium.close());
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(url);
  await page.locator('#settings-nav, nav, main').first().waitFor();
  await page.reload();
  await page.locator('#settings-nav, nav, main').first().waitFor();
  await new Promise((r) => setTimeout(r, 4000)); // longer than main's grace after a beacon
  assert.equal((await http(`http://127.0.0.1:${ports[0]}/health`)).status, 200, 'a reload does not stop neko');
  await page.close({ runBeforeUnload: true });
  const code = await Promise.race([l.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
  assert.equal(code, 0, l.output.slice(-10).join('\n'));
  assert.ok(l.output.some((line) => line.includes('the page was closed')));
  assert.ok(!l.output.some((line) => line.includes('restarting')), 'main is not restarted after a requested stop');
  for (const port of ports.slice(0, 4)) {
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), `port ${port} still answers after stop`);
  }
});

test('an unknown launcher option or a bad --page is refused with a clear message', { timeout: 30_000 }, async () => {
  for (const [args, pattern] of [[['--frobnicate'], /unknown option --frobnicate/], [['--page', '../etc'], /--page needs a page name/]] as const) {
    const l = launch({}, [...args]);
    assert.equal(await l.exited, 2);
    assert.match(l.output.join('\n'), pattern);
  }
});
