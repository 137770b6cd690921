import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ChatClient } from '../support/chat-client.js';
import { ensureWebBuilt, launchBrowser, PageProblems, startNeko, type BrowserContext, type Page, type Services, type TestBrowser } from '../support/browser.js';
import { http, ROOT, startService, waitFor, type RunningService } from '../support/services.js';

/**
 * The memory browser page against real main + memory: turns reach memory through a chat with the offline sim and
 * through the ingest API, and the page shows, searches, edits and forgets them.
 */
let neko: Services;
let chromium: TestBrowser;
/** The memory process started again by the last test (startNeko's stop() only knows the first one). */
let restartedMemory: RunningService | undefined;

const CHARACTER = 'Luna';
const DAY = 86_400_000;
/** A time `days` ago at `hour`:`minute` local time. */
function ago(days: number, hour: number, minute: number): string {
  const d = new Date(Date.now() - days * DAY);
  d.setHours(hour, minute, 0, 0);
  return d.toISOString();
}
const CHAT_TEXT = 'Do you remember what my kitten is called?';

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  chromium = await launchBrowser();
  const main = neko.main.url;
  const headers = { origin: main };
  assert.equal((await http(`${main}/api/characters/master`, { method: 'POST', json: { 档案名: 'Mika' }, headers })).status, 200);
  assert.equal((await http(`${main}/api/characters/catgirl`, { method: 'POST', json: { 档案名: CHARACTER, 性别: 'female' }, headers })).status, 200);
  // Days past, through the memory service's ingest API (memory learns of Luna when main tells it to reload).
  const turns = [
    { id: 'k1', role: 'user', text: 'I adopted a kitten today and named her Mochi', timestamp: ago(5, 19, 12) },
    { id: 'k2', role: 'assistant', text: 'Mochi! What a sweet name. Is she settling in?', timestamp: ago(5, 19, 13) },
    { id: 'a1', role: 'user', text: 'My sister Alice is visiting from Lyon next weekend', timestamp: ago(2, 18, 40) },
    { id: 'a2', role: 'assistant', text: 'How exciting! Will you show her the old town and the harbour?', timestamp: ago(2, 18, 41) },
    { id: 'p1', role: 'user', text: 'I finally finished the watercolour of the harbour at dusk', timestamp: ago(1, 21, 5) },
    { id: 'p2', role: 'assistant', text: 'I would love to see it. Dusk light is so hard to paint, you must be proud.', timestamp: ago(1, 21, 6) },
  ];
  await waitFor('memory to know the new character', async () => (await http(`${neko.memory.url}/ingest/${CHARACTER}`, { method: 'POST', json: { turns } })).status === 200, 15_000, 200);
  // Today, the way main's outbox delivers a conversation (/cache), which also fills the recent window.
  const today = [
    { id: 't1', role: 'user', content: [{ type: 'text', text: 'Good morning! Making pancakes before work' }], timestamp: ago(0, 8, 2) },
    { id: 't2', role: 'assistant', content: [{ type: 'text', text: 'Pancakes on a weekday? Someone is in a good mood. Save one for Mochi!' }], timestamp: ago(0, 8, 3) },
    { id: 't3', role: 'user', content: [{ type: 'text', text: 'She already stole a bite of the batter' }], timestamp: ago(0, 8, 5) },
    { id: 't4', role: 'assistant', content: [{ type: 'text', text: 'Of course she did. Kittens have no respect for breakfast rules.' }], timestamp: ago(0, 8, 5) },
  ];
  assert.equal((await http(`${neko.memory.url}/cache/${CHARACTER}`, { method: 'POST', json: { input_history: JSON.stringify(today) } })).body.status, 'cached');
  // Older talk folded into the window's memo, as the compression after a long conversation leaves it.
  const windowFile = join(neko.dataDir, 'memory', `recent_${CHARACTER}.json`);
  const memo = { type: 'system', data: { content: '先前对话的备忘录: Mika adopted a grey kitten called Mochi. Her sister Alice visits from Lyon next weekend. She finished a watercolour of the harbour at dusk and is proud of it.', additional_kwargs: { timestamp: ago(1, 22, 0) }, response_metadata: {}, type: 'system', name: null, id: null } };
  writeFileSync(windowFile, JSON.stringify([memo, ...JSON.parse(readFileSync(windowFile, 'utf8'))]));
  await http(`${neko.memory.url}/facts/${CHARACTER}`, { method: 'POST', json: { subject: 'Mika', key: 'pet', value: 'a grey kitten called Mochi' } });
  await http(`${neko.memory.url}/facts/${CHARACTER}`, { method: 'POST', json: { subject: 'Mika', key: 'sister', value: 'Alice, lives in Lyon' } });
  // A real conversation with the offline sim (character "test"); main's outbox delivers it to memory at the turn end.
  const chat = await ChatClient.open(`${main.replace('http', 'ws')}/ws/test`);
  chat.send({ action: 'stream_data', input_type: 'text', data: CHAT_TEXT });
  await chat.waitForType('system', 1, 30_000);
  await chat.close();
  await waitFor('the chat turn in memory', async () => {
    const page = await http(`${main}/api/memory/browser/test/history`);
    return page.status === 200 && page.body.items.length === 2;
  }, 20_000, 200);
});

