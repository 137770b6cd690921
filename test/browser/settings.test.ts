import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ConsoleMessage, Page, Response } from 'playwright-core';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, PageProblems, startNeko, type BrowserContext, type Services, type TestBrowser } from '../support/browser.js';
import { buildVrmFile } from '../support/vrm-file.js';
import { pcm16WavHeader } from '../../src/main/tts/wav-stream.js';
import { closedPort } from '../support/main-app.js';
import { startModelsServer, type ModelsServer } from '../support/models-server.js';
import { http, ROOT, waitFor } from '../support/services.js';

const KEY = 'sk-local-test-key-0123456789ABCDEF';

let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;
let models: ModelsServer;

before(async () => {
  ensureWebBuilt();
  models = await startModelsServer({ key: KEY, models: ['tiny-chat', 'tiny-vision'] });
  neko = await startNeko();
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
  await models?.close();
});

/**
 * A settings page with its console problems and every response body it received (to prove no key comes back).
 * `allowed` names failed requests the test provokes on purpose (Chromium logs every 4xx/5xx as a console error).
 */
async function openSettings(path: string, allowed: RegExp[] = []): Promise<{ page: Page; problems: PageProblems; bodies: string[] }> {
  const page = await context.newPage();
  const allow = (m: ConsoleMessage) => m.text().startsWith('Failed to load resource') && allowed.some((re) => re.test(m.location().url));
  const problems = new PageProblems(page, allow);
  const bodies: string[] = [];
  page.on('response', (res: Response) => {
    if (res.url().includes('/api/')) void res.text().then((t) => bodies.push(t), () => undefined);
  });
  await page.goto(`${neko.main.url}${path}`);
  return { page, problems, bodies };
}

async function ready(page: Page, section: string): Promise<void> {
  await page.locator(`#section-${section}[data-state="ready"]`).waitFor({ timeout: 15_000 });
}

test('providers with no key: the offline demo is named as such on /settings and /api_key; screenshot', { timeout: 60_000 }, async () => {
  for (const path of ['/settings', '/api_key']) {
    const { page, problems } = await openSettings(path);
    await ready(page, 'providers');
    assert.equal(await page.locator('#section-providers').isVisible(), true);
    assert.equal(await page.locator('a[data-section="providers"]').getAttribute('aria-current'), 'page');
    await page.locator('.banner .badge-demo', { hasText: 'Offline demo' }).waitFor();
    assert.match((await page.locator('.banner').textContent()) ?? '', /offline demo \(sim\)/);
    // The sim is offered, under its own name, and tests ok offline.
    assert.equal(await page.locator('#core-provider option[value="sim"]').textContent(), 'Offline demo (sim): no key, no network');
    await page.selectOption('#core-provider', 'sim');
    await page.locator('.card', { hasText: 'Voice conversation' }).getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.inline-status[data-kind="ok"]', { hasText: 'offline demo is built in' }).waitFor();
    // Local servers were looked for and the answer is shown (none run on the usual ports here).
    await page.locator('.card', { hasText: 'Model servers on this computer' }).locator('.inline-status').first().waitFor();
    assert.deepEqual(problems.problems, []);

    if (path === '/api_key') {
      await page.selectOption('#core-provider', 'qwen');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.evaluate("localStorage.setItem('neko.theme', 'light'); document.documentElement.dataset.theme = 'light'");
      const dir = process.env.NEKO_UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmpdir(), 'neko-screenshots');
      mkdirSync(dir, { recursive: true });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(dir, 'screenshot-settings.png') });
      console.log(`# settings screenshot in ${dir}`);
    }
    await page.close();
  }
});

