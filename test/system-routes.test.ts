import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startSimServer, type SimServer } from '../src/main/sim/server.js';
import { emotionRoutes } from '../src/main/routes/emotion.js';
import { systemRoutes, type SystemRouteOptions } from '../src/main/routes/system.js';
import { NoticeBoard } from '../src/main/system/notices.js';
import { createService } from '../src/shared/http/service.js';
import { startChatModelServer, type ChatModelServer } from './support/chat-model-server.js';
import { startEmotionModel } from './support/emotion-model.js';
import { startMainApp, type MainAppHarness } from './support/main-app.js';
import { tempDataDir } from './support/services.js';
import { startXvfb } from './support/xvfb.js';
import { treeSnapshot } from './support/avatar-files.js';

/** The system routes on their own app, over a harness's context, with test options (shutdown hook, app folder). */
async function systemApp(h: MainAppHarness, opts: SystemRouteOptions): Promise<FastifyInstance> {
  const app = createService('main', { log: h.ctx.log, env: {} });
  await app.register(async (scope) => systemRoutes(scope, h.ctx, opts), { prefix: '/api' });
  await app.ready();
  return app;
}

const customModel = (role: string, url: string, model = 'test-model') => ({
  enableCustomApi: true,
  [`${role}ModelUrl`]: url,
  [`${role}ModelId`]: model,
  [`${role}ModelApiKey`]: 'test-key',
});

describe('POST /api/emotion/analysis', () => {
  let h: MainAppHarness | undefined;
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const c of closers.splice(0)) await c();
  });

  it('uses the configured emotion model and returns its JSON answer', async () => {
    const model = await startEmotionModel(() => ({ emotion: 'surprised', confidence: 0.91 }));
    closers.push(model.close);
    h = await startMainApp({ files: { 'core_config.json': customModel('emotion', model.baseUrl, 'emo-model') } });
    const res = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload: { text: 'I am so happy today', lanlan_name: 'test' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { emotion: 'surprised', confidence: 0.91, source: 'model' });
    assert.equal(model.requests.length, 1);
    assert.equal(model.requests[0]!.model, 'emo-model');
    assert.equal(model.requests[0]!.messages.at(-1)!.content, 'I am so happy today');
  });

  it('falls back to the offline classifier when the model answers prose (the sim)', async () => {
    const sim = await startSimServer({ port: 0 });
    closers.push(() => sim.close());
    h = await startMainApp({ files: { 'core_config.json': customModel('emotion', `${sim.url}/v1`, 'sim-chat') } });
    const res = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload: { text: '气死我了，又被插队！' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.emotion, 'angry');
    assert.equal(res.body.source, 'fallback');
    assert.equal(sim.stats.chatRequests.length, 1, 'the sim was asked first');
  });

  it('falls back without calling anything when no usable model is configured', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApi: 'qwen', assistApi: 'qwen' } } });
    const res = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload: { text: 'びっくりした！' } });
    assert.deepEqual({ emotion: res.body.emotion, source: res.body.source }, { emotion: 'surprised', source: 'fallback' });
  });

  it('falls back when the model fails or is too slow', async () => {
    const failing = await startChatModelServer(() => ({ status: 500 }));
    closers.push(failing.close);
    h = await startMainApp({ files: { 'core_config.json': customModel('emotion', failing.baseUrl) } });
    const res = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload: { text: 'I miss you so much, I feel lonely' } });
    assert.deepEqual({ emotion: res.body.emotion, source: res.body.source }, { emotion: 'sad', source: 'fallback' });

    const slow = await startEmotionModel(() => ({ emotion: 'angry', confidence: 0.9 }), { delayMs: 2000 });
    closers.push(slow.close);
    const app = createService('main', { log: h.ctx.log, env: {} });
    closers.push(() => app.close());
    h.ctx.config.saveCore(customModel('emotion', slow.baseUrl));
    await app.register(async (scope) => emotionRoutes(scope, h!.ctx, { timeoutMs: 200 }), { prefix: '/api' });
    const started = Date.now();
    const timed = await app.inject({ method: 'POST', url: '/api/emotion/analysis', payload: { text: 'wow, what a surprise!' } });
    assert.ok(Date.now() - started < 1500, 'did not wait for the slow model');
    assert.deepEqual({ emotion: timed.json().emotion, source: timed.json().source }, { emotion: 'surprised', source: 'fallback' });
  });

  it('refuses bad input with 400', async () => {
    h = await startMainApp();
    for (const payload of [{}, { text: '' }, { text: '   ' }, { text: 5 }, { text: 'x'.repeat(5000) }]) {
      const res = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload });
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.ok(res.body.error);
    }
    const notObject = await h.inject({ method: 'POST', url: '/api/emotion/analysis', payload: '["x"]', headers: { 'content-type': 'application/json' } });
    assert.equal(notObject.status, 400);
  });
});