after(async () => {
  await chromium?.close();
  await restartedMemory?.stop();
  await neko?.stop();
});

async function openBrowser(context: BrowserContext, query = `?character=${CHARACTER}`, allow?: ConstructorParameters<typeof PageProblems>[1]): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = new PageProblems(page, allow);
  await page.goto(`${neko.main.url}/memory_browser${query}`);
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  return { page, problems };
}

const newContext = (width = 1280, height = 800) => chromium.browser.newContext({ viewport: { width, height }, locale: 'en-US', colorScheme: 'light' });
const itemTexts = (page: Page) => page.locator('#history-list .mb-item .mb-item-text').allTextContents();

test('the history shows the remembered turns by day, newest first; ?character= preselects; search and dates narrow it', { timeout: 60_000 }, async () => {
  const context = await newContext();
  const { page, problems } = await openBrowser(context);
  assert.equal(await page.locator('#character-select').inputValue(), CHARACTER);
  assert.equal(await page.title(), `${CHARACTER} · Memory`);
  assert.deepEqual(await itemTexts(page), [
    'Of course she did. Kittens have no respect for breakfast rules.',
    'She already stole a bite of the batter',
    'Pancakes on a weekday? Someone is in a good mood. Save one for Mochi!',
    'Good morning! Making pancakes before work',
    'I would love to see it. Dusk light is so hard to paint, you must be proud.',
    'I finally finished the watercolour of the harbour at dusk',
    'How exciting! Will you show her the old town and the harbour?',
    'My sister Alice is visiting from Lyon next weekend',
    'Mochi! What a sweet name. Is she settling in?',
    'I adopted a kitten today and named her Mochi',
  ]);
  const days = await page.locator('.mb-day-heading').allTextContents();
  assert.equal(days.length, 4);
  assert.deepEqual(days.slice(0, 2), ['Today', 'Yesterday']);
  assert.equal(await page.locator('#history-status').textContent(), 'Shown: 10, newest first');
  // The recent window: the memo of older talk first, then today's messages.
  assert.equal(await page.locator('#recent-list .mb-recent-summary .mb-speaker').textContent(), 'Summary of earlier conversations');
  assert.equal((await page.locator('#recent-list .mb-item-text').allTextContents()).length, 5);
  assert.deepEqual(await page.locator('#facts-list .mb-item-text').allTextContents(), ['a grey kitten called Mochi', 'Alice, lives in Lyon']);

  await page.fill('#search-query', 'harbour');
  await page.press('#search-query', 'Enter');
  await page.locator('#history-status', { hasText: 'Matches for “harbour”: 2' }).waitFor();
  assert.deepEqual(await itemTexts(page), [
    'I finally finished the watercolour of the harbour at dusk',
    'How exciting! Will you show her the old town and the harbour?',
  ]);
  await page.fill('#search-query', 'DUSK harbour');
  await page.click('#search-form button[type="submit"]');
  await page.locator('#history-status', { hasText: 'Matches for “DUSK harbour”: 1' }).waitFor();
  assert.deepEqual(await itemTexts(page), ['I finally finished the watercolour of the harbour at dusk'], 'every word, any case');
  await page.fill('#search-query', '');
  const local = new Date(Date.now() - 2 * DAY);
  const day = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
  await page.fill('#search-from', day);
  await page.fill('#search-to', day);
  await page.click('#search-form button[type="submit"]');
  await page.locator('#history-status', { hasText: 'Shown: 2' }).waitFor();
  assert.deepEqual(await itemTexts(page), ['How exciting! Will you show her the old town and the harbour?', 'My sister Alice is visiting from Lyon next weekend']);
  await page.click('#search-form button[type="reset"]');
  await page.locator('#history-status', { hasText: 'Shown: 10' }).waitFor();

  // The picker opens another character's memory, and the address follows.
  await page.selectOption('#character-select', 'test');
  await page.locator('#history-status', { hasText: 'Shown: 2' }).waitFor();
  const chat = await itemTexts(page);
  assert.equal(chat[1], CHAT_TEXT, 'the chat with the sim reached memory through main');
  assert.match(chat[0]!, /offline demo/i, 'and so did the reply');
  assert.match(page.url(), /\?character=test$/);
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('screenshot of the memory browser (light theme)', { timeout: 60_000 }, async () => {
  const dir = process.env.NEKO_UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmpdir(), 'neko-screenshots');
  mkdirSync(dir, { recursive: true });
  const context = await newContext();
  const { page, problems } = await openBrowser(context);
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
  await page.screenshot({ path: join(dir, 'screenshot-memory.png') });
  assert.deepEqual(problems.problems, []);
  await context.close();
  console.log(`# screenshot in ${dir}`);
});

test('edit an item: the new text is kept after a reload, in the history and in the recent window', { timeout: 60_000 }, async () => {
  const context = await newContext();
  const { page, problems } = await openBrowser(context, '?character=test');
  const row = page.locator('#history-list .mb-item', { hasText: CHAT_TEXT });
  const edit = row.getByRole('button', { name: /^Edit the message from Mika at / });
  await edit.click();
  const box = row.getByRole('textbox', { name: 'Edit the text' });
  assert.equal(await box.inputValue(), CHAT_TEXT);
  assert.equal(await page.evaluate('document.activeElement.tagName'), 'TEXTAREA', 'the editor has the focus');
  // Escape leaves it unchanged.
  await box.press('Escape');
  assert.equal(await row.locator('textarea').count(), 0);
  assert.equal(await page.evaluate('document.activeElement.textContent'), 'Edit', 'focus back on the Edit button');
  await edit.click();
  await row.locator('textarea').fill('Do you remember what my grey kitten Mochi is called?');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.locator('#announcer', { hasText: 'Saved.' }).waitFor();
  await page.reload();
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  assert.ok((await itemTexts(page)).includes('Do you remember what my grey kitten Mochi is called?'));
  assert.ok(!(await itemTexts(page)).includes(CHAT_TEXT));
  assert.ok((await page.locator('#recent-list .mb-item-text').allTextContents()).includes('Do you remember what my grey kitten Mochi is called?'), 'the recent window follows the edit');

  // A fact is corrected the same way.
  await page.selectOption('#character-select', CHARACTER);
  await page.locator('#history-status', { hasText: 'Shown: 10' }).waitFor();
  const fact = page.locator('#facts-list .mb-fact', { hasText: 'sister' });
  await fact.getByRole('button', { name: 'Edit the fact "sister" about Mika' }).click();
  await fact.locator('textarea').fill('Alice, lives in Lyon, visits next weekend');
  await fact.locator('textarea').press('Control+Enter');
  await page.locator('#announcer', { hasText: 'Saved.' }).waitFor();
  await page.reload();
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  assert.ok((await page.locator('#facts-list .mb-item-text').allTextContents()).includes('Alice, lives in Lyon, visits next weekend'));
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('forget an item: a confirmation that holds the focus, then it is gone for good', { timeout: 60_000 }, async () => {
  const context = await newContext();
  const { page, problems } = await openBrowser(context, '?character=test');
  const row = page.locator('#history-list .mb-item').first();
  const text = (await row.locator('.mb-item-text').textContent())!;
  assert.match(text, /offline demo/i, 'the sim reply');
  const forget = row.getByRole('button', { name: /^Forget the message from test at / });
  await forget.click();
  const dialog = page.getByRole('dialog', { name: 'Forget this message?' });
  await dialog.waitFor();
  assert.equal(await page.locator('#confirm-quote').textContent(), text);
  assert.equal(await page.evaluate('document.activeElement.id'), 'confirm-cancel', 'the safe choice has the focus');
  // Tab stays inside the modal dialog.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement.id'), 'confirm-ok');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.match(await page.evaluate('document.activeElement.getAttribute("aria-label")') as string, /^Forget the message from test/, 'focus back on the button that asked');
  assert.ok((await itemTexts(page)).includes(text), 'cancelled: still there');

  await forget.click();
  await dialog.getByRole('button', { name: 'Forget' }).click();
  await page.locator('#announcer', { hasText: 'Forgotten.' }).waitFor();
  assert.ok(!(await itemTexts(page)).includes(text));
  assert.match(await page.evaluate('document.activeElement.getAttribute("aria-label") || document.activeElement.id') as string, /^Forget the message|history-heading/, 'focus moved on, not lost');
  await page.reload();
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  assert.ok(!(await itemTexts(page)).includes(text), 'gone after a reload');
  const left = await http(`${neko.main.url}/api/memory/browser/test/history`);
  assert.deepEqual(left.body.items.map((i: { role: string }) => i.role), ['user'], 'and gone from memory: only the user turn is left');
  assert.ok(!(await page.locator('#recent-list .mb-item-text').allTextContents()).includes(text), 'and from the recent window');
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('the review switch changes the setting and shows it after a reload', { timeout: 60_000 }, async () => {
  const context = await newContext();
  const { page, problems } = await openBrowser(context);
  const toggle = page.getByRole('switch', { name: 'Tidy up the recent memory after each conversation' });
  assert.equal(await toggle.isChecked(), true, 'on by default');
  await toggle.press('Space');
  await page.locator('#announcer', { hasText: 'Memory review turned off.' }).waitFor();
  assert.deepEqual((await http(`${neko.main.url}/api/memory/review_config`)).body, { enabled: false });
  await page.reload();
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  await waitFor('the switch to load', async () => !(await toggle.isDisabled()));
  assert.equal(await toggle.isChecked(), false);
  await toggle.click();
  await page.locator('#announcer', { hasText: 'Memory review turned on.' }).waitFor();
  assert.deepEqual((await http(`${neko.main.url}/api/memory/review_config`)).body, { enabled: true });
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('language switch: the page is translated in place', { timeout: 60_000 }, async () => {
  const context = await newContext();
  const { page, problems } = await openBrowser(context);
  await page.selectOption('#language-select', 'ja');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal(await page.locator('#history-heading').textContent(), '履歴');
  assert.equal(await page.locator('.mb-day-heading').first().textContent(), '今日');
  assert.equal(await page.locator('#history-list .mb-item .mb-button').first().textContent(), '編集');
  assert.equal(await page.title(), `${CHARACTER} · 記憶`);
  await page.selectOption('#language-select', 'ru');
  assert.equal(await page.locator('#back-link span').textContent(), 'Вернуться в чат');
  assert.match(await page.locator('#history-status').textContent() ?? '', /^Показано: \d+/);
  await page.selectOption('#language-select', 'en');
  assert.equal(await page.locator('#history-heading').textContent(), 'History');
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('phone width: nothing overflows sideways and every control is reachable by keyboard', { timeout: 60_000 }, async () => {
  const context = await newContext(390, 844);
  const { page, problems } = await openBrowser(context);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  assert.ok((overflow as number) <= 0, `page is ${overflow} px wider than the screen`);
  const wide: string[] = await page.evaluate(`[...document.querySelectorAll('.mb-app *')]
    .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((e) => e.tagName + '.' + e.className)`);
  assert.deepEqual(wide, [], 'no element sticks out to the right');
  assert.equal(await page.getByRole('link', { name: 'Back to chat' }).first().isVisible(), true);
  const stops: string[] = [];
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate("document.activeElement.id || document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"));
  }
  for (const id of ['character-select', 'back-link', 'language-select', 'theme-toggle', 'review-toggle']) {
    assert.ok(stops.includes(id), `Tab reaches #${id} (got ${stops.join(', ')})`);
  }
  assert.ok(stops.some((s) => /^Edit the fact/.test(s)), 'and the facts\' buttons');
  mkdirSync(join(tmpdir(), 'neko-screenshots'), { recursive: true });
  await page.screenshot({ path: join(tmpdir(), 'neko-screenshots', 'memory-phone.png') });
  assert.deepEqual(problems.problems, []);
  await context.close();
});

test('memory service down: the page says so, and shows the memory again once it is back', { timeout: 90_000 }, async () => {
  const context = await newContext();
  // The failed requests while memory is down are expected; Chromium logs each as a console error.
  const { page, problems } = await openBrowser(context, `?lanlan_name=${CHARACTER}`, (m) => /status of 503/.test(m.text()));
  assert.equal(await page.locator('#character-select').inputValue(), CHARACTER, '?lanlan_name= preselects too');
  const port = neko.memory.port;
  await neko.memory.stop();
  await page.reload();
  await page.locator('#memory-layout[data-loading="false"]').waitFor();
  const banner = page.getByRole('alert').filter({ hasText: 'The memory service is not reachable right now' });
  await banner.waitFor();
  assert.equal(await page.locator('#history-status').textContent(), 'The history could not be loaded.');
  restartedMemory = await startService('memory', { port, env: { NEKO_DATA_DIR: neko.dataDir } });
  // The page retries by itself.
  await page.locator('#status-banner').waitFor({ state: 'hidden', timeout: 20_000 });
  assert.match(await page.locator('#history-status').textContent() ?? '', /^Shown: \d+/);
  assert.ok((await itemTexts(page)).includes('I adopted a kitten today and named her Mochi'));
  assert.deepEqual(problems.problems, []);
  await context.close();
});