test('an OpenAI-compatible local server: saved with its key, masked after reload and never in clear; Test connection explains success, a wrong key and a closed port', { timeout: 90_000 }, async () => {
  const { page, problems, bodies } = await openSettings('/api_key', [/\/api\/config\/test_connection$/]);
  await ready(page, 'providers');
  const role = page.locator('.role-endpoint[data-role="conversation"]');
  const test = role.getByRole('button', { name: 'Test connection' });
  const result = role.locator('.inline-status');
  await page.check('#custom-enabled');
  await role.getByLabel('Base URL').fill(models.baseUrl);
  await role.getByLabel('Model').fill('tiny-chat');
  await role.locator('.secret-input').fill(KEY);

  await test.click();
  await result.filter({ hasText: 'Connected' }).waitFor();
  assert.match((await result.textContent()) ?? '', /2 models available: tiny-chat, tiny-vision/);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.inline-status[data-kind="ok"]', { hasText: 'Saved.' }).waitFor({ timeout: 20_000 });

  await page.reload();
  await ready(page, 'providers');
  assert.equal(await role.getByLabel('Base URL').inputValue(), models.baseUrl);
  assert.equal(await role.locator('.secret-input').inputValue(), '');
  assert.match((await role.locator('.secret-note').textContent()) ?? '', /A key is saved \(••••CDEF\)/);
  const values: string[] = await page.evaluate("[...document.querySelectorAll('input, textarea, select')].map((e) => e.value)");
  assert.ok(!values.some((v) => v.includes(KEY)), 'no form control holds the key');
  assert.ok(!(await page.content()).includes(KEY), 'the key is not in the DOM');
  const stored = await http(`${neko.main.url}/api/config/core_api`);
  assert.equal(stored.body.conversationModelApiKey, '••••CDEF');
  assert.equal(stored.body.conversationModelUrl, models.baseUrl);

  // The stored key is used (the page sends none).
  models.requests.length = 0;
  await test.click();
  await result.filter({ hasText: 'Connected' }).waitFor();
  assert.equal(models.requests.at(-1)?.authorization, `Bearer ${KEY}`);

  // A wrong key is refused by the server and said so; the server's quote of it does not come back.
  const wrong = 'sk-wrong-key-ZYXWVUTSRQ9876543210';
  await role.locator('.secret-input').fill(wrong);
  await test.click();
  await result.filter({ hasText: 'refused the key (HTTP 401)' }).waitFor();

  // A new address with only the saved key: the page is told to type the key again, nothing is sent there.
  const port = await closedPort();
  await role.locator('.secret-input').fill('');
  await role.getByLabel('Base URL').fill(`http://127.0.0.1:${port}/v1`);
  await test.click();
  await result.filter({ hasText: 'Type the key again' }).waitFor();

  // A closed port, with a key typed: nothing answers there, and the page says where.
  await role.locator('.secret-input').fill(KEY);
  await test.click();
  await result.filter({ hasText: `Nothing answers at http://127.0.0.1:${port}/v1` }).waitFor();

  await waitFor('all answers read', () => bodies.length > 8);
  for (const body of bodies) {
    assert.ok(!body.includes(KEY), `an API answer holds the key: ${body.slice(0, 200)}`);
    assert.ok(!body.includes(wrong), `an API answer holds the wrong key: ${body.slice(0, 200)}`);
  }
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('memory rerank: the switch starts off, is saved to core_config.json as memory_rerank with the other settings kept, and shows on after a reload', { timeout: 60_000 }, async () => {
  const coreFile = join(neko.dataDir, 'config', 'core_config.json');
  const onDisk = () => JSON.parse(readFileSync(coreFile, 'utf8')) as Record<string, unknown>;
  const { page, problems } = await openSettings('/api_key');
  await ready(page, 'providers');
  const toggle = page.getByLabel('Let the text model reorder memory recall');
  assert.equal(await toggle.isChecked(), false, 'off by default');
  assert.equal((await http(`${neko.main.url}/api/config/core_api`)).body.memory_rerank, false);
  // The one-line explanation is the switch's description: it needs an assist model and costs a little time.
  const hintId = (await toggle.getAttribute('aria-describedby'))!;
  assert.match((await page.locator(`#${hintId}`).textContent()) ?? '', /Needs a text model .* adds a little delay/);

  // The sim needs no key, so this save goes through whatever earlier tests stored.
  await page.selectOption('#core-provider', 'sim');
  await toggle.check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.inline-status[data-kind="ok"]', { hasText: 'Saved.' }).waitFor({ timeout: 20_000 });
  let stored = onDisk();
  assert.equal(stored.memory_rerank, true, 'the memory service reads memory_rerank from core_config.json');
  assert.equal(stored.coreApi, 'sim', 'the rest of the form was saved with it');

  await page.reload();
  await ready(page, 'providers');
  assert.equal(await toggle.isChecked(), true, 'shown on after a reload');
  assert.equal((await http(`${neko.main.url}/api/config/core_api`)).body.memory_rerank, true);

  // And off again.
  await toggle.uncheck();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.inline-status[data-kind="ok"]', { hasText: 'Saved.' }).waitFor({ timeout: 20_000 });
  stored = onDisk();
  assert.equal(stored.memory_rerank, false);
  await page.reload();
  await ready(page, 'providers');
  assert.equal(await toggle.isChecked(), false);
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('memory rerank set by NEKO_MEMORY_RERANK: the switch shows it, is locked, says why, and a save leaves the file alone', { timeout: 60_000 }, async () => {
  const forced = await startNeko({ NEKO_MEMORY_RERANK: '1' });
  try {
    const page = await context.newPage();
    const problems = new PageProblems(page);
    await page.goto(`${forced.main.url}/api_key`);
    await ready(page, 'providers');
    const toggle = page.getByLabel('Let the text model reorder memory recall');
    assert.equal(await toggle.isChecked(), true, 'the value in force');
    assert.equal(await toggle.isDisabled(), true);
    assert.equal(await page.locator('#memory-rerank-env').isVisible(), true);
    assert.match((await toggle.getAttribute('aria-describedby')) ?? '', /memory-rerank-env/, 'the reason is the switch\'s description');
    assert.match((await page.locator('#memory-rerank-env').textContent()) ?? '', /NEKO_MEMORY_RERANK/);
    await page.selectOption('#core-provider', 'sim');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.inline-status[data-kind="ok"]', { hasText: 'Saved.' }).waitFor({ timeout: 20_000 });
    const stored = JSON.parse(readFileSync(join(forced.dataDir, 'config', 'core_config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(stored.memory_rerank, undefined, 'the environment is not written into the file');
    assert.deepEqual(problems.problems, []);
    await page.close();
  } finally {
    await forced.stop();
  }
});

test('characters: create with a system prompt, edit, refuse a page name, rename, export, delete, re-import the card', { timeout: 90_000 }, async () => {
  const { page, problems } = await openSettings('/chara_manager', [/\/rename$/]);
  await ready(page, 'characters');
  const characters = async () => (await http(`${neko.main.url}/api/characters/`)).body.猫娘 as Record<string, Record<string, unknown>>;
  const status = page.locator('.character-editor .inline-status');

  await page.getByRole('button', { name: 'New character' }).click();
  await page.fill('#character-name', 'Mimi');
  await page.locator('.character-editor .field-row-kv').first().locator('.field-value').fill('女');
  await page.fill('#system-prompt', 'You are {LANLAN_NAME}, a shy cat.');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await status.filter({ hasText: 'Mimi saved.' }).waitFor();
  assert.equal(await page.locator('.character-item[aria-current="true"]').textContent(), 'Mimi');
  let mimi = (await characters()).Mimi!;
  assert.equal(mimi.system_prompt, 'You are {LANLAN_NAME}, a shy cat.');
  assert.equal(mimi.性别, '女');

  // Edit: another field and a new prompt.
  const editor = page.locator('.character-editor');
  await editor.getByRole('button', { name: 'Add field' }).click();
  await editor.locator('.field-row-kv').last().locator('.field-name').fill('爱好');
  await editor.locator('.field-row-kv').last().locator('.field-value').fill('fish');
  await page.fill('#system-prompt', 'You are {LANLAN_NAME}. You love fish.');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await status.filter({ hasText: 'Mimi saved.' }).waitFor();
  mimi = (await characters()).Mimi!;
  assert.equal(mimi.爱好, 'fish');
  assert.equal(mimi.system_prompt, 'You are {LANLAN_NAME}. You love fish.');

  // A page name is refused by the server, with its reason.
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('dialog').getByLabel('New name').fill('settings');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await status.filter({ hasText: 'Could not rename' }).waitFor();
  assert.match((await status.textContent()) ?? '', /reserved/);
  const reserved = await http(`${neko.main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'api_key' } });
  assert.equal(reserved.status, 400);
  assert.equal(reserved.body.code, 'RESERVED_NAME');

  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('dialog').getByLabel('New name').fill('Momo');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await status.filter({ hasText: 'Mimi is now Momo.' }).waitFor();
  assert.deepEqual(Object.keys(await characters()).sort(), ['Momo', 'test']);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export card' }).click()]);
  assert.equal(download.suggestedFilename(), 'Momo.chara.json');
  const file = join(tmpdir(), `neko-card-${process.pid}.chara.json`);
  await download.saveAs(file);
  const card = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(card.档案名, 'Momo');
  assert.equal(card.爱好, 'fish');
  assert.equal(card.system_prompt, 'You are {LANLAN_NAME}. You love fish.');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('.inline-status', { hasText: 'Momo was deleted.' }).waitFor();
  assert.deepEqual(Object.keys(await characters()), ['test']);

  await page.setInputFiles('#card-import', file);
  await page.locator('.inline-status', { hasText: 'Momo was imported.' }).waitFor();
  const momo = (await characters()).Momo!;
  assert.equal(momo.爱好, 'fish');
  assert.equal(momo.system_prompt, 'You are {LANLAN_NAME}. You love fish.');
  assert.equal(await page.locator('.character-item[aria-current="true"]').textContent(), 'Momo');
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('models: upload a VRM with progress, set it for a character and see it drawn on the chat page, a bad file gets the server reason, delete', { timeout: 60_000 }, async () => {
  const { page, problems } = await openSettings('/model_manager', [/\/api\/model\/vrm\/upload$/]);
  await ready(page, 'models');
  const form = page.locator('form.upload-form', { has: page.locator('#vrm-file') });
  await page.setInputFiles('#vrm-file', { name: 'tiny.vrm', mimeType: 'application/octet-stream', buffer: buildVrmFile() });
  await form.getByRole('button', { name: 'Upload' }).click();
  await form.locator('.inline-status', { hasText: 'tiny was uploaded.' }).waitFor();
  const row = page.locator('#vrm-list .model-item', { hasText: 'tiny.vrm' });
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /uploaded/);

  await page.selectOption('#model-character', 'test');
  await row.getByRole('button', { name: 'Use tiny.vrm for test' }).click();
  await page.locator('.inline-status', { hasText: 'test now uses tiny.vrm.' }).waitFor();
  const test = (await http(`${neko.main.url}/api/characters/`)).body.猫娘.test;
  assert.equal(test.model_type, 'vrm');
  assert.equal(test.vrm, '/user_vrm/tiny.vrm');
  assert.match((await page.locator('#vrm-list .model-item', { hasText: 'tiny.vrm' }).textContent()) ?? '', /used by test/);

  // The chat page now draws that model for the character.
  const { page: chat, problems: chatProblems } = await openChatPage(page.context(), `${neko.main.url}/test`);
  await chat.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  const avatar = (await nekoState(chat)).avatar;
  assert.equal(avatar.kind, 'vrm');
  assert.equal(avatar.modelUrl, '/user_vrm/tiny.vrm');
  assert.deepEqual(chatProblems.problems, []);
  await chat.close();

  await page.setInputFiles('#vrm-file', { name: 'junk.vrm', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model at all, just text') });
  await form.getByRole('button', { name: 'Upload' }).click();
  await form.locator('.inline-status[data-kind="error"]', { hasText: 'Upload refused (HTTP 400)' }).waitFor();

  await page.locator('#vrm-list .model-item', { hasText: 'tiny.vrm' }).getByRole('button', { name: 'Delete tiny.vrm' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('.inline-status', { hasText: 'tiny.vrm was deleted.' }).waitFor();
  assert.equal(await page.locator('#vrm-list .model-item', { hasText: 'tiny.vrm' }).count(), 0);
  assert.deepEqual(problems.problems, []);
  await page.close();
});

/** 0.5 s of a 440 Hz tone as 16-bit mono WAV. */
function toneWav(): Buffer {
  const rate = 16_000;
  const pcm = Buffer.alloc(rate);
  for (let i = 0; i < rate / 2; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return Buffer.concat([pcm16WavHeader(rate, pcm.length), pcm]);
}

test('voices: the engine, the library with a preview that plays, and the cloning error said clearly', { timeout: 60_000 }, async () => {
  writeFileSync(join(neko.dataDir, 'config', 'voice_storage.json'), JSON.stringify({ __LOCAL_TTS__: { myvoice: { voice_id: 'myvoice', prefix: 'myvoice', is_local: true } } }));
  const { page, problems } = await openSettings('/voice_clone', [/\/api\/characters\/voice_clone$/]);
  await ready(page, 'voices');
  assert.match((await page.locator('#voice-engine').textContent()) ?? '', /espeak-ng speaks, offline/);
  const item = page.locator('#voice-list .voice-item[data-voice="myvoice"]');
  await item.waitFor();
  await item.getByRole('button', { name: 'Preview' }).click();
  await page.locator('.inline-status[data-kind="ok"]', { hasText: 'Playing myvoice.' }).waitFor({ timeout: 20_000 });
  assert.match((await page.locator('#preview-audio').getAttribute('src')) ?? '', /^data:audio\/(wav|ogg);base64,/);

  await page.setInputFiles('#clone-file', { name: 'me.wav', mimeType: 'audio/wav', buffer: toneWav() });
  await page.fill('#clone-prefix', 'myclone');
  await page.getByRole('button', { name: 'Clone voice' }).click();
  // No DashScope key and no local speech server: the page says what to set up.
  const error = page.locator('.inline-status[data-kind="error"]', { hasText: 'Cloning needs an Alibaba DashScope (Qwen) API key' });
  await error.waitFor();
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('microphone: the fake devices are listed and the choice is stored on the server', { timeout: 30_000 }, async () => {
  const { page, problems } = await openSettings('/settings#microphone');
  await ready(page, 'microphone');
  const allow = page.getByRole('button', { name: 'Show device names' });
  if (await allow.isVisible()) await allow.click();
  const radios = page.locator('#microphone-list input[type="radio"]');
  await waitFor('devices listed', async () => (await radios.count()) > 1, 10_000);
  const device = await radios.nth(1).getAttribute('value');
  await radios.nth(1).check();
  await page.locator('.inline-status', { hasText: 'The chat page uses it' }).waitFor();
  assert.equal((await http(`${neko.main.url}/api/characters/get_microphone`)).body.microphone_id, device);
  await radios.nth(0).check();
  await waitFor('default stored', async () => (await http(`${neko.main.url}/api/characters/get_microphone`)).body.microphone_id === null);
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('language and theme: strings change with the language (shared with the chat page), the theme follows the choice', { timeout: 30_000 }, async () => {
  const { page, problems } = await openSettings('/settings#appearance');
  await ready(page, 'appearance');
  await page.selectOption('#settings-language', 'ja');
  await waitFor('Japanese strings', async () => (await page.locator('a[data-section="characters"]').textContent()) !== 'Characters');
  const japanese = await page.locator('a[data-section="characters"]').textContent();
  assert.match(japanese ?? '', /[\u3040-\u30ff\u4e00-\u9fff]/);
  assert.equal(await page.locator('#language-select').inputValue(), 'ja');
  assert.equal(await page.evaluate("document.documentElement.lang"), 'ja');
  assert.equal(await page.evaluate("localStorage.getItem('neko.language')"), 'ja');

  await page.check('#theme-dark');
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
  assert.equal(await page.evaluate("localStorage.getItem('neko.theme')"), 'dark');
  await page.check('#theme-light');
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'light');

  await page.selectOption('#language-select', 'en');
  await waitFor('English again', async () => (await page.locator('a[data-section="characters"]').textContent()) === 'Characters');
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('phone width: no section overflows sideways; the chat page links to settings and back', { timeout: 60_000 }, async () => {
  const phone = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
  try {
    const page = await phone.newPage();
    const problems = new PageProblems(page);
    for (const id of ['providers', 'characters', 'voices', 'models', 'microphone', 'appearance']) {
      await page.goto(`${neko.main.url}/settings#${id}`);
      await ready(page, id);
      const overflow: number = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `${id} overflows by ${overflow} px`);
    }
    // The character editor with its field rows is the widest form.
    await page.goto(`${neko.main.url}/chara_manager`);
    await ready(page, 'characters');
    await page.locator('.character-item').first().click();
    await page.locator('.field-row-kv').first().waitFor();
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')) <= 0);
    assert.deepEqual(problems.problems, []);

    await page.goto(`${neko.main.url}/`);
    const link = page.getByRole('link', { name: 'Settings' });
    assert.equal(await link.getAttribute('href'), '/settings');
    await link.click();
    await ready(page, 'providers');
    await page.getByRole('link', { name: 'Back to chat' }).click();
    await page.waitForURL(`${neko.main.url}/`);
  } finally {
    await phone.close();
  }
});
