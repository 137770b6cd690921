import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import { RecordingPageSocket, ScriptedSession, startMainApp, type MainAppHarness } from '../../../test/support/main-app.js';

/** The original's characters.json (rest.md §4.1/§14.1), with legacy flat keys the original migrates on load. */
const ORIGINAL_FILE = {
  主人: { 档案名: '哥哥', 性别: '男', 昵称: '哥哥' },
  猫娘: {
    小天: { 性别: '女', 年龄: 15, 昵称: 'T酱, 小T', live2d: 'mao_pro', voice_id: 'voice-tianxin', system_prompt: '你是{LANLAN_NAME}' },
    小雪: {
      性别: '女',
      _reserved: {
        voice_id: '',
        system_prompt: '',
        avatar: { model_type: 'live2d', asset_source: 'local', asset_source_id: '', live2d: { model_path: 'hiyori/hiyori.model3.json' }, vrm: { model_path: '', animation: null, idle_animation: '', lighting: null } },
      },
    },
  },
  当前猫娘: '小天',
};

const AUDIO_KEY = 'sk-audio-key-0123456789abcdef';

interface MemoryCall {
  method: string;
  url: string;
  body: unknown;
}

/**
 * The memory service's character routes as their contract says (POST /characters/{old}/rename {new_name},
 * DELETE /characters/{name} → {status, files}); `answer` lets a test make it refuse or fail.
 */
async function fakeMemory(answer: (call: MemoryCall) => { status: number; body: unknown } | undefined = () => undefined) {
  const calls: MemoryCall[] = [];
  const app = Fastify();
  const record = (method: string) => async (req: { url: string; body: unknown }, reply: { code: (n: number) => { send: (b: unknown) => unknown } }) => {
    const call = { method, url: decodeURIComponent(req.url), body: req.body };
    calls.push(call);
    const custom = answer(call);
    if (custom) return reply.code(custom.status).send(custom.body);
    if (method === 'RELOAD') return reply.code(200).send({ status: 'success' });
    return reply.code(200).send({ status: method === 'DELETE' ? 'deleted' : 'renamed', files: ['recent.json'] });
  };
  app.post('/characters/:name/rename', record('RENAME'));
  app.delete('/characters/:name', record('DELETE'));
  app.post('/reload', record('RELOAD'));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, calls: () => calls.filter((c) => c.method !== 'RELOAD'), close: () => app.close() };
}

function readCharacters(h: MainAppHarness): any {
  return JSON.parse(readFileSync(join(h.configDir, 'characters.json'), 'utf8'));
}

const enc = encodeURIComponent;

