import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  allowEmotion404, ensureWebBuilt, launchBrowser, nekoState, openChatPage, PageProblems, startNeko, type BrowserContext, type Page, type Services, type TestBrowser,
} from '../support/browser.js';
import { http, waitFor } from '../support/services.js';

let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;
const shots = join(tmpdir(), 'neko-screenshots');

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
});

/** Types `text`, waits for the whole reply, and returns it. */
async function talk(page: Page, text: string): Promise<string> {
  const done = await page.locator('#messages .bubble-assistant:not(.streaming)').count();
  await page.fill('#message-input', text);
  await page.press('#message-input', 'Enter');
  await waitFor('the reply to finish', async () => (await page.locator('#messages .bubble-assistant:not(.streaming)').count()) > done, 20_000);
  return ((await page.locator('#messages .bubble-assistant .bubble-text').last().textContent()) ?? '').trim();
}

/** Waits until memory has `said` and a reply after it for `character` (main's forwarded history route, newest first). */
async function remembered(character: string, said: string): Promise<void> {
  await waitFor(`memory to have "${said}"`, async () => {
    const res = await http(`${neko.main.url}/api/memory/browser/${encodeURIComponent(character)}/history?limit=20`);
    if (res.status !== 200) return false;
    const items = res.body.items as { role: string; text: string }[];
    const at = items.findIndex((i) => i.role === 'user' && i.text.includes(said));
    return at > 0 && items.slice(0, at).some((i) => i.role === 'assistant');
  }, 30_000, 250);
}

const earlierRegion = (page: Page) => page.getByRole('region', { name: /^Earlier — / });
const earlierItems = (page: Page) => page.getByRole('list', { name: 'Earlier messages, from memory' }).getByRole('listitem');

