import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, startNeko, type BrowserContext, type Services, type TestBrowser } from '../support/browser.js';
import { http, waitFor } from '../support/services.js';

let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  const added = await http(`${neko.main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Mochi', 昵称: 'Mochi' } });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
});

const currentOnServer = async () => (await http(`${neko.main.url}/api/characters/current_catgirl`)).body.current_catgirl as string;

test('the switcher makes the character current and the page reconnects to /ws/{new}; a switch made elsewhere is followed', { timeout: 60_000 }, async () => {
  const { page, problems, sockets } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 10_000);
  assert.deepEqual(await page.locator('#character-select option').allTextContents(), ['test', 'Mochi']);
  await page.fill('#message-input', 'hello');
  await page.press('#message-input', 'Enter');
  await page.locator('.bubble-assistant').first().waitFor();

  await page.selectOption('#character-select', 'Mochi');
  await waitFor('a socket to /ws/Mochi', () => sockets.some((u) => u.endsWith('/ws/Mochi')), 10_000);
  await waitFor('it to open', async () => {
    const s = (await nekoState(page)).socket;
    return s.state === 'open' && s.character === 'Mochi';
  }, 10_000);
  assert.equal(await currentOnServer(), 'Mochi');
  assert.equal(await page.locator('#character-name').textContent(), 'Mochi');
  assert.equal(await page.locator('.bubble').count(), 0, "the other character's conversation is not shown");
  assert.equal(await page.title(), 'Mochi · neko');

  // Talk to Mochi: the reply comes on the new socket and is signed with her name.
  await page.fill('#message-input', 'hi');
  await page.press('#message-input', 'Enter');
  await page.locator('.bubble-assistant .bubble-author', { hasText: 'Mochi' }).waitFor({ timeout: 15_000 });

  // Another page (or the settings) switches back: the server's catgirl_switched moves this page too.
  const before = sockets.length;
  const res = await http(`${neko.main.url}/api/characters/current_catgirl`, { method: 'POST', json: { catgirl_name: 'test' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await waitFor('a socket back to /ws/test', () => sockets.slice(before).some((u) => u.endsWith('/ws/test')), 10_000);
  await waitFor('the page to follow', async () => (await nekoState(page)).socket.character === 'test', 10_000);
  assert.equal(await page.locator('#character-select').inputValue(), 'test');
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('/{character} opens that character; an unknown one is corrected by the server and the address follows', { timeout: 30_000 }, async () => {
  const mochi = await openChatPage(context, `${neko.main.url}/Mochi`);
  await waitFor('the socket to open', async () => (await nekoState(mochi.page)).socket.state === 'open', 10_000);
  assert.match(mochi.sockets[0]!, /\/ws\/Mochi$/);
  assert.equal(await mochi.page.locator('#character-select').inputValue(), 'Mochi');
  assert.deepEqual(mochi.problems.problems, []);
  await mochi.page.close();

  const unknown = await openChatPage(context, `${neko.main.url}/Nobody`);
  await waitFor('the page to follow the server', async () => {
    const s = (await nekoState(unknown.page)).socket;
    return s.character !== 'Nobody' && s.state === 'open';
  }, 10_000);
  const landed = (await nekoState(unknown.page)).socket.character;
  assert.ok(['test', 'Mochi'].includes(landed), `landed on ${landed}`);
  assert.equal(new URL(unknown.page.url()).pathname, `/${landed}`);
  assert.deepEqual(unknown.problems.problems, []);
  await unknown.page.close();
});
