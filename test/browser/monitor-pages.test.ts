import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureWebBuilt, launchBrowser, startNeko, PageProblems, type BrowserContext, type Services, type TestBrowser } from '../support/browser.js';
import { ChatClient } from '../support/chat-client.js';
import { freePorts, http, startService, type RunningService } from '../support/services.js';
import { customModelConfig, startChatModelServer, type ChatModelServer } from '../support/chat-model-server.js';
import { waitFor } from '../support/wait.js';

let monitor: RunningService;
let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;
let model: ChatModelServer;
/** What the scripted assist model answers to every translation request. */
const TRANSLATION = '你好，我是离线演示。';

before(async () => {
  ensureWebBuilt();
  // Each side must know the other's port: the monitor forwards subtitle translations to main.
  const [mainPort] = await freePorts(1);
  monitor = await startService('monitor', { env: { NEKO_MAIN_SERVER_PORT: String(mainPort) } });
  neko = await startNeko({ NEKO_MONITOR_SERVER_PORT: String(monitor.port), NEKO_MAIN_SERVER_PORT: String(mainPort) });
  // A scripted assist model plays the translator (the sim is a chat demo, not a translator).
  model = await startChatModelServer(() => ({ content: TRANSLATION }));
  const saved = await http(`${neko.main.url}/api/config/core_api`, { method: 'POST', json: customModelConfig(model.baseUrl) });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 960, height: 640 } });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
  await monitor?.stop();
  await model?.close();
});

test('the viewer mirrors a live sim conversation (text and voice); the subtitle overlay shows and clears it', { timeout: 90_000 }, async () => {
  const viewer = await context.newPage();
  const viewerProblems = new PageProblems(viewer);
  await viewer.goto(`${monitor.url}/test`);
  await viewer.click('#sound'); // a click lets the page play sound, as a person would do once
  const overlay = await context.newPage();
  const overlayProblems = new PageProblems(overlay);
  await overlay.goto(`${monitor.url}/subtitle?lanlan_name=test`);
  const translated = await context.newPage();
  const translatedProblems = new PageProblems(translated);
  await translated.goto(`${monitor.url}/subtitle?lanlan_name=test&lang=zh`);
  await new Promise((r) => setTimeout(r, 500)); // both pages' sockets connect

  const chat = await ChatClient.open(`ws://127.0.0.1:${neko.main.port}/ws/test`);
  chat.send({ action: 'stream_data', input_type: 'text', data: 'hello, who are you?' });
  await chat.waitForType('system', 1, 30_000);
  const reply = chat.replyText();
  assert.ok(reply.length > 10);

  await waitFor('viewer caption', async () => ((await viewer.evaluate(() => (globalThis as any).__nekoViewer.caption())) as string).includes(reply.slice(0, 20)), 15_000);
  await waitFor('viewer audio', async () => (await viewer.evaluate(() => (globalThis as any).__nekoViewer.player.chunks)) > 0, 20_000);
  await waitFor('overlay text', async () => ((await overlay.textContent('#subtitle')) ?? '').includes(reply.slice(0, 20)), 15_000);

  // With ?lang=, the settled line is replaced by main's translation of it (here the sim plays the assist model).
  await waitFor('translated overlay', async () => (await translated.textContent('#subtitle')) === TRANSLATION, 15_000);
  assert.ok(model.requests.some((r) => r.messages.some((m) => m.content === reply.trim() || m.content === reply)), 'the overlay asked for the whole settled line');

  // The next reply clears the overlay before its own text.
  chat.send({ action: 'stream_data', input_type: 'text', data: 'what time is it?' });
  await chat.waitForType('system', 2, 30_000);
  const second = chat.replyText().slice(reply.length);
  await waitFor('overlay shows only the new reply', async () => {
    const text = (await overlay.textContent('#subtitle')) ?? '';
    return text.includes(second.slice(0, 12)) && !text.includes(reply.slice(0, 20));
  }, 15_000);
  assert.deepEqual(viewerProblems.problems, []);
  assert.deepEqual(overlayProblems.problems, []);
  assert.deepEqual(translatedProblems.problems, []);
  await chat.close();
});

test('unknown paths and files are not served as viewer pages', async () => {
  const res = await fetch(`${monitor.url}/favicon.ico`);
  assert.equal(res.status, 404);
  const page = await fetch(`${monitor.url}/subtitle`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /subtitle/);
});
