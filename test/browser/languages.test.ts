import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { ensureWebBuilt, launchBrowser, openChatPage, startNeko, type Services, type TestBrowser } from '../support/browser.js';
import { ROOT } from '../support/services.js';

let neko: Services;
let chromium: TestBrowser;

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
});

type ChatStrings = { chat: { send: string; inputPlaceholder: string }; controls: { micStart: string } };

/** The page's own string file for a language (read here so the test compares with what the page ships). */
async function stringsOf(lng: string): Promise<ChatStrings> {
  return (await import(pathToFileURL(`${ROOT}/web/src/i18n/chat/${lng}.ts`).href)).default as ChatStrings;
}

test('language: each browser locale gets its own strings (zh-TW, ja, ko, ru; zh-HK → zh-TW, zh → zh-CN)', { timeout: 120_000 }, async () => {
  const cases: [locale: string, expected: string][] = [
    ['zh-TW', 'zh-TW'],
    ['ja', 'ja'],
    ['ko', 'ko'],
    ['ru', 'ru'],
    ['zh-HK', 'zh-TW'],
    ['zh', 'zh-CN'],
  ];
  const english = await stringsOf('en');
  for (const [locale, expected] of cases) {
    const strings = await stringsOf(expected);
    // Each language really differs from English, or the comparison below would prove nothing.
    assert.notEqual(strings.chat.send, english.chat.send, `${expected}: send`);
    assert.notEqual(strings.chat.inputPlaceholder, english.chat.inputPlaceholder, `${expected}: placeholder`);

    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    try {
      const { page, problems } = await openChatPage(context, `${neko.main.url}/`);
      await page.locator('#avatar-stage[data-avatar="ready"]').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), expected, `locale ${locale}: html[lang]`);
      assert.equal(await page.locator('.send-button').textContent(), strings.chat.send, `locale ${locale}: send button`);
      assert.equal(await page.locator('#message-input').getAttribute('placeholder'), strings.chat.inputPlaceholder, `locale ${locale}: placeholder`);
      assert.equal(await page.locator('#mic-button').getAttribute('aria-label'), strings.controls.micStart, `locale ${locale}: mic button`);
      assert.equal(await page.locator('#language-select').inputValue(), expected, `locale ${locale}: language switch`);
      assert.deepEqual(problems.problems, [], `locale ${locale}: page problems`);
    } finally {
      await context.close();
    }
  }
});
