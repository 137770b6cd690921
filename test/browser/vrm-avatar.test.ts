import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, startNeko, type BrowserContext, type Page, type Services, type TestBrowser } from '../support/browser.js';
import { live2dModelFiles, writeFiles } from '../support/avatar-files.js';
import { multipartBody } from '../support/multipart.js';
import { http, ROOT, waitFor } from '../support/services.js';
import { buildVrmFile, corruptVrmFile } from '../support/vrm-file.js';

let neko: Services;
let chromium: TestBrowser;
let context: BrowserContext;

async function uploadVrm(filename: string, bytes: Buffer): Promise<string> {
  const { payload, headers } = multipartBody([{ field: 'file', filename, content: bytes, contentType: 'model/gltf-binary' }]);
  const res = await http(`${neko.main.url}/api/model/vrm/upload`, { method: 'POST', body: payload, headers });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.model_url as string;
}

async function bind(character: string, body: Record<string, unknown>): Promise<void> {
  const res = await http(`${neko.main.url}/api/characters/catgirl/l2d/${encodeURIComponent(character)}`, { method: 'PUT', json: body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function addCharacter(name: string): Promise<void> {
  const res = await http(`${neko.main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: name, 昵称: name } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** `window.__neko.avatar` alone (cheap enough to poll every frame or two). */
const avatarState = (page: Page): Promise<any> => page.evaluate('JSON.parse(JSON.stringify(window.__neko.avatar))');

/**
 * What the avatar's canvas shows in the next frame: the share of pixels painted (the background is
 * transparent) and their centre. Read in a frame callback queued after the avatar's own, so the WebGL drawing
 * buffer still holds the frame just drawn.
 */
async function painted(page: Page): Promise<{ fraction: number; cx: number; cy: number; width: number; height: number }> {
  return page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => {
    const canvases = document.querySelectorAll('#avatar-mount canvas');
    const c = canvases[canvases.length - 1];
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const g = copy.getContext('2d');
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0, sx = 0, sy = 0;
    for (let i = 3; i < d.length; i += 4) {
      if (d[i] > 0) { const p = (i - 3) / 4; n++; sx += p % c.width; sy += Math.floor(p / c.width); }
    }
    resolve({ fraction: n / (d.length / 4), cx: n ? sx / n : 0, cy: n ? sy / n : 0, width: c.width, height: c.height });
  }))`);
}

async function savedPreference(modelPath: string): Promise<any> {
  const res = await http(`${neko.main.url}/api/config/preferences?all=1`);
  return (res.body as any[]).find((e) => e.model_path === modelPath);
}

let cubeUrl = '';

before(async () => {
  ensureWebBuilt();
  neko = await startNeko();
  cubeUrl = await uploadVrm('cube-girl.vrm', buildVrmFile());
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light' });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
});

test('a VRM bound to the character is drawn, moves its mouth with the sim reply, shows the reply’s emotion, and stays where the user puts it', { timeout: 120_000 }, async () => {
  assert.equal(cubeUrl, '/user_vrm/cube-girl.vrm');
  await bind('test', { model_type: 'vrm', vrm: cubeUrl });
  const { page, problems } = await openChatPage(context, `${neko.main.url}/`);
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  let state = await avatarState(page);
  assert.equal(state.kind, 'vrm');
  assert.equal(state.modelUrl, cubeUrl);
  assert.equal(state.fallback, '');
  assert.ok((await nekoState(page)).timings.avatarVisibleMs > 0);
  console.log(`# time from navigation to VRM drawn: ${(await nekoState(page)).timings.avatarVisibleMs} ms`);
  assert.equal(await page.locator('#avatar-mount canvas').count(), 1, 'one canvas: the built-in avatar was not left behind');
  assert.equal(await page.locator('#avatar-mount canvas').getAttribute('role'), 'img');
  assert.match((await page.locator('#avatar-mount canvas').getAttribute('aria-label')) ?? '', /test/);
  assert.equal(await page.locator('.avatar-notice').isVisible(), false);

  // The model is really drawn on a transparent background: a part of the stage is painted, not all of it.
  const home = await painted(page);
  assert.ok(home.fraction > 0.02 && home.fraction < 0.6, `the model covers ${(home.fraction * 100).toFixed(1)} % of the canvas`);
  assert.ok(Math.abs(home.cx - home.width / 2) < home.width * 0.08, `the model stands in the middle (${home.cx} of ${home.width})`);

  // It lives: it blinks by itself.
  await waitFor('a blink', async () => (await avatarState(page)).blinks > 0, 15_000);

  // A sim text reply: the played audio opens the `aa` mouth shape while she speaks.
  let maxAa = 0;
  const watching = (async () => {
    const until = Date.now() + 25_000;
    while (Date.now() < until && maxAa < 0.1) {
      maxAa = Math.max(maxAa, Number((await avatarState(page)).weights.aa ?? 0));
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  await page.fill('#message-input', 'I am so happy today, this is wonderful!');
  await page.press('#message-input', 'Enter');
  await page.locator('.bubble-assistant:not(.streaming)').first().waitFor({ timeout: 30_000 });
  await watching;
  assert.ok(maxAa > 0.1, `the mouth opened while she spoke (aa up to ${maxAa})`);

  // After the reply the emotion analysis (offline classifier here) finds joy: her happy expression shows.
  await waitFor('the happy expression', async () => {
    const s = await avatarState(page);
    return s.expression === 'happy' && s.weights.happy > 0.5;
  }, 20_000);
  await waitFor('the reply to finish playing and the mouth to close', async () => {
    const s = await nekoState(page);
    return s.audio.queuedSeconds === 0 && s.avatar.weights.aa < 0.02;
  }, 20_000);
  state = await avatarState(page);
  assert.equal(state.weights.sad, 0);

  // The screenshot for the README, in the light theme.
  const dir = process.env.NEKO_UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmpdir(), 'neko-screenshots');
  mkdirSync(dir, { recursive: true });
  await page.evaluate("document.querySelectorAll('.toast').forEach((t) => t.remove())");
  await page.locator('#message-input').blur();
  await page.mouse.move(640, 300);
  await page.screenshot({ path: join(dir, 'screenshot-vrm.png') });
  console.log(`# screenshot in ${join(dir, 'screenshot-vrm.png')}`);

  // Drag her to the right and down, then zoom in with the wheel: she follows, and the place is saved for this model.
  const box = (await page.locator('#avatar-mount').boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + box.height * 0.6 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) await page.mouse.move(start.x + i * 20, start.y + i * 5);
  await page.mouse.up();
  await page.mouse.wheel(0, -300);
  const saved = await waitFor('the place to be saved', async () => {
    const entry = await savedPreference(cubeUrl);
    return entry && entry.scale.x > 1.2 && entry.position.x > 100 ? entry : undefined;
  }, 10_000);
  assert.deepEqual(saved.position, { x: 120, y: 30 });
  assert.ok(saved.scale.x > 1.2 && saved.scale.x === saved.scale.y, JSON.stringify(saved.scale));
  const moved = await painted(page);
  const ratio = moved.width / box.width;
  assert.ok(moved.cx - home.cx > 60 * ratio, `she moved right on screen (${home.cx} → ${moved.cx})`);
  assert.ok(moved.fraction > home.fraction * 1.3, `she is bigger (${home.fraction} → ${moved.fraction})`);

  // After a reload she is where she was left.
  await page.reload();
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  state = await avatarState(page);
  assert.equal(state.kind, 'vrm');
  assert.deepEqual(state.placement, { x: 120, y: 30, scale: saved.scale.x });
  const restored = await painted(page);
  // Idle sway and the look-at move her a few pixels between frames; not restored would be the 60+ px of the drag.
  assert.ok(Math.abs(restored.cx - moved.cx) < 25 * ratio, `same place after reload (${moved.cx} vs ${restored.cx})`);

  // The keyboard does the same once the stage has the focus; its name says which keys.
  const mount = page.locator('#avatar-mount');
  assert.equal(await mount.getAttribute('role'), 'application');
  assert.equal(await mount.getAttribute('tabindex'), '0');
  assert.match((await mount.getAttribute('aria-label')) ?? '', /arrow keys move .*Shift.*plus and minus zoom, 0 or Home/);
  // Keys pressed in the chat box stay there: the model does not move.
  await page.locator('#message-input').focus();
  for (const key of ['ArrowLeft', 'Shift+ArrowLeft', 'Home', '0', '-']) await page.keyboard.press(key);
  assert.deepEqual((await avatarState(page)).placement, { x: 120, y: 30, scale: saved.scale.x }, 'keys in the chat box leave the model alone');
  await page.fill('#message-input', '');
  // On the stage: two big steps left, one small step up, one zoom step in.
  await mount.focus();
  for (const key of ['Shift+ArrowLeft', 'Shift+ArrowLeft', 'ArrowUp', '=']) await page.keyboard.press(key);
  state = await avatarState(page);
  assert.equal(state.placement.x, 20);
  assert.equal(state.placement.y, 20);
  assert.ok(Math.abs(state.placement.scale - saved.scale.x * 1.1) < 1e-6, `zoomed in one step (${saved.scale.x} → ${state.placement.scale})`);
  assert.equal(await page.locator('.avatar-key-hint').isVisible(), true, 'the keys are shown while the stage has the focus');
  assert.match((await page.locator('.avatar-key-hint').textContent()) ?? '', /Arrow keys: move/);
  const keyed = await waitFor('the keyboard place to be saved', async () => {
    const entry = await savedPreference(cubeUrl);
    return entry && entry.position.x === 20 ? entry : undefined;
  }, 10_000);
  assert.deepEqual(keyed.position, { x: 20, y: 20 });
  assert.ok(Math.abs(keyed.scale.x - saved.scale.x * 1.1) < 0.001, JSON.stringify(keyed.scale));
  const keyMoved = await painted(page);
  assert.ok(restored.cx - keyMoved.cx > 60 * ratio, `she moved left on screen (${restored.cx} → ${keyMoved.cx})`);
  assert.ok(keyMoved.fraction > restored.fraction * 1.1, `she is bigger (${restored.fraction} → ${keyMoved.fraction})`);

  // Reloaded, she is where the keys put her; Home brings her back to the usual place, saved too.
  await page.reload();
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  assert.deepEqual((await avatarState(page)).placement, { x: 20, y: 20, scale: keyed.scale.x });
  await mount.focus();
  await page.keyboard.press('Home');
  assert.deepEqual((await avatarState(page)).placement, { x: 0, y: 0, scale: 1 });
  await waitFor('the usual place to be saved', async () => {
    const entry = await savedPreference(cubeUrl);
    return entry.position.x === 0 && entry.position.y === 0 && entry.scale.x === 1;
  }, 10_000);
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('a missing or unreadable VRM file falls back to the built-in avatar with a line saying why; switching characters re-selects the avatar', { timeout: 90_000 }, async () => {
  await bind('test', { model_type: 'vrm', vrm: cubeUrl });
  await addCharacter('Ghost');
  await bind('Ghost', { model_type: 'vrm', vrm: '/user_vrm/nowhere.vrm' });
  const { page, problems } = await openChatPage(context, `${neko.main.url}/Ghost`);
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  let state = await avatarState(page);
  assert.equal(state.kind, 'default');
  assert.equal(state.requested, 'missing');
  assert.equal(state.fallback, 'avatar.fallback.vrmNotFound');
  const notice = page.locator('.avatar-notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.match((await notice.textContent()) ?? '', /VRM model “\/user_vrm\/nowhere\.vrm” was not found, so the built-in character is shown/);
  assert.equal(await page.locator('.avatar-notice-upload').isVisible(), false, 'nothing to upload for a missing VRM');
  const frames = state.frames;
  await waitFor('the built-in avatar to keep animating', async () => (await avatarState(page)).frames > frames + 5, 10_000);

  // The built-in avatar moves and zooms by keyboard too, saved under its own name (it has no file).
  const before = await painted(page);
  const ratio = before.width / (await page.locator('#avatar-mount').boundingBox())!.width;
  await page.locator('#avatar-mount').focus();
  for (const key of ['Shift+ArrowRight', 'Shift+ArrowRight', '-']) await page.keyboard.press(key);
  const zoomedOut = (await avatarState(page)).placement;
  assert.deepEqual([zoomedOut.x, zoomedOut.y], [100, 0]);
  assert.ok(Math.abs(zoomedOut.scale - 1 / 1.1) < 1e-9, `one zoom step out (${zoomedOut.scale})`);
  const builtIn = await waitFor('the built-in avatar’s place to be saved', async () => {
    const entry = await savedPreference('neko:built-in-avatar');
    return entry?.position.x === 100 ? entry : undefined;
  }, 10_000);
  assert.deepEqual([builtIn.position, builtIn.scale], [{ x: 100, y: 0 }, { x: 0.909, y: 0.909 }]);
  const after = await painted(page);
  assert.ok(after.cx - before.cx > 60 * ratio, `the built-in avatar moved right on screen (${before.cx} → ${after.cx})`);
  assert.ok(after.fraction < before.fraction * 0.9, `and is smaller (${before.fraction} → ${after.fraction})`);

  // Switching to the VRM character shows the VRM and clears the line; back again brings the built-in one.
  await page.selectOption('#character-select', 'test');
  await waitFor('the VRM', async () => {
    const s = await avatarState(page);
    return s.kind === 'vrm' && !s.loading;
  }, 30_000);
  assert.equal(await notice.isVisible(), false);
  assert.equal(await page.locator('#avatar-mount canvas').count(), 1);
  await page.selectOption('#character-select', 'Ghost');
  await waitFor('the built-in avatar again', async () => {
    const s = await avatarState(page);
    return s.kind === 'default' && !s.loading;
  }, 30_000);
  await notice.waitFor();
  assert.equal(await page.locator('#avatar-mount canvas').count(), 1);

  // A file that passes the upload's signature check but is not a readable model.
  const brokenUrl = await uploadVrm('broken.vrm', corruptVrmFile());
  await bind('Ghost', { model_type: 'vrm', vrm: brokenUrl });
  await page.reload();
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  state = await avatarState(page);
  assert.equal(state.kind, 'default');
  assert.equal(state.requested, 'vrm');
  assert.equal(state.fallback, 'avatar.fallback.vrmBroken');
  assert.match((await notice.textContent()) ?? '', /VRM model “broken\.vrm” could not be read \(.+\), so the built-in character is shown/);
  assert.ok((await painted(page)).fraction > 0.1, 'the built-in avatar is drawn: the stage is never empty');
  assert.deepEqual(state.placement, { x: 100, y: 0, scale: 0.909 }, 'the built-in avatar keeps its place across reloads, whatever it stands in for');
  assert.deepEqual(problems.problems, []);
  await page.close();
});

test('a Live2D model without the Cubism Core runtime: the built-in avatar, one line explaining why, and a control to add the runtime, after which the model is tried at once', { timeout: 60_000 }, async () => {
  writeFiles(join(neko.dataDir, 'live2d', 'hiyori'), live2dModelFiles('hiyori'));
  await addCharacter('Hiyori');
  await bind('Hiyori', { model_type: 'live2d', live2d: 'hiyori' });
  const status = await http(`${neko.main.url}/api/live2d/cubism_core/status`);
  assert.equal(status.body.installed, false);

  const { page, problems } = await openChatPage(context, `${neko.main.url}/Hiyori`);
  await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
  const state = await avatarState(page);
  assert.equal(state.kind, 'default');
  assert.equal(state.requested, 'live2d');
  assert.equal(state.fallback, 'avatar.cubism.missing');
  const notice = page.locator('.avatar-notice');
  assert.match((await notice.textContent()) ?? '', /Live2D models need the Cubism Core runtime \(live2dcubismcore\.min\.js\).*“hiyori”/);
  const upload = page.getByRole('button', { name: 'Add runtime file…' });
  assert.ok(await upload.isVisible());
  assert.equal(await page.locator('.avatar-notice').count(), 1, 'one line');

  // A wrong file is refused by the server and the page says so; nothing is installed.
  await page.locator('.avatar-notice input[type=file]').setInputFiles({ name: 'notes.js', mimeType: 'text/javascript', buffer: Buffer.from('console.log("not the runtime")') });
  await page.locator('.avatar-notice', { hasText: 'The runtime file was refused' }).waitFor({ timeout: 10_000 });
  assert.equal((await http(`${neko.main.url}/api/live2d/cubism_core/status`)).body.installed, false);
  assert.equal((await avatarState(page)).kind, 'default');
  // The refusal is a 400 that Chromium logs; it is the expected answer here.
  assert.deepEqual(problems.problems.filter((p) => !/status of 400/.test(p)), []);

  // A file the server accepts (a stand-in written here: it defines Live2DCubismCore but cannot read models) is
  // stored, and the page tries the Live2D model at once: loading fails, so the built-in avatar stays, and the line
  // now says the model could not be loaded.
  const standIn = 'var Live2DCubismCore;(function(c){c.Version={csmGetVersion:function(){return 0}};})(Live2DCubismCore||(Live2DCubismCore={}));';
  await page.locator('.avatar-notice input[type=file]').setInputFiles({ name: 'live2dcubismcore.min.js', mimeType: 'text/javascript', buffer: Buffer.from(standIn) });
  await waitFor('the runtime to be stored', async () => (await http(`${neko.main.url}/api/live2d/cubism_core/status`)).body.installed, 10_000);
  await waitFor('the Live2D attempt', async () => (await avatarState(page)).fallback === 'avatar.fallback.live2dBroken', 20_000);
  assert.equal(await page.evaluate('typeof window.Live2DCubismCore'), 'object', 'the runtime script was loaded from the stable URL');
  assert.equal((await avatarState(page)).kind, 'default');
  assert.match((await notice.textContent()) ?? '', /Live2D model “hiyori\.model3\.json” could not be loaded/);
  assert.deepEqual(problems.problems.filter((p) => !/status of 400/.test(p)), []);
  await page.close();
});