describe('POST /api/translate', () => {
  let h: MainAppHarness | undefined;
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const c of closers.splice(0)) await c();
  });

  it('translates through the assist (summary) model and cleans its answer', async () => {
    const model = await startChatModelServer(() => ({ content: '「你好，世界」' }));
    closers.push(model.close);
    h = await startMainApp({ files: { 'core_config.json': customModel('summary', model.baseUrl) } });
    const res = await h.inject({ method: 'POST', url: '/api/translate', payload: { text: 'Hello, world', target_lang: 'zh' } });
    assert.deepEqual(res.body, { success: true, translated_text: '你好，世界', source_lang: 'en', target_lang: 'zh', google_failed: false });
    assert.match(model.requests[0]!.messages[0]!.content, /Simplified Chinese/);
  });

  it('goes through the sim as the assist model', async () => {
    const sim: SimServer = await startSimServer({ port: 0 });
    closers.push(() => sim.close());
    h = await startMainApp({ files: { 'core_config.json': customModel('summary', `${sim.url}/v1`, 'sim-chat') } });
    const res = await h.inject({ method: 'POST', url: '/api/translate', payload: { text: '今天天气很好', target_lang: 'en' } });
    assert.equal(res.body.success, true);
    assert.equal(res.body.source_lang, 'zh');
    assert.ok(res.body.translated_text.length > 0 && res.body.translated_text !== '今天天气很好');
    assert.equal(sim.stats.chatRequests.length, 1);
  });

  it('echoes text already in the target language, or without letters, without calling the model', async () => {
    const model = await startChatModelServer(() => ({ content: 'should not be used' }));
    closers.push(model.close);
    h = await startMainApp({ files: { 'core_config.json': customModel('summary', model.baseUrl) } });
    const cases: Array<[string, string, string]> = [['你好', 'zh-CN', 'zh'], ['こんにちは、元気？', 'ja', 'ja'], ['Good morning', 'en', 'en'], ['12345 !!', 'ja', 'unknown'], ['안녕하세요', 'ko', 'ko']];
    for (const [text, target, source] of cases) {
      const res = await h.inject({ method: 'POST', url: '/api/translate', payload: { text, target_lang: target } });
      assert.deepEqual(res.body, { success: true, translated_text: text, source_lang: source, target_lang: target, google_failed: false }, text);
    }
    assert.equal(model.requests.length, 0);
  });

  it('echoes with success:false when no model is usable or it fails', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApi: 'qwen', assistApi: 'qwen' } } });
    const res = await h.inject({ method: 'POST', url: '/api/translate', payload: { text: 'Hello', target_lang: 'zh' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.equal(res.body.translated_text, 'Hello');
  });

  it('refuses bad input with 400', async () => {
    h = await startMainApp();
    const empty = await h.inject({ method: 'POST', url: '/api/translate', payload: { text: '', target_lang: 'en' } });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, { success: false, error: '文本不能为空', translated_text: '', source_lang: 'unknown', target_lang: 'en' });
    assert.equal((await h.inject({ method: 'POST', url: '/api/translate', payload: { text: 'x'.repeat(5001) } })).status, 400);
    assert.equal((await h.inject({ method: 'POST', url: '/api/translate', payload: { text: 'hi', target_lang: '../../x' } })).status, 400);
    assert.equal((await h.inject({ method: 'POST', url: '/api/translate', payload: '"text"', headers: { 'content-type': 'application/json' } })).status, 400);
  });
});