describe('/api/characters', () => {
  let h: MainAppHarness | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const c of cleanups.splice(0)) await c();
  });

  it("loads the original's file: Chinese keys kept, legacy flat keys migrated into _reserved and flattened in the answer", async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } });
    const res = await h.inject({ method: 'GET', url: '/api/characters/' });
    assert.equal(res.status, 200);
    assert.equal(res.body['当前猫娘'], '小天');
    assert.deepEqual(res.body['主人'], ORIGINAL_FILE.主人);
    const tian = res.body['猫娘']['小天'];
    assert.equal(tian['昵称'], 'T酱, 小T');
    assert.equal(tian.live2d, 'mao_pro');
    assert.equal(tian.voice_id, 'voice-tianxin');
    assert.equal(tian.model_type, 'live2d');
    assert.equal(tian._reserved.avatar.live2d.model_path, 'mao_pro/mao_pro.model3.json');
    assert.equal(res.body['猫娘']['小雪'].live2d, 'hiyori');

    const onDisk = readCharacters(h);
    const stored = onDisk['猫娘']['小天'];
    assert.equal(stored.live2d, undefined, 'flat key must be migrated away on disk');
    assert.equal(stored.voice_id, undefined);
    assert.equal(stored._reserved.voice_id, 'voice-tianxin');
    assert.equal(stored._reserved.system_prompt, '你是{LANLAN_NAME}');
    assert.deepEqual(Object.keys(onDisk['猫娘']), ['小天', '小雪']);
  });

  it('add, replace persona, rename (memory first) and delete round-trip; the page hears catgirl_switched', async () => {
    const memory = await fakeMemory();
    cleanups.push(memory.close);
    h = await startMainApp({ memoryUrl: memory.url, files: { 'characters.json': ORIGINAL_FILE } });

    const added = await h.inject({ method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: '小雨', 性别: '女', 爱好: '下雨', voice_id: 'sneaky', 空: '' } });
    assert.deepEqual(added.body, { success: true });
    let card = readCharacters(h)['猫娘']['小雨'];
    assert.equal(card['爱好'], '下雨');
    assert.equal(card['空'], undefined);
    assert.equal(card.voice_id, undefined, 'reserved keys are stripped on add');
    assert.equal(card._reserved.voice_id, '');
    const dup = await h.inject({ method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: '小雨' } });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error, '该猫娘已存在');

    const replaced = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/${enc('小雨')}`, payload: { 性别: '女', 口头禅: '喵', live2d: 'x', 档案名: 'ignored' } });
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.body, { success: true, voice_id_changed: false, session_restarted: false, ignored_reserved_fields: ['live2d'] });
    card = readCharacters(h)['猫娘']['小雨'];
    assert.equal(card['爱好'], undefined, 'fields absent from the body are removed');
    assert.equal(card['口头禅'], '喵');
    assert.ok(card._reserved, 'reserved block preserved');

    const renamed = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小雨')}/rename`, payload: { new_name: '小晴' } });
    assert.deepEqual(renamed.body, { success: true });
    assert.deepEqual(memory.calls()[0], { method: 'RENAME', url: '/characters/小雨/rename', body: { new_name: '小晴' } });
    let doc = readCharacters(h);
    assert.equal(doc['猫娘']['小雨'], undefined);
    assert.equal(doc['猫娘']['小晴']['口头禅'], '喵');

    // Renaming the current character: its page is told on the old socket and follows the new name.
    const socket = new RecordingPageSocket('小天');
    h.ctx.sessions.attachSocket(socket);
    const session = new ScriptedSession(false, true);
    h.ctx.sessions.attachSession('小天', session);
    assert.equal((await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小天')}/rename`, payload: { new_name: 'Tian' } })).status, 200);
    assert.deepEqual(socket.messages, [{ type: 'catgirl_switched', new_catgirl: 'Tian', old_catgirl: '小天' }]);
    assert.equal(h.ctx.sessions.socketOf('Tian'), socket);
    assert.equal(h.ctx.sessions.session('Tian'), session);
    doc = readCharacters(h);
    assert.equal(doc['当前猫娘'], 'Tian');
    assert.equal((await h.inject({ method: 'GET', url: '/api/characters/current_catgirl' })).body.current_catgirl, 'Tian');

    const deleted = await h.inject({ method: 'DELETE', url: `/api/characters/catgirl/${enc('小晴')}` });
    assert.deepEqual(deleted.body, { success: true });
    assert.deepEqual(memory.calls()[2], { method: 'DELETE', url: '/characters/小晴', body: undefined });
    assert.equal(readCharacters(h)['猫娘']['小晴'], undefined);

    const before = h.snapshot();
    const current = await h.inject({ method: 'DELETE', url: '/api/characters/catgirl/Tian' });
    assert.equal(current.status, 400);
    assert.match(current.body.error, /^不能删除当前正在使用的猫娘/);
    assert.equal(memory.calls().length, 3, 'memory is not touched when the delete is refused');
    assert.deepEqual(h.snapshot(), before);
  });

  it('memory down: rename and delete answer 503 MEMORY_UNAVAILABLE and change nothing', async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } }); // memory URL is a closed port
    h.ctx.config.characters();
    const before = h.snapshot();
    const rename = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: '小冰' } });
    assert.equal(rename.status, 503);
    assert.equal(rename.body.success, false);
    assert.equal(rename.body.code, 'MEMORY_UNAVAILABLE');
    assert.match(rename.body.error, /^记忆服务不可用/);
    const del = await h.inject({ method: 'DELETE', url: `/api/characters/catgirl/${enc('小雪')}` });
    assert.equal(del.status, 503);
    assert.equal(del.body.code, 'MEMORY_UNAVAILABLE');
    assert.deepEqual(h.snapshot(), before);
  });

  it('memory with nothing for the character (404) does not block; a failed save renames memory back', async () => {
    const memory = await fakeMemory((call) => (call.url.includes('小雪') ? { status: 404, body: { success: false, error: 'unknown character' } } : undefined));
    cleanups.push(memory.close);
    h = await startMainApp({ memoryUrl: memory.url, files: { 'characters.json': ORIGINAL_FILE } });
    assert.equal((await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: '小冰' } })).status, 200);
    assert.ok(readCharacters(h)['猫娘']['小冰']);

    h.ctx.config.saveCharacters = () => {
      throw new Error('disk full');
    };
    const failed = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小冰')}/rename`, payload: { new_name: '小霜' } });
    assert.equal(failed.status, 500);
    assert.deepEqual(memory.calls().slice(-2).map((c) => [c.url, c.body]), [
      ['/characters/小冰/rename', { new_name: '小霜' }],
      ['/characters/小霜/rename', { new_name: '小冰' }],
    ]);
    assert.ok(readCharacters(h)['猫娘']['小冰']);
  });

  it('refuses bad names, bad bodies and unknown characters with 4xx and leaves the files byte-identical', async () => {
    const memory = await fakeMemory();
    cleanups.push(memory.close);
    h = await startMainApp({ memoryUrl: memory.url, files: { 'characters.json': ORIGINAL_FILE } });
    h.ctx.config.characters();
    const before = h.snapshot();
    const json = { 'content-type': 'application/json' };
    const cases: Array<{ method: 'POST' | 'PUT' | 'DELETE' | 'GET'; url: string; payload?: unknown; raw?: string; status: number; error?: string | RegExp }> = [
      { method: 'POST', url: '/api/characters/catgirl', raw: '{"档案名": "坏', status: 400 },
      { method: 'POST', url: '/api/characters/catgirl', raw: '"just a string"', status: 400 },
      { method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: 42 }, status: 400, error: '档案名为必填项' },
      { method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: 'a/b' }, status: 400, error: '档案名不能包含路径分隔符(/或\\)' },
      { method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: '..' }, status: 400 },
      { method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: 'x\u0001y' }, status: 400 },
      { method: 'POST', url: '/api/characters/catgirl', payload: { 档案名: '这个名字实在是太长了超过二十个单位' }, status: 400, error: /^档案名长度不能超过20单位/ },
      { method: 'PUT', url: '/api/characters/catgirl/nobody', payload: { 性别: '女' }, status: 404, error: '猫娘不存在' },
      { method: 'PUT', url: `/api/characters/catgirl/${enc('小雪')}`, raw: '[1]', status: 400 },
      { method: 'DELETE', url: '/api/characters/catgirl/nobody', status: 404, error: '猫娘不存在' },
      // A bare `..` segment is resolved away by every URL parser before routing; these reach the handler.
      { method: 'DELETE', url: '/api/characters/catgirl/..x', status: 400 },
      { method: 'DELETE', url: '/api/characters/catgirl/a..', status: 400 },
      { method: 'DELETE', url: '/api/characters/catgirl/.hidden', status: 400 },
      { method: 'DELETE', url: '/api/characters/catgirl/a%2Fb', status: 400 },
      { method: 'DELETE', url: '/api/characters/catgirl/%01x', status: 400 },
      { method: 'POST', url: '/api/characters/catgirl/nobody/rename', payload: { new_name: 'x' }, status: 404, error: '原猫娘不存在' },
      { method: 'POST', url: '/api/characters/catgirl/%2E%2E%2Fetc/rename', payload: { new_name: 'x' }, status: 400 },
      { method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: '' }, status: 400, error: '新档案名不能为空' },
      { method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: '小天' }, status: 400, error: '新档案名已存在' },
      { method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: '../etc' }, status: 400 },
      { method: 'POST', url: `/api/characters/catgirl/${enc('小雪')}/rename`, payload: { new_name: 7 }, status: 400 },
      { method: 'PUT', url: '/api/characters/catgirl/voice_id/nobody', payload: { voice_id: '' }, status: 404 },
      { method: 'PUT', url: `/api/characters/catgirl/voice_id/${enc('小雪')}`, payload: {}, status: 400, error: '无数据' },
      { method: 'PUT', url: `/api/characters/catgirl/${enc('小雪')}/lighting`, payload: { lighting: { ambient: 7 } }, status: 400, error: '打光参数 ambient 超出范围 (0-1)' },
      { method: 'PUT', url: `/api/characters/catgirl/${enc('小雪')}/lighting`, payload: { lighting: 'bright' }, status: 400 },
      { method: 'PUT', url: '/api/characters/catgirl/nobody/lighting', payload: { lighting: {} }, status: 404 },
      { method: 'PUT', url: `/api/characters/catgirl/l2d/${enc('小雪')}`, payload: { model_type: 'gif' }, status: 400 },
      { method: 'PUT', url: `/api/characters/catgirl/l2d/${enc('小雪')}`, payload: { model_type: 'vrm', vrm: '/user_vrm/../../x.vrm' }, status: 400 },
      { method: 'PUT', url: `/api/characters/catgirl/l2d/${enc('小雪')}`, payload: { live2d: '../outside' }, status: 400 },
      { method: 'POST', url: '/api/characters/current_catgirl', payload: { catgirl_name: 'nobody' }, status: 404, error: '指定的猫娘不存在' },
      { method: 'POST', url: '/api/characters/current_catgirl', payload: { catgirl_name: '' }, status: 400, error: '猫娘名称不能为空' },
      { method: 'POST', url: '/api/characters/master', payload: { 昵称: 'no name' }, status: 400 },
      { method: 'POST', url: '/api/characters/set_microphone', payload: { microphone_id: { id: 1 } }, status: 400 },
      { method: 'GET', url: '/api/characters/catgirl/nobody/voice_mode_status', status: 404 },
      { method: 'POST', url: '/api/characters/catgirl/nobody/unregister_voice', status: 404 },
    ];
    for (const c of cases) {
      const res = await h.inject({
        method: c.method,
        url: c.url,
        ...(c.raw !== undefined ? { headers: json, payload: c.raw } : c.payload !== undefined ? { payload: c.payload as object } : {}),
      });
      assert.equal(res.status, c.status, `${c.method} ${c.url} ${c.raw ?? JSON.stringify(c.payload)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false, `${c.method} ${c.url}`);
      if (typeof c.error === 'string') assert.equal(res.body.error, c.error, `${c.method} ${c.url}`);
      else if (c.error) assert.match(res.body.error, c.error);
    }
    assert.deepEqual(memory.calls(), [], 'no refused request may reach memory');
    assert.deepEqual(h.snapshot(), before);
  });

  it('current_catgirl broadcasts catgirl_switched to every page; voice sessions block switching and renaming', async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } });
    const a = new RecordingPageSocket('小天');
    const b = new RecordingPageSocket('小雪');
    h.ctx.sessions.attachSocket(a);
    h.ctx.sessions.attachSocket(b);
    const voice = new ScriptedSession(true, true);
    h.ctx.sessions.attachSession('小天', voice);

    h.ctx.config.characters(); // the first read migrates the file; snapshot after it
    const before = h.snapshot();
    const blocked = await h.inject({ method: 'POST', url: '/api/characters/current_catgirl', payload: { catgirl_name: '小雪' } });
    assert.equal(blocked.status, 400);
    assert.match(blocked.body.error, /^语音状态下无法切换角色/);
    const renameBlocked = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小天')}/rename`, payload: { new_name: '小地' } });
    assert.equal(renameBlocked.status, 400);
    assert.match(renameBlocked.body.error, /^语音状态下无法修改角色名称/);
    const status = await h.inject({ method: 'GET', url: `/api/characters/catgirl/${enc('小天')}/voice_mode_status` });
    assert.deepEqual(status.body, { is_voice_mode: true, is_current: true, is_active: true });
    assert.deepEqual(h.snapshot(), before);

    voice.voice = false;
    const switched = await h.inject({ method: 'POST', url: '/api/characters/current_catgirl', payload: { catgirl_name: '小雪' } });
    assert.deepEqual(switched.body, { success: true });
    const notice = { type: 'catgirl_switched', new_catgirl: '小雪', old_catgirl: '小天' };
    assert.deepEqual(a.messages, [notice]);
    assert.deepEqual(b.messages, [notice]);
    assert.equal(readCharacters(h)['当前猫娘'], '小雪');
  });

  it('voice ids are checked against the current key, voices never expose the key, deleting a voice clears its users', async () => {
    h = await startMainApp({
      files: {
        'characters.json': ORIGINAL_FILE,
        'core_config.json': { coreApi: 'qwen', assistApi: 'qwen', coreApiKey: 'core-key', assistApiKeyQwen: AUDIO_KEY },
        'voice_storage.json': {
          [AUDIO_KEY]: { 'voice-mine': { voice_id: 'voice-mine', prefix: 'mine' }, 'voice-rejected': { voice_id: 'voice-rejected', status: 'undeployed' } },
          'other-key': { 'voice-theirs': { voice_id: 'voice-theirs' } },
        },
      },
    });
    h.ctx.config.characters(); // the first read migrates the file; snapshot after it
    const before = h.snapshot();
    const rejected = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/voice_id/${enc('小雪')}`, payload: { voice_id: 'voice-rejected' } });
    assert.equal(rejected.status, 400, 'a clone that failed the provider review cannot be chosen');
    const bad = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/voice_id/${enc('小雪')}`, payload: { voice_id: 'voice-theirs' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'voice_id "voice-theirs" 在当前API的音色库中不存在');
    assert.deepEqual(bad.body.available_voices, ['voice-mine']);
    const legacy = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/${enc('小雪')}`, payload: { 性别: '女', voice_id: 'cosyvoice-v2-old' } });
    assert.equal(legacy.status, 400);
    assert.deepEqual(h.snapshot(), before);

    const socket = new RecordingPageSocket('小雪');
    h.ctx.sessions.attachSocket(socket);
    const session = new ScriptedSession(false, true);
    h.ctx.sessions.attachSession('小雪', session);
    const ok = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/voice_id/${enc('小雪')}`, payload: { voice_id: 'voice-mine' } });
    assert.deepEqual(ok.body, { success: true, session_restarted: true, voice_id_changed: true });
    assert.equal(readCharacters(h)['猫娘']['小雪']._reserved.voice_id, 'voice-mine');
    assert.deepEqual(socket.messages, [{ type: 'reload_page', message: JSON.stringify({ code: 'RELOAD_PAGE', details: { message: '语音已更新，页面即将刷新' } }) }]);
    assert.deepEqual(session.endReasons, ['voice changed']);
    const same = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/voice_id/${enc('小雪')}`, payload: { voice_id: 'voice-mine' } });
    assert.deepEqual(same.body, { success: true, session_restarted: false, voice_id_changed: false });

    const voices = await h.inject({ method: 'GET', url: '/api/characters/voices' });
    assert.deepEqual(Object.keys(voices.body.voices), ['voice-mine', 'voice-rejected'], 'the library still lists a rejected clone, so it can be seen and deleted');
    assert.equal(voices.body.voices['voice-rejected'].status, 'undeployed');
    assert.deepEqual(voices.body.voice_owners, { 'voice-mine': ['小雪'], 'voice-tianxin': ['小天'] });
    assert.ok(!JSON.stringify(voices.body).includes(AUDIO_KEY));

    const registered = await h.inject({ method: 'POST', url: '/api/characters/voices', payload: { voice_id: 'voice-new', voice_data: { prefix: 'new' } } });
    assert.deepEqual(registered.body, { success: true, message: '音色注册成功' });
    const stored = JSON.parse(readFileSync(join(h.configDir, 'voice_storage.json'), 'utf8'));
    assert.equal(stored[AUDIO_KEY]['voice-new'].voice_id, 'voice-new');
    assert.ok(!Number.isNaN(Date.parse(stored[AUDIO_KEY]['voice-new'].created_at)));
    const missing = await h.inject({ method: 'POST', url: '/api/characters/voices', payload: { voice_id: 'v' } });
    assert.deepEqual(missing.body, { success: false, error: 'TTS_VOICE_REGISTER_MISSING_PARAMS', code: 'TTS_VOICE_REGISTER_MISSING_PARAMS' });

    const removed = await h.inject({ method: 'DELETE', url: '/api/characters/voices/voice-mine' });
    assert.deepEqual(removed.body, { success: true, message: '音色已删除，已清理 1 个角色的引用' });
    assert.equal(readCharacters(h)['猫娘']['小雪']._reserved.voice_id, '');
    const gone = await h.inject({ method: 'DELETE', url: '/api/characters/voices/voice-theirs' });
    assert.equal(gone.status, 404, 'another key\'s voice is not ours to delete');
    assert.equal(gone.body.error, '音色不存在或删除失败');
  });

  it('unregister_voice, clear_voice_ids, microphone, master, lighting and model binding', async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } });
    const un = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小天')}/unregister_voice` });
    assert.deepEqual(un.body, { success: true, message: '声音注册已解除' });
    const again = await h.inject({ method: 'POST', url: `/api/characters/catgirl/${enc('小天')}/unregister_voice` });
    assert.deepEqual(again.body, { success: false, error: 'TTS_VOICE_NOT_REGISTERED', code: 'TTS_VOICE_NOT_REGISTERED' });
    assert.equal(again.status, 400);

    await h.inject({ method: 'PUT', url: `/api/characters/catgirl/${enc('小天')}`, payload: { 性别: '女' } });
    const cleared = await h.inject({ method: 'POST', url: '/api/characters/clear_voice_ids' });
    assert.deepEqual(cleared.body, { success: true, message: '已清除 0 个角色的Voice ID记录', cleared_count: 0 });

    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/characters/get_microphone' })).body, { microphone_id: null });
    assert.deepEqual((await h.inject({ method: 'POST', url: '/api/characters/set_microphone', payload: { microphone_id: 'dev-1' } })).body, { success: true });
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/characters/get_microphone' })).body, { microphone_id: 'dev-1' });
    assert.equal(readCharacters(h)['当前麦克风'], 'dev-1');

    assert.deepEqual((await h.inject({ method: 'POST', url: '/api/characters/master', payload: { 档案名: '主人甲', 昵称: '', 年龄: 0 } })).body, { success: true });
    assert.deepEqual(readCharacters(h)['主人'], { 档案名: '主人甲' });

    const lit = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/${enc('小雪')}/lighting?apply_runtime=true`, payload: { lighting: { ambient: 0.9 } } });
    assert.equal(lit.status, 200);
    assert.equal(lit.body.applied_runtime, true);
    assert.equal(lit.body.needs_reload, false);
    assert.equal(readCharacters(h)['猫娘']['小雪']._reserved.avatar.vrm.lighting.ambient, 0.9);

    const vrm = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/l2d/${enc('小雪')}`, payload: { model_type: 'vrm', vrm: '/user_vrm/blue.vrm' } });
    assert.equal(vrm.status, 200);
    const avatar = readCharacters(h)['猫娘']['小雪']._reserved.avatar;
    assert.equal(avatar.model_type, 'vrm');
    assert.equal(avatar.vrm.model_path, '/user_vrm/blue.vrm');
    assert.equal(avatar.live2d.model_path, '');
    const l2d = await h.inject({ method: 'PUT', url: `/api/characters/catgirl/l2d/${enc('小雪')}`, payload: { live2d: 'hiyori' } });
    assert.deepEqual(l2d.body, { success: true, message: '已更新角色 小雪 的Live2D模型为 hiyori' });
    assert.equal(readCharacters(h)['猫娘']['小雪']._reserved.avatar.live2d.model_path, 'hiyori/hiyori.model3.json');
  });

  it('current_live2d_model finds the model folder or reports the fallback', async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } });
    const dir = join(h.dir, 'live2d', 'hiyori');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hiyori.model3.json'), '{}');
    const found = await h.inject({ method: 'GET', url: `/api/characters/current_live2d_model?catgirl_name=${enc('小雪')}` });
    assert.deepEqual(found.body, {
      success: true, catgirl_name: '小雪', model_name: 'hiyori',
      model_info: { name: 'hiyori', path: '/user_live2d/hiyori/hiyori.model3.json', source: 'documents' },
    });
    const fallback = await h.inject({ method: 'GET', url: '/api/characters/current_live2d_model' });
    assert.equal(fallback.body.catgirl_name, '小天');
    assert.equal(fallback.body.model_name, 'mao_pro');
  });

  it('character cards: listing reports broken files, save upserts, save-to-model-folder is confined to user models', async () => {
    h = await startMainApp({ files: { 'characters.json': ORIGINAL_FILE } });
    const cards = join(h.dir, 'character_cards');
    writeFileSync(join(cards, 'good.chara.json'), JSON.stringify({ name: '卡片猫', description: 'd', tags: ['a'], 性别: '女' }));
    writeFileSync(join(cards, 'broken.chara.json'), '{oops');
    writeFileSync(join(cards, 'notes.txt'), 'ignored');
    const list = await h.inject({ method: 'GET', url: '/api/characters/character-card/list' });
    assert.equal(list.body.success, true);
    assert.deepEqual(list.body.character_cards.map((c: { id: string; name: string }) => [c.id, c.name]), [['good', '卡片猫']]);
    assert.equal(list.body.character_cards[0].path, join(cards, 'good.chara.json'));
    assert.deepEqual(list.body.warnings.map((w: { file: string }) => w.file), ['broken.chara.json']);

    const saved = await h.inject({ method: 'POST', url: '/api/characters/character-card/save', payload: { charaData: { 档案名: '卡片猫', 性别: '女', tags: ['x'] } } });
    assert.deepEqual(saved.body, { success: true, character_card_name: '卡片猫' });
    const card = readCharacters(h)['猫娘']['卡片猫'];
    assert.equal(card['性别'], '女');
    assert.equal(card.tags, undefined, 'workshop metadata is reserved');

    const model = join(h.dir, 'live2d', 'hiyori');
    mkdirSync(model, { recursive: true });
    const outside = join(h.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(h.dir, 'live2d', 'escape'));
    const post = (payload: object) => h!.inject({ method: 'POST', url: '/api/characters/catgirl/save-to-model-folder', payload });
    const data = { name: '卡片猫' };
    for (const fileName of ['../x.chara.json', 'a/b.chara.json', 'x.json', '.chara.json', 'bad\u0001.chara.json']) {
      const res = await post({ charaData: data, modelName: 'hiyori', fileName });
      assert.equal(res.status, 400, fileName);
      assert.equal(res.body.error, '非法文件名', fileName);
    }
    assert.equal((await post({ charaData: data, modelName: '..', fileName: 'c.chara.json' })).status, 400);
    assert.equal((await post({ charaData: data, modelName: 'nothing', fileName: 'c.chara.json' })).status, 404);
    assert.equal((await post({ charaData: data, modelName: 'escape', fileName: 'c.chara.json' })).status, 403);
    assert.ok(!existsSync(join(outside, 'c.chara.json')));
    assert.equal((await post({ modelName: 'hiyori', fileName: 'c.chara.json' })).status, 400);

    const ok = await post({ charaData: data, modelName: 'hiyori', fileName: 'c.chara.json' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.path, join(model, 'c.chara.json'));
    assert.equal(ok.body.modelFolderPath, model);
    assert.deepEqual(JSON.parse(readFileSync(join(model, 'c.chara.json'), 'utf8')), data);
  });

  it('custom_tts_voices: needs a configured loopback URL, lists voices with the gsv: prefix, 502 when unreachable', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/api/v3/voices' ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 'alice', name: 'Alice', version: 'v3' }, 'bob']));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    h = await startMainApp({ files: { 'core_config.json': { coreApiKey: 'k', enableCustomApi: false, ttsModelUrl: url } } });
    const get = () => h!.inject({ method: 'GET', url: '/api/characters/custom_tts_voices' });
    assert.deepEqual((await get()).body, { success: false, error: 'TTS_CUSTOM_URL_NOT_CONFIGURED', code: 'TTS_CUSTOM_URL_NOT_CONFIGURED', voices: [] });

    writeFileSync(join(h.configDir, 'core_config.json'), JSON.stringify({ coreApiKey: 'k', enableCustomApi: true, ttsModelUrl: 'http://192.168.1.10:9881' }));
    const remote = await get();
    assert.equal(remote.status, 400);
    assert.equal(remote.body.code, 'TTS_CUSTOM_URL_LOCALHOST_ONLY');

    writeFileSync(join(h.configDir, 'core_config.json'), JSON.stringify({ coreApiKey: 'k', enableCustomApi: true, ttsModelUrl: `${url}/` }));
    const ok = await get();
    assert.equal(ok.status, 200);
    assert.equal(ok.body.api_url, url);
    assert.deepEqual(ok.body.voices, [
      { voice_id: 'gsv:alice', raw_id: 'alice', name: 'Alice', description: '', version: 'v3' },
      { voice_id: 'gsv:bob', raw_id: 'bob', name: 'bob', description: '', version: '' },
    ]);

    await new Promise((r) => server.close(r));
    cleanups.pop();
    const down = await get();
    assert.equal(down.status, 502);
    assert.match(down.body.error, /^连接 GPT-SoVITS API 失败/);
    assert.deepEqual(down.body.voices, []);
  });
});
