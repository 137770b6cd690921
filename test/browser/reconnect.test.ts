import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, startNeko, type Services, type TestBrowser } from '../support/browser.js';
import { waitFor } from '../support/services.js';

let neko: Services;
let chromium: TestBrowser;

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  chromium = await launchBrowser(); // the fake microphone plays Chromium's own beeps
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
});

test('when main restarts the page reconnects by itself and resumes the voice session', { timeout: 90_000 }, async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const { page, problems, sent, sockets } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 10_000);
  await page.click('#mic-button');
  await waitFor('a live voice session', async () => {
    const s = (await nekoState(page)).session;
    return s.phase === 'live' && s.mode === 'audio';
  }, 20_000);

  await neko.restartMain();
  // Chromium reports the refused connection attempts while main is down; those are expected here.
  // What the browser logs about main being killed: the socket failing, requests in flight reset or refused.
  const refused = (p: string) => /WebSocket connection to .* failed|ERR_CONNECTION_(REFUSED|RESET)|ERR_EMPTY_RESPONSE/.test(p);
  await waitFor('a second socket', () => sockets.length >= 2, 20_000);
  await waitFor('the voice session to be live again', async () => {
    const s = (await nekoState(page)).session;
    return s.connection === 'open' && s.phase === 'live' && s.mode === 'audio';
  }, 30_000);
  const starts = sent.filter((s) => s.message.action === 'start_session' && s.message.input_type === 'audio');
  assert.equal(starts.length, 2, 'start_session{audio} again on the new connection');
  assert.equal(await page.locator('#mic-button').getAttribute('aria-pressed'), 'true', 'the mic stayed on');
  const sentBefore = (await nekoState(page)).mic.framesSent;
  await waitFor('frames flowing again', async () => (await nekoState(page)).mic.framesSent > sentBefore + 50, 10_000);
  assert.deepEqual(problems.problems.filter((p) => !refused(p)), []);
  await context.close();
});

test('the badge shows "Reconnecting…" while main is down', { timeout: 60_000 }, async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const { page } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 10_000);
  const restarting = neko.restartMain();
  await page.locator('#session-badge', { hasText: 'Reconnecting…' }).waitFor({ timeout: 10_000 });
  await restarting;
  await page.locator('#session-badge', { hasText: 'Ready' }).waitFor({ timeout: 20_000 });
  await context.close();
});