describe('system routes', () => {
  let h: MainAppHarness;
  let appDir: string;
  let cleanupApp: () => void;
  before(async () => {
    h = await startMainApp();
    ({ dir: appDir, cleanup: cleanupApp } = tempDataDir('neko-app-'));
    mkdirSync(join(appDir, 'static', 'models', 'a'), { recursive: true });
    writeFileSync(join(appDir, 'static', 'models', 'a', 'preview.png'), Buffer.alloc(2 * 1024 * 1024));
    writeFileSync(join(appDir, 'static', 'models', 'a', 'icon.png'), 'small-icon');
    writeFileSync(join(appDir, 'secret.txt'), 'not an asset');
    mkdirSync(join(h.dir, 'live2d', 'm'), { recursive: true });
    writeFileSync(join(h.dir, 'live2d', 'm', 'thumbnail.jpg'), 'jpg');
  });
  after(async () => {
    await h.close();
    cleanupApp();
  });

  it('pending notices: snapshot with a cursor, ack drops up to it', async () => {
    const notices = new NoticeBoard();
    const app = await systemApp(h, { notices, appDir });
    notices.push({ code: 'VOICE_CLEARED', message: 'old voice cleared' });
    notices.push({ code: 'OTHER' });
    const first = (await app.inject({ method: 'GET', url: '/api/pending-notices' })).json();
    assert.equal(first.cursor, 2);
    assert.deepEqual(first.notices.map((n: { code: string }) => n.code), ['VOICE_CLEARED', 'OTHER']);
    notices.push({ code: 'LATER' });
    assert.deepEqual((await app.inject({ method: 'POST', url: '/api/pending-notices/ack', payload: { cursor: first.cursor } })).json(), { ok: true });
    const second = (await app.inject({ method: 'GET', url: '/api/pending-notices' })).json();
    assert.deepEqual(second.notices.map((n: { code: string }) => n.code), ['LATER']);
    for (const payload of [{}, { cursor: -1 }, { cursor: 'x' }, { cursor: 1.5 }]) {
      assert.equal((await app.inject({ method: 'POST', url: '/api/pending-notices/ack', payload })).statusCode, 400, JSON.stringify(payload));
    }
    assert.equal(notices.snapshot().notices.length, 1);
    await app.close();
  });

  it('file-exists answers only inside the asset folders', async () => {
    const app = await systemApp(h, { appDir });
    const get = async (path: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/file-exists?path=${encodeURIComponent(path)}` });
      return [res.statusCode, res.json().exists];
    };
    assert.deepEqual(await get('/static/models/a/icon.png'), [200, true]);
    assert.deepEqual(await get('static/models/a/icon.png'), [200, true]);
    assert.deepEqual(await get(join(appDir, 'static', 'models', 'a', 'icon.png')), [200, true]);
    assert.deepEqual(await get('/static/models/a/missing.png'), [200, false]);
    assert.deepEqual(await get('/static/models/a'), [200, false], 'a folder is not a file');
    assert.deepEqual(await get('/user_live2d/m/thumbnail.jpg'), [200, true]);
    assert.deepEqual(await get(join(h.dir, 'live2d', 'm', 'thumbnail.jpg')), [200, true]);
    assert.deepEqual(await get('/etc/passwd'), [403, false]);
    assert.deepEqual(await get(join(appDir, 'secret.txt')), [403, false]);
    assert.deepEqual(await get(join(h.dir, 'config', 'characters.json')), [403, false]);
    assert.deepEqual(await get('/static/../secret.txt'), [400, false]);
    assert.deepEqual(await get('/user_live2d/..\\..\\config\\characters.json'), [400, false]);
    assert.equal((await app.inject({ method: 'GET', url: '/api/file-exists' })).statusCode, 400);
    await app.close();
  });

  it('find-first-image returns the first small preview inside the asset folders', async () => {
    const app = await systemApp(h, { appDir });
    const find = async (folder: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/find-first-image?folder=${encodeURIComponent(folder)}` });
      return { status: res.statusCode, body: res.json() };
    };
    assert.deepEqual(await find('static/models/a'), { status: 200, body: { success: true, imagePath: 'static/models/a/icon.png' } }, 'preview.png is over 1 MB');
    assert.deepEqual(await find(join(appDir, 'static', 'models', 'a')), { status: 200, body: { success: true, imagePath: 'static/models/a/icon.png' } });
    assert.deepEqual(await find('/user_live2d/m'), { status: 200, body: { success: true, imagePath: '/user_live2d/m/thumbnail.jpg' } });
    assert.equal((await find('/static/models')).body.success, false);
    assert.equal((await find('/etc')).status, 403);
    assert.equal((await find('/static/../..')).status, 400);
    assert.equal((await find('static//models')).status, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/find-first-image' })).statusCode, 400);
    await app.close();
  });

  it('proxy-image serves images from the asset folders only', async () => {
    const app = await systemApp(h, { appDir });
    const ok = await app.inject({ method: 'GET', url: '/api/steam/proxy-image?image_path=/user_live2d/m/thumbnail.jpg' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['content-type'], 'image/jpeg');
    assert.equal(ok.body, 'jpg');
    const status = async (p: string) => (await app.inject({ method: 'GET', url: `/api/steam/proxy-image?image_path=${encodeURIComponent(p)}` })).statusCode;
    assert.equal(await status('https://example.com/a.png'), 400);
    assert.equal(await status('/etc/passwd'), 400, 'not an image type');
    assert.equal(await status('C:/x/steamapps/workshop/../../Users/me/a.jpg'), 400);
    assert.equal(await status('/home/me/steamapps/workshop/a.jpg'), 403);
    assert.equal(await status('/user_live2d/m/none.jpg'), 404);
    await app.close();
  });

  it('screenshot: 403 off loopback, 503 with no display, a JPEG from an X display', async () => {
    const remote = await h.inject({ method: 'GET', url: '/api/screenshot', remoteAddress: '192.168.1.20' } as never);
    assert.equal(remote.status, 403);
    const none = await h.inject({ method: 'GET', url: '/api/screenshot' });
    assert.equal(none.status, 503);
    assert.match(none.body.error, /DISPLAY/);

    const x = await startXvfb();
    try {
      const withDisplay = await startMainApp({ env: { DISPLAY: x.display } });
      try {
        const shot = await withDisplay.inject({ method: 'GET', url: '/api/screenshot' });
        assert.equal(shot.status, 200, JSON.stringify(shot.body).slice(0, 200));
        assert.match(shot.body.data, /^data:image\/jpeg;base64,\/9j\//);
        assert.equal(shot.body.size, Buffer.from(shot.body.data.split(',')[1], 'base64').length);
      } finally {
        await withDisplay.close();
      }
    } finally {
      await x.stop();
    }
  });

  it('beacon/shutdown stops only a browser-mode launch', async () => {
    const off = await h.inject({ method: 'POST', url: '/api/beacon/shutdown' });
    assert.equal(off.status, 200);
    assert.equal(off.body, null);

    const browser = await startMainApp({ env: { NEKO_OPEN_BROWSER: '1' } });
    let stopped = 0;
    const app = await systemApp(browser, { shutdown: () => (stopped += 1), appDir, beaconGraceMs: 300 });
    const on = await app.inject({ method: 'POST', url: '/api/beacon/shutdown' });
    assert.deepEqual(on.json(), { success: true, message: '服务器关闭信号已接收' });
    assert.equal(stopped, 0, 'not at once: the response goes out first');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(stopped, 1);
    const crossSite = await app.inject({ method: 'POST', url: '/api/beacon/shutdown', headers: { origin: 'https://evil.example' } });
    assert.equal(crossSite.statusCode, 403);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(stopped, 1, 'a cross-site beacon did not stop it');
    // A reload: the beacon of the old page, and the new page connected before the grace ends.
    const page = { character: 'test', send: () => undefined, close: () => undefined };
    browser.ctx.sessions.attachSocket(page);
    const reload = await app.inject({ method: 'POST', url: '/api/beacon/shutdown' });
    assert.equal(reload.statusCode, 200);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(stopped, 1, 'a page still connected keeps the app running');
    browser.ctx.sessions.detachSocket(page);
    await app.close();
    await browser.close();
  });

  it('no-Steam answers and the window title', async () => {
    assert.deepEqual(await h.inject({ method: 'POST', url: '/api/steam/set-achievement-status/ACH_1' }), { status: 503, body: { success: false, error: 'Steamworks未初始化' } });
    assert.equal((await h.inject({ method: 'POST', url: '/api/steam/update-playtime', payload: { seconds: 10 } })).status, 503);
    assert.equal((await h.inject({ method: 'POST', url: '/api/steam/update-playtime', payload: { seconds: -3 } })).status, 400);
    assert.equal((await h.inject({ method: 'GET', url: '/api/steam/list-achievements' })).status, 503);
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/get_window_title' })).body, { success: false, window_title: null });
  });

  it('none of these routes wrote to the data folder', () => {
    const tree = treeSnapshot(h.dir);
    assert.deepEqual(Object.keys(tree).filter((k) => k.startsWith('live2d/') && k !== 'live2d/').sort(), ['live2d/m/', 'live2d/m/thumbnail.jpg']);
    assert.ok(!Object.keys(tree).some((k) => k.startsWith('avatar_config')));
  });
});
