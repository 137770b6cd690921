import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { RecordingPageSocket, ScriptedSession, startMainApp, type MainAppHarness } from '../../../test/support/main-app.js';

/** A real HTTP server on loopback answering with `handler`; records request paths. */
async function tinyServer(handler: (req: IncomingMessage) => { status: number; body: unknown }): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    const { status, body } = handler(req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, paths, close: () => new Promise((r) => server.close(() => r())) };
}

const SECRET = 'sk-live-0123456789abcdefXYZ9';
const QWEN_SECRET = 'sk-qwen-abcdefghijklmnop7777';

describe('/api/config', () => {
  let h: MainAppHarness | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const c of cleanups.splice(0)) await c();
  });

  it('GET core_api masks every key, POST with the masked value keeps the stored key and unknown fields', async () => {
    const agent = await tinyServer(() => ({ status: 200, body: { success: true } }));
    cleanups.push(agent.close);
    h = await startMainApp({
      agentUrl: agent.url,
      files: {
        'core_config.json': { coreApiKey: SECRET, coreApi: 'qwen', assistApi: 'qwen', assistApiKeyQwen: QWEN_SECRET, recent_memory_auto_review: false, futureSetting: { x: 1 } },
      },
    });
    const got = await h.inject({ method: 'GET', url: '/api/config/core_api' });
    assert.equal(got.status, 200);
    const text = JSON.stringify(got.body);
    assert.ok(!text.includes(SECRET) && !text.includes(QWEN_SECRET), `a key leaked: ${text}`);
    assert.equal(got.body.api_key, '••••XYZ9');
    assert.equal(got.body.coreApi, 'qwen');
    assert.equal(got.body.success, true);

    const socket = new RecordingPageSocket('test');
    h.ctx.sessions.attachSocket(socket);
    const session = new ScriptedSession(true, true);
    h.ctx.sessions.attachSession('test', session);

    const saved = await h.inject({
      method: 'POST',
      url: '/api/config/core_api',
      payload: { coreApiKey: got.body.api_key, coreApi: 'openai', assistApi: 'qwen', assistApiKeyQwen: got.body.assistApiKeyQwen },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body, { success: true, message: 'API Key已保存并重新加载配置', sessions_ended: 1 });
    const onDisk = JSON.parse(readFileSync(join(h.configDir, 'core_config.json'), 'utf8'));
    assert.equal(onDisk.coreApiKey, SECRET);
    assert.equal(onDisk.assistApiKeyQwen, QWEN_SECRET);
    assert.equal(onDisk.coreApi, 'openai');
    assert.equal(onDisk.recent_memory_auto_review, false);
    assert.deepEqual(onDisk.futureSetting, { x: 1 });
    assert.deepEqual(socket.messages, [{ type: 'reload_page', message: 'API配置已更新，页面即将刷新' }]);
    assert.equal(session.endReasons.length, 1);
    assert.deepEqual(agent.paths, ['POST /notify_config_changed']);
  });

  it('POST core_api that changes only a memory switch, or nothing, leaves conversations and pages alone', async () => {
    const agent = await tinyServer(() => ({ status: 200, body: { success: true } }));
    cleanups.push(agent.close);
    h = await startMainApp({ agentUrl: agent.url, files: { 'core_config.json': { coreApiKey: SECRET, coreApi: 'qwen', assistApi: 'qwen' } } });
    const socket = new RecordingPageSocket('test');
    h.ctx.sessions.attachSocket(socket);
    const session = new ScriptedSession(true, true);
    h.ctx.sessions.attachSession('test', session);
    const post = (fields: Record<string, unknown>) => h!.inject({ method: 'POST', url: '/api/config/core_api', payload: { coreApiKey: '••••XYZ9', ...fields } });
    const rerank = await post({ memory_rerank: true });
    assert.deepEqual(rerank.body, { success: true, message: 'API Key已保存并重新加载配置', sessions_ended: 0 });
    assert.equal(JSON.parse(readFileSync(join(h.configDir, 'core_config.json'), 'utf8')).memory_rerank, true, 'saved');
    const same = await post({ coreApi: 'qwen', memory_rerank: true });
    assert.equal(same.body.sessions_ended, 0, 'Save without changes');
    assert.deepEqual(socket.messages, [], 'no page reload');
    assert.equal(session.endReasons.length, 0, 'the conversation goes on');
    assert.deepEqual(agent.paths, []);
    const provider = await post({ coreApi: 'openai' });
    assert.equal(provider.body.sessions_ended, 1, 'a provider change still restarts');
    assert.equal(session.endReasons.length, 1);
  });

  it('NEKO_MEMORY_RERANK wins over the file: core_api shows the value in force and that it is locked', async () => {
    h = await startMainApp({ env: { NEKO_MEMORY_RERANK: 'off' }, files: { 'core_config.json': { coreApi: 'sim', memory_rerank: true } } });
    const forced = await h.inject({ method: 'GET', url: '/api/config/core_api' });
    assert.equal(forced.body.memory_rerank, false);
    assert.equal(forced.body.memory_rerank_env, true);
    await h.close();
    h = await startMainApp({ env: { NEKO_MEMORY_RERANK: 'maybe' }, files: { 'core_config.json': { coreApi: 'sim', memory_rerank: true } } });
    const fromFile = await h.inject({ method: 'GET', url: '/api/config/core_api' });
    assert.equal(fromFile.body.memory_rerank, true, 'an unclear value is no override');
    assert.equal(fromFile.body.memory_rerank_env, undefined);
  });

  it('POST core_api refuses bad input with 400 and leaves every file byte-identical', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApiKey: SECRET, coreApi: 'qwen' } } });
    h.ctx.config.characters(); // create characters.json so it is part of the snapshot
    const before = h.snapshot();
    const cases: Array<{ payload: string; error?: string }> = [
      { payload: '{"coreApi": "openai"}', error: '缺少coreApiKey字段' },
      { payload: '{"coreApiKey": null}', error: 'API Key不能为null' },
      { payload: '{"coreApiKey": 42}', error: 'API Key必须是字符串类型' },
      { payload: '{"coreApiKey": "   ", "coreApi": "qwen"}', error: 'API Key不能为空' },
      { payload: '{"coreApiKey": "k", "coreApi": "no-such-provider"}' },
      { payload: '{"coreApiKey": "k", "enableCustomApi": "yes"}' },
      { payload: '{"coreApiKey": ' },
      { payload: '[1,2]' },
    ];
    for (const c of cases) {
      const res = await h.inject({ method: 'POST', url: '/api/config/core_api', headers: { 'content-type': 'application/json' }, payload: c.payload });
      assert.equal(res.status, 400, `${c.payload} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false);
      if (c.error) assert.equal(res.body.error, c.error);
    }
    assert.deepEqual(h.snapshot(), before);
  });

  it('refuses a cross-site POST with 403 before touching the file', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApiKey: SECRET, coreApi: 'qwen' } } });
    const before = h.snapshot();
    const res = await h.inject({
      method: 'POST',
      url: '/api/config/core_api',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: JSON.stringify({ coreApiKey: 'attacker', coreApi: 'openai' }),
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'ORIGIN_NOT_ALLOWED');
    assert.deepEqual(h.snapshot(), before);
  });

  it('a corrupt characters.json is quarantined with its bytes and reported by /status', async () => {
    const corrupt = '{"主人": {"档案名": "哥哥"}, "猫娘": {"小天": ';
    h = await startMainApp({ files: { 'characters.json': corrupt } });
    const status = await h.inject({ method: 'GET', url: '/api/config/status' });
    assert.equal(status.status, 200);
    assert.equal(status.body.success, true);
    assert.equal(status.body.data_dir, h.dir);
    assert.equal(status.body.problems.length, 1);
    const problem = status.body.problems[0];
    assert.equal(problem.file, join(h.configDir, 'characters.json'));
    assert.match(problem.error, /invalid JSON/);
    assert.ok(problem.quarantinedAs.includes('characters.json.corrupt-'));
    assert.equal(readFileSync(problem.quarantinedAs, 'utf8'), corrupt);
    assert.equal(readdirSync(h.configDir).filter((f) => f.includes('.corrupt-')).length, 1);
    assert.deepEqual(Object.keys(status.body.core).sort(), ['assistApi', 'coreApi', 'coreKeyMissing']);
    // The app keeps working from defaults.
    const chars = await h.inject({ method: 'GET', url: '/api/characters/' });
    assert.equal(chars.status, 200);
    assert.ok(chars.body['猫娘'].test);
  });

  it('page_config resolves the stored Live2D and VRM paths only to files that exist', async () => {
    h = await startMainApp({
      files: {
        'characters.json': {
          主人: { 档案名: '哥哥' },
          猫娘: {
            小天: { live2d: 'hiyori' },
            小雪: { live2d: 'gone' },
            小蓝: { model_type: 'vrm', vrm: '/user_vrm/blue.vrm' },
            小红: { model_type: 'vrm', vrm: '/user_vrm/missing.vrm' },
          },
          当前猫娘: '小天',
        },
      },
    });
    const live2d = join(h.dir, 'live2d', 'hiyori');
    mkdirSync(live2d, { recursive: true });
    writeFileSync(join(live2d, 'hiyori.model3.json'), '{}');
    writeFileSync(join(h.dir, 'vrm', 'blue.vrm'), 'x');

    const current = await h.inject({ method: 'GET', url: '/api/config/page_config' });
    assert.deepEqual(current.body, { success: true, lanlan_name: '小天', model_path: '/user_live2d/hiyori/hiyori.model3.json', model_type: 'live2d' });
    const missing = await h.inject({ method: 'GET', url: `/api/config/page_config?lanlan_name=${encodeURIComponent('小雪')}` });
    assert.deepEqual(missing.body, { success: true, lanlan_name: '小雪', model_path: '', model_type: 'live2d' });
    const vrm = await h.inject({ method: 'GET', url: `/api/config/page_config?lanlan_name=${encodeURIComponent('小蓝')}` });
    assert.deepEqual(vrm.body, { success: true, lanlan_name: '小蓝', model_path: '/user_vrm/blue.vrm', model_type: 'vrm' });
    const vrmMissing = await h.inject({ method: 'GET', url: `/api/config/page_config?lanlan_name=${encodeURIComponent('小红')}` });
    assert.equal(vrmMissing.body.model_path, '');

    const unknown = await h.inject({ method: 'GET', url: '/api/config/page_config?lanlan_name=nobody' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { success: false, error: '猫娘不存在', lanlan_name: '', model_path: '', model_type: '' });
    const traversal = await h.inject({ method: 'GET', url: '/api/config/page_config?lanlan_name=..%2F..%2Fetc' });
    assert.equal(traversal.status, 400);
  });

  it('preferences: upsert keeps omitted optional fields, set-preferred moves to the top or 404s', async () => {
    h = await startMainApp();
    const a = { model_path: '/static/a.model3.json', position: { x: 1, y: 2 }, scale: { x: 0.2, y: 0.2 }, parameters: { ParamAngleX: 3 } };
    const b = { model_path: '/static/b.model3.json', position: { x: 5, y: 6 }, scale: { x: 1, y: 1 } };
    assert.equal((await h.inject({ method: 'POST', url: '/api/config/preferences', payload: a })).status, 200);
    assert.equal((await h.inject({ method: 'POST', url: '/api/config/preferences', payload: b })).status, 200);
    await h.inject({ method: 'POST', url: '/api/config/preferences', payload: { ...a, position: { x: 9, y: 9 }, parameters: undefined } });
    let list = (await h.inject({ method: 'GET', url: '/api/config/preferences' })).body;
    assert.deepEqual(list.map((e: { model_path: string }) => e.model_path), [a.model_path, b.model_path]);
    assert.deepEqual(list[0].parameters, { ParamAngleX: 3 });
    assert.deepEqual(list[0].position, { x: 9, y: 9 });

    const moved = await h.inject({ method: 'POST', url: '/api/config/preferences/set-preferred', payload: { model_path: b.model_path } });
    assert.deepEqual(moved.body, { success: true, message: '首选模型已更新' });
    list = (await h.inject({ method: 'GET', url: '/api/config/preferences' })).body;
    assert.equal(list[0].model_path, b.model_path);

    // neko's own entries (the built-in avatar's place) stay behind real models and out of the original's view.
    const builtIn = { model_path: 'neko:built-in-avatar', position: { x: 0, y: 0 }, scale: { x: 1, y: 1 } };
    const c = { model_path: '/static/c.model3.json', position: { x: 1, y: 1 }, scale: { x: 1, y: 1 } };
    await h.inject({ method: 'POST', url: '/api/config/preferences', payload: builtIn });
    await h.inject({ method: 'POST', url: '/api/config/preferences', payload: c });
    const paths = async (url: string) => (await h!.inject({ method: 'GET', url })).body.map((e: { model_path: string }) => e.model_path);
    assert.deepEqual(await paths('/api/config/preferences'), [b.model_path, a.model_path, c.model_path]);
    assert.deepEqual(await paths('/api/config/preferences?all=1'), [b.model_path, a.model_path, c.model_path, builtIn.model_path]);
    const notPreferred = await h.inject({ method: 'POST', url: '/api/config/preferences/set-preferred', payload: { model_path: builtIn.model_path } });
    assert.equal(notPreferred.status, 404, 'only a real model can be preferred');

    const before = h.snapshot();
    const nope = await h.inject({ method: 'POST', url: '/api/config/preferences/set-preferred', payload: { model_path: '/nope' } });
    assert.equal(nope.status, 404);
    assert.equal(nope.body.error, '模型不存在或更新失败');
    const bad = await h.inject({ method: 'POST', url: '/api/config/preferences', payload: { model_path: '/x', position: { x: 'left' }, scale: { x: 1, y: 1 } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^偏好数据格式无效/);
    assert.deepEqual(h.snapshot(), before);
  });

  it('gptsovits/list_voices: only loopback http(s) URLs, upstream JSON passed through, failures coded', async () => {
    const voices = [{ id: 'alice', name: 'Alice' }];
    const gsv = await tinyServer((req) => (req.url === '/api/v3/voices' ? { status: 200, body: voices } : { status: 404, body: {} }));
    cleanups.push(gsv.close);
    h = await startMainApp();
    const post = (api_url: unknown) => h!.inject({ method: 'POST', url: '/api/config/gptsovits/list_voices', payload: { api_url } });

    for (const [url, code] of [
      [undefined, 'TTS_GPT_SOVITS_URL_REQUIRED'],
      ['', 'TTS_GPT_SOVITS_URL_REQUIRED'],
      ['not a url', 'TTS_GPT_SOVITS_URL_INVALID'],
      ['file:///etc/passwd', 'TTS_GPT_SOVITS_URL_INVALID'],
      ['http://example.com:9881', 'TTS_CUSTOM_URL_LOCALHOST_ONLY'],
      ['http://127.evil.example:9881', 'TTS_CUSTOM_URL_LOCALHOST_ONLY'],
      ['http://10.0.0.5:9881', 'TTS_CUSTOM_URL_LOCALHOST_ONLY'],
    ] as const) {
      const res = await post(url);
      assert.equal(res.status, 400, `${url}`);
      assert.deepEqual(res.body, { success: false, error: code, code }, `${url}`);
    }
    const ok = await post(gsv.url);
    assert.deepEqual(ok.body, { success: true, voices });
    assert.deepEqual(gsv.paths, ['GET /api/v3/voices']);

    const broken = await tinyServer(() => ({ status: 500, body: { detail: 'boom' } }));
    cleanups.push(broken.close);
    assert.deepEqual((await post(broken.url)).body, { success: false, error: 'Upstream TTS service error', code: 'TTS_CONNECTION_FAILED' });
    const downUrl = broken.url;
    await broken.close();
    cleanups.pop();
    assert.deepEqual((await post(downUrl)).body, { success: false, error: 'Internal TTS connection error', code: 'TTS_CONNECTION_FAILED' });
  });

  it('set_proxy_mode switches to direct and restores the snapshot, never showing proxy credentials', async () => {
    const env: NodeJS.ProcessEnv = { HTTPS_PROXY: 'http://user:pa55@proxy.example:8080', http_proxy: 'http://proxy.example:3128' };
    h = await startMainApp({ env });
    const direct = await h.inject({ method: 'POST', url: '/api/config/set_proxy_mode', payload: { direct: 'yes' } });
    assert.deepEqual(direct.body, { success: true, direct: true, proxies_after: { no: '*' } });
    assert.equal(env.HTTPS_PROXY, undefined);
    assert.equal(env.NO_PROXY, '*');

    const restored = await h.inject({ method: 'POST', url: '/api/config/set_proxy_mode', payload: { direct: false } });
    assert.equal(restored.body.direct, false);
    assert.deepEqual(restored.body.proxies_after, { https: 'http://proxy.example:8080', http: 'http://proxy.example:3128' });
    assert.ok(!JSON.stringify(restored.body).includes('pa55'));
    assert.equal(env.HTTPS_PROXY, 'http://user:pa55@proxy.example:8080');
    assert.equal(env.NO_PROXY, undefined);
  });

  it('static answers: reserved fields, language, no-Steam shape, provider catalogue', async () => {
    h = await startMainApp();
    const reserved = (await h.inject({ method: 'GET', url: '/api/config/character_reserved_fields' })).body;
    assert.equal(reserved.success, true);
    assert.ok(reserved.system_reserved_fields.includes('voice_id'));
    assert.ok(reserved.workshop_reserved_fields.includes('原始数据'));
    assert.equal(reserved.all_reserved_fields.length, reserved.system_reserved_fields.length + reserved.workshop_reserved_fields.length);
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/config/user_language' })).body, { success: true, language: 'zh' });
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/config/steam_language' })).body, {
      success: false, error: 'Steamworks 未初始化', steam_language: null, i18n_language: null, ip_country: null, is_mainland_china: false,
    });
    const providers = (await h.inject({ method: 'GET', url: '/api/config/api_providers' })).body;
    assert.ok(providers.core_api_providers.some((p: { key: string }) => p.key === 'sim'));
    assert.deepEqual(Object.keys(providers.assist_api_providers[0]).sort(), ['description', 'key', 'name']);
    assert.ok(!existsSync(join(h.configDir, 'core_config.json')), 'reading must not create core_config.json');
  });
});
