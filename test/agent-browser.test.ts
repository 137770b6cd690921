import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AgentHarness } from './support/agent-harness.js';
import { http, tempDataDir } from './support/services.js';

/** A local site for the browser to use: a form whose answer only exists after a real submit. */
const FORM = `<!doctype html><html><head><title>Greeter</title></head><body>
<h1>Greeter</h1>
<form method="GET" action="/hello"><label for="n">Name</label> <input id="n" name="name"> <button type="submit">Submit</button></form>
</body></html>`;

const data = tempDataDir('neko-agent-browser-');
let site: Server;
let siteUrl: string;
let h: AgentHarness;
const visits: string[] = [];

before(async () => {
  site = createServer((req, res) => {
    visits.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (url.pathname === '/hello') res.end(`<!doctype html><title>Greeting</title><p id="out">Hello, ${url.searchParams.get('name')?.replace(/[<>&]/g, '')}! Your ticket is 7731.</p>`);
    else res.end(FORM);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  h = new AgentHarness(data.dir, { NEKO_BROWSER_HEADLESS: '1' });
  await h.start();
  await h.enable({ browser_use_enabled: true });
});
after(async () => {
  await h?.close();
  site?.close();
  data.cleanup();
});

test('a browser task from an analyze request fills and submits a local form; the answer reaches main', { timeout: 60_000 }, async () => {
  await h.analyze(`Open ${siteUrl}/form in the browser, type "Neko" into the name field, press the Submit button and tell me the ticket number`);
  const result = await h.waitForResult('browser task_result', (e) => e.channel === 'browser_use', 45_000);
  assert.equal(result.success, true, result.error_message);
  assert.match(result.detail, /Hello, Neko! Your ticket is 7731/);
  assert.ok(visits.some((v) => v.startsWith('/hello?name=Neko')), `the form was really submitted (${visits.join(', ')})`);
  const steps = h.ofType('task_update').filter((e) => e.task.id === result.task_id && typeof e.task.step === 'number');
  assert.ok(steps.some((e) => e.task.stage === 'navigate') && steps.some((e) => e.task.stage === 'type') && steps.some((e) => e.task.stage === 'click'), 'each action was reported for the HUD');
  const record = (await http(`${h.url}/tasks/${result.task_id}`)).body;
  assert.equal(record.status, 'completed');
  assert.ok(record.result.actions.length >= 3);
});

test('/browser_use/run answers synchronously, refuses cross-site callers and oversized instructions', { timeout: 60_000 }, async () => {
  const instruction = `Open ${siteUrl}/form and type "Mochi" into the name field and press the Submit button`;
  const crossSite = await http(`${h.url}/browser_use/run`, { method: 'POST', json: { instruction }, headers: { origin: 'http://evil.example' } });
  assert.equal(crossSite.status, 403);
  const fetchSite = await http(`${h.url}/browser_use/run`, { method: 'POST', json: { instruction }, headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(fetchSite.status, 403);
  const huge = await http(`${h.url}/browser_use/run`, { method: 'POST', json: { instruction: 'x'.repeat(2001) } });
  assert.equal(huge.status, 400);
  assert.match(huge.body.error, /longer than 2000/);
  const run = await http(`${h.url}/browser_use/run`, { method: 'POST', json: { instruction } });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.success, true);
  assert.match(run.body.result.result, /Hello, Mochi!/);
});