test('after a reload the last exchange is shown above an empty live area as quieter earlier messages under a dated divider, not sent, not live', { timeout: 120_000 }, async () => {
  const { page, problems, sent } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  assert.equal(await earlierRegion(page).count(), 0, 'a character with no memory yet shows no earlier block');
  const reply = await talk(page, 'remember the blue teapot');
  assert.ok(reply.length > 0);
  await remembered('test', 'remember the blue teapot');

  const sentBefore = sent.length;
  await page.reload();
  await waitFor('the socket to open again', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  const region = earlierRegion(page);
  await region.waitFor({ timeout: 15_000 });
  // The divider names the day (today, or yesterday if the test straddles midnight) and the time it left off.
  assert.match((await region.getByRole('heading').textContent()) ?? '', /^Earlier — (Today|Yesterday) \d{1,2}:\d{2}/);

  const items = earlierItems(page);
  const texts = (await items.locator('.earlier-text').allTextContents()).map((s) => s.trim());
  assert.deepEqual(texts.slice(-2), ['remember the blue teapot', reply], 'the last exchange, in order, the reply last');
  assert.deepEqual((await items.locator('.earlier-author').allTextContents()).slice(-2), ['You', 'test']);

  // The live log is empty and below; the earlier block is outside it, so it is not announced as new.
  assert.equal(await page.locator('#messages > *').count(), 0);
  assert.equal(await page.locator('.bubble').count(), 0);
  assert.equal(await page.evaluate("document.querySelector('.earlier').closest('[aria-live]') === null"), true);
  const earlierBox = (await region.boundingBox())!;
  const liveBox = (await page.locator('#messages').boundingBox())!;
  assert.ok(earlierBox.y + earlierBox.height <= liveBox.y + 1, 'the earlier block sits above the live log');

  // Quieter than a live bubble: muted text, no filled background.
  const style = await page.evaluate(`(() => {
    const s = getComputedStyle(document.querySelector('.earlier-assistant'));
    return { color: s.color, background: s.backgroundColor, text: getComputedStyle(document.body).color };
  })()`) as { color: string; background: string; text: string };
  assert.notEqual(style.color, style.text, 'earlier text is muted');
  assert.equal(style.background, 'rgba(0, 0, 0, 0)');

  // Nothing of it was sent: the reloaded page said nothing on its socket.
  assert.deepEqual(sent.slice(sentBefore).map((s) => s.message.action), []);
  await page.screenshot({ path: join(shots, 'chat-history-light.png') });
  await page.click('#theme-toggle');
  await page.locator('html[data-theme="dark"]').waitFor();
  await page.screenshot({ path: join(shots, 'chat-history-dark.png') });
  await page.click('#theme-toggle');

  // A new message goes below, as a live bubble; the earlier block stays above it.
  await talk(page, 'and now?');
  assert.equal(await page.locator('#messages .bubble-user .bubble-text').textContent(), 'and now?');
  assert.equal(await earlierItems(page).count(), texts.length, 'the live turn is not added to the earlier block');

  // Reset starts afresh: the earlier block goes with the live bubbles.
  await page.click('#reset-button');
  await region.waitFor({ state: 'hidden' });
  assert.ok(await page.locator('#empty-hint').isVisible());
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('switching character replaces the earlier block with that character\'s; at phone width it fits', { timeout: 120_000 }, async () => {
  const mochi = await http(`${neko.main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Mochi', 昵称: 'Mochi' } });
  assert.equal(mochi.status, 200, JSON.stringify(mochi.body));
  const phone = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const { page, problems } = await openChatPage(phone, `${neko.main.url}/Mochi`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  assert.equal(await earlierRegion(page).count(), 0, 'Mochi has no memory yet');
  await talk(page, 'Mochi likes tuna');
  await remembered('Mochi', 'Mochi likes tuna');

  await page.selectOption('#character-select', 'test');
  await waitFor('the page on test', async () => (await nekoState(page)).socket.character === 'test', 15_000);
  await earlierRegion(page).waitFor({ timeout: 15_000 });
  const testTexts = await earlierItems(page).locator('.earlier-text').allTextContents();
  assert.ok(testTexts.includes('remember the blue teapot'), testTexts.join(' | '));
  assert.ok(!testTexts.includes('Mochi likes tuna'), "Mochi's talk is not shown for test");

  await page.selectOption('#character-select', 'Mochi');
  await waitFor('the page on Mochi', async () => (await nekoState(page)).socket.character === 'Mochi', 15_000);
  await waitFor("Mochi's earlier block", async () => (await earlierItems(page).locator('.earlier-text').allTextContents()).includes('Mochi likes tuna'), 15_000);
  const mochiTexts = await earlierItems(page).locator('.earlier-text').allTextContents();
  assert.ok(!mochiTexts.includes('remember the blue teapot'), "test's talk is gone");
  assert.deepEqual(await earlierItems(page).locator('.earlier-author').allTextContents(), ['You', 'Mochi']);

  const width = await page.evaluate('document.documentElement.scrollWidth') as number;
  assert.ok(width <= 390, `no sideways scrolling at 390 px (${width})`);
  await page.screenshot({ path: join(shots, 'chat-history-phone.png') });
  assert.deepEqual(problems.problems, []);
  await phone.close();
});

test('with the memory service down the page opens with no earlier block, no toast and no console error of its own', { timeout: 60_000 }, async () => {
  await neko.memory.stop();
  const page = await context.newPage();
  // Chromium itself logs every 4xx/5xx answer as a console error; that one line for the history request is
  // the browser's, not the page's. Anything else (a page error, a log of ours, another failed request) counts.
  const problems = new PageProblems(page, (m) =>
    allowEmotion404(m) || (m.text() === 'Failed to load resource: the server responded with a status of 503 (Service Unavailable)' && /\/api\/memory\/browser\/test\/history\?/.test(m.location().url)));
  const asked = page.waitForResponse((r) => r.url().includes('/api/memory/browser/test/history'));
  await page.goto(`${neko.main.url}/test`);
  assert.equal((await asked).status(), 503, 'memory is really down');
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  // Give the page's handling of the answer a chance to show something (it must not).
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.earlier').isVisible(), false);
  assert.equal(await earlierRegion(page).count(), 0);
  assert.equal(await page.locator('.toast').count(), 0, 'no error toast');
  assert.ok(await page.locator('#empty-hint').isVisible(), 'the usual empty conversation');
  assert.deepEqual(problems.problems, []);
  await page.close();
});
