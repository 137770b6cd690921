import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { live2dModelFiles, tinyGlb, treeSnapshot, writeFiles } from './support/avatar-files.js';
import { startAvatarApp, type AvatarApp } from './support/avatar-app.js';
import { multipartBody, type FormPart } from './support/multipart.js';
import { buildZip } from './support/zip-writer.js';

const SMALL_LIMITS = { live2dFileBytes: 4096, live2dTotalBytes: 16384, live2dMaxFiles: 30, live2dZipBytes: 20000, vrmBytes: 8192, vrmaBytes: 4096, motionBytes: 2048 };

function folderUpload(name: string, files: Record<string, string | Buffer>): FormPart[] {
  return Object.entries(files).map(([rel, content]) => ({ field: 'files', filename: `${name}/${rel}`, content }));
}

function upload(h: AvatarApp, url: string, parts: FormPart[], headers: Record<string, string> = {}) {
  const { payload, headers: h2 } = multipartBody(parts);
  return h.inject({ method: 'POST', url, payload, headers: { ...h2, ...headers } });
}

describe('Live2D routes', () => {
  let h: AvatarApp;
  before(async () => {
    h = await startAvatarApp({ limits: SMALL_LIMITS });
  });
  after(async () => h.close());

  it('lists bundled and user models, with duplicate names made unique', async () => {
    writeFiles(join(h.staticDir, 'mao_pro'), live2dModelFiles('mao_pro'));
    writeFiles(join(h.dir, 'live2d', 'mao_pro'), live2dModelFiles('mao_pro'));
    writeFiles(join(h.dir, 'live2d', 'pack', 'nested'), live2dModelFiles('nested'));
    const list = await h.inject({ method: 'GET', url: '/api/live2d/models' });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [
      { name: 'mao_pro', path: '/static/mao_pro/mao_pro.model3.json', source: 'static' },
      { name: 'mao_pro_documents', display_name: 'mao_pro (documents)', path: '/user_live2d/mao_pro/mao_pro.model3.json', source: 'documents' },
      { name: 'nested', path: '/user_live2d/pack/nested/nested.model3.json', source: 'documents' },
    ]);
    const simple = await h.inject({ method: 'GET', url: '/api/live2d/models?simple=true' });
    assert.deepEqual(simple.body, { success: true, models: ['mao_pro', 'mao_pro_documents', 'nested'] });
    const user = await h.inject({ method: 'GET', url: '/api/live2d/user_models' });
    assert.deepEqual(user.body.models.map((m: { name: string }) => m.name), ['mao_pro', 'nested']);
  });

  it('uploads a model folder: stored under the user folder, mouth curves cleared, other types skipped', async () => {
    const files = { ...live2dModelFiles('hiyori'), 'readme.html': '<script>alert(1)</script>', 'tool.exe': 'MZ' };
    const res = await upload(h, '/api/live2d/upload_model', folderUpload('hiyori', files));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.model_name, 'hiyori');
    assert.deepEqual(res.body.skipped_files.sort(), ['hiyori/readme.html', 'hiyori/tool.exe']);
    const dir = join(h.dir, 'live2d', 'hiyori');
    assert.ok(existsSync(join(dir, 'hiyori.model3.json')));
    assert.ok(!existsSync(join(dir, 'readme.html')));
    const motion = JSON.parse(readFileSync(join(dir, 'motions', 'idle.motion3.json'), 'utf8'));
    const byId = Object.fromEntries(motion.Curves.map((c: { Id: string; Segments: number[] }) => [c.Id, c.Segments]));
    assert.deepEqual(byId.ParamMouthOpenY, []);
    assert.deepEqual(byId.ParamCustomMouth, [], 'ids of the model LipSync group are cleared too');
    assert.deepEqual(byId.ParamAngleX, [0, 0, 0, 1, 30]);
    const again = await upload(h, '/api/live2d/upload_model', folderUpload('hiyori', files));
    assert.equal(again.status, 400);
    assert.match(again.body.error, /已存在/);
  });

  it('keeps non-ASCII model names intact and serves them under encoded URLs', async () => {
    const res = await upload(h, '/api/live2d/upload_model', folderUpload('小天', live2dModelFiles('小天')));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.model_name, '小天');
    const list = await h.inject({ method: 'GET', url: '/api/live2d/models' });
    const entry = list.body.find((m: { name: string }) => m.name === '小天');
    assert.equal(entry.path, `/user_live2d/${encodeURIComponent('小天')}/${encodeURIComponent('小天.model3.json')}`);
    assert.equal((await h.inject({ method: 'GET', url: entry.path })).status, 200);
  });

  it('refuses bad folder uploads with a 4xx and writes nothing', async () => {
    const cases: Array<[string, FormPart[] | null, number, RegExp]> = [
      ['no multipart', null, 400, /没有上传文件/],
      ['no model3.json', folderUpload('x', { 'a.png': 'x' }), 400, /未找到.model3.json/],
      ['two model3.json', [...folderUpload('x', { 'a.model3.json': '{}' }), ...folderUpload('y', { 'b.model3.json': '{}' })], 400, /多个/],
      ['a ../ path', [{ field: 'files', filename: 'x/../../evil.model3.json', content: '{}' }], 400, /非法文件路径/],
      ['an absolute path', [{ field: 'files', filename: '/etc/evil.model3.json', content: '{}' }], 400, /非法文件路径/],
      ['a file over the per-file cap', folderUpload('big', { 'big.model3.json': '{}', 'tex.png': Buffer.alloc(5000) }), 413, /过大/],
      ['more than the total cap', folderUpload('many', { 'many.model3.json': '{}', ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`t${i}.png`, Buffer.alloc(4000)])) }), 413, /过大/],
    ];
    for (const [what, parts, status, message] of cases) {
      const before = treeSnapshot(h.dir);
      const res = parts
        ? await upload(h, '/api/live2d/upload_model', parts)
        : await h.inject({ method: 'POST', url: '/api/live2d/upload_model', payload: { files: [] } });
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.match(String(res.body.error), message, what);
      assert.deepEqual(treeSnapshot(h.dir), before, `${what}: the data folder changed`);
    }
  });

  it('uploads a model as a zip', async () => {
    const entries = Object.entries(live2dModelFiles('zipped')).map(([rel, data]) => ({ name: `zipped/${rel}`, data }));
    const res = await upload(h, '/api/live2d/upload_model', [{ field: 'file', filename: 'zipped.zip', content: buildZip(entries) }]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.model_name, 'zipped');
    assert.ok(existsSync(join(h.dir, 'live2d', 'zipped', 'zipped.model3.json')));
    const motion = JSON.parse(readFileSync(join(h.dir, 'live2d', 'zipped', 'motions', 'idle.motion3.json'), 'utf8'));
    assert.deepEqual(motion.Curves[0].Segments, []);
  });

  it('refuses crafted zips (../, absolute, symlink) and nothing changes anywhere in the data folder', async () => {
    const model = Object.entries(live2dModelFiles('evil')).map(([rel, data]) => ({ name: `evil/${rel}`, data }));
    const crafted = [
      ['../ entries', [...model, { name: 'evil/../../config/characters.json', data: '{"pwned":true}' }]],
      ['an absolute path', [...model, { name: '/tmp/neko-pwned.json', data: 'x' }]],
      ['a symlink', [...model, { name: 'evil/escape', data: '../../config', mode: 0o120777 }]],
      ['a symlink then a file through it', [{ name: 'evil/escape', data: '../..', mode: 0o120777 }, { name: 'evil/escape/config/x.json', data: 'x' }, ...model]],
    ] as const;
    for (const [what, entries] of crafted) {
      const before = treeSnapshot(h.dir);
      const res = await upload(h, '/api/live2d/upload_model', [{ field: 'file', filename: 'evil.zip', content: buildZip([...entries]) }]);
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(treeSnapshot(h.dir), before, `${what}: the data folder changed`);
      assert.ok(!existsSync('/tmp/neko-pwned.json'));
    }
    const oversized = await upload(h, '/api/live2d/upload_model', [{ field: 'file', filename: 'big.zip', content: Buffer.alloc(SMALL_LIMITS.live2dZipBytes + 10) }]);
    assert.equal(oversized.status, 413);
  });

  it('model config, files, parameters and emotion mapping of a user model', async () => {
    writeFiles(join(h.dir, 'live2d', 'cfg'), live2dModelFiles('cfg'));
    const config = await h.inject({ method: 'GET', url: '/api/live2d/model_config/cfg' });
    assert.equal(config.status, 200);
    assert.equal(config.body.config.FileReferences.Moc, 'cfg.moc3');

    const files = await h.inject({ method: 'GET', url: '/api/live2d/model_files/cfg' });
    assert.deepEqual(files.body, {
      success: true,
      motion_files: ['motions/idle.motion3.json'],
      expression_files: ['expressions/plain.exp3.json', 'expressions/smile.exp3.json'],
      model_config_url: '/user_live2d/cfg/cfg.model3.json',
    });

    const derived = await h.inject({ method: 'GET', url: '/api/live2d/emotion_mapping/cfg' });
    assert.deepEqual(derived.body.config, { motions: { Idle: ['motions/idle.motion3.json'] }, expressions: { happy: ['expressions/smile.exp3.json'], neutral: ['expressions/plain.exp3.json'] } });

    const mapping = { motions: { happy: ['motions/idle.motion3.json', '../../etc/passwd', 'missing.motion3.json'] }, expressions: { sad: ['expressions/plain.exp3.json'] } };
    const saved = await h.inject({ method: 'POST', url: '/api/live2d/emotion_mapping/cfg', payload: mapping });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const model3 = JSON.parse(readFileSync(join(h.dir, 'live2d', 'cfg', 'cfg.model3.json'), 'utf8'));
    assert.deepEqual(model3.FileReferences.Motions.happy, [{ File: 'motions/idle.motion3.json' }], 'climbing and missing paths dropped');
    assert.ok(model3.FileReferences.Expressions.some((e: { Name: string }) => e.Name === 'sad_plain'));
    assert.deepEqual(model3.EmotionMapping, mapping);

    const params = await h.inject({ method: 'GET', url: '/api/live2d/model_parameters/cfg' });
    assert.deepEqual(params.body.parameters, [{ id: 'ParamAngleX', groupId: 'Head', name: 'Angle X' }]);
    assert.equal((await h.inject({ method: 'POST', url: '/api/live2d/save_model_parameters/cfg', payload: { parameters: { ParamAngleX: 0.5 } } })).status, 200);
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/live2d/load_model_parameters/cfg' })).body, { success: true, parameters: { ParamAngleX: 0.5 } });

    const update = await h.inject({ method: 'POST', url: '/api/live2d/model_config/cfg', payload: { FileReferences: { Motions: { Tap: [{ File: 'motions/idle.motion3.json' }] }, Moc: 'evil.moc3' } } });
    assert.equal(update.status, 200);
    const after = JSON.parse(readFileSync(join(h.dir, 'live2d', 'cfg', 'cfg.model3.json'), 'utf8'));
    assert.deepEqual(Object.keys(after.FileReferences.Motions), ['Tap']);
    assert.equal(after.FileReferences.Moc, 'cfg.moc3', 'only Motions and Expressions can be replaced');
  });

  it('keeps a bundled model read-only: settings go to the user data folder, deletes and config writes are refused', async () => {
    writeFiles(join(h.staticDir, 'bundled'), live2dModelFiles('bundled'));
    const staticBefore = treeSnapshot(h.staticDir);
    const saved = await h.inject({ method: 'POST', url: '/api/live2d/emotion_mapping/bundled', payload: { motions: { happy: ['motions/idle.motion3.json'] }, expressions: {} } });
    assert.equal(saved.status, 200);
    assert.ok(existsSync(join(h.dir, 'avatar_config', 'live2d', 'bundled', 'emotion_mapping.json')));
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/live2d/emotion_mapping/bundled' })).body.config.motions, { happy: ['motions/idle.motion3.json'] });
    assert.equal((await h.inject({ method: 'POST', url: '/api/live2d/save_model_parameters/bundled', payload: { parameters: { A: 1 } } })).status, 200);
    assert.equal((await h.inject({ method: 'DELETE', url: '/api/live2d/model/bundled' })).status, 403);
    assert.equal((await h.inject({ method: 'POST', url: '/api/live2d/model_config/bundled', payload: { FileReferences: { Motions: {} } } })).status, 403);
    const motion = multipartBody([{ field: 'file', filename: 'x.motion3.json', content: '{}' }]);
    assert.equal((await h.inject({ method: 'POST', url: '/api/live2d/upload_file/bundled?file_type=motion', payload: motion.payload, headers: motion.headers })).status, 403);
    assert.deepEqual(treeSnapshot(h.staticDir), staticBefore, 'the app static tree was written to');
  });

  it('refuses bad input on the per-model routes', async () => {
    writeFiles(join(h.dir, 'live2d', 'bad'), live2dModelFiles('bad'));
    const before = treeSnapshot(h.dir);
    const cases: Array<[string, string, unknown, number]> = [
      ['GET', '/api/live2d/model_config/nope', undefined, 404],
      ['GET', '/api/live2d/model_config/..', undefined, 404],
      ['GET', '/api/live2d/model_config/%2E%2E%2Fconfig', undefined, 404],
      ['POST', '/api/live2d/model_config/bad', { FileReferences: 'x' }, 400],
      ['POST', '/api/live2d/model_config/bad', [1, 2], 400],
      ['POST', '/api/live2d/emotion_mapping/bad', {}, 400],
      ['POST', '/api/live2d/emotion_mapping/bad', { motions: { happy: 'x' } }, 400],
      ['POST', '/api/live2d/save_model_parameters/bad', { parameters: { A: 'x' } }, 400],
      ['POST', '/api/live2d/save_model_parameters/bad', { parameters: [1] }, 400],
      ['GET', '/api/live2d/model_files/nope', undefined, 404],
      ['DELETE', '/api/live2d/model/nope', undefined, 404],
      ['GET', '/api/live2d/model_config_by_id/123', undefined, 404],
      ['POST', '/api/live2d/upload_file/bad?file_type=other', undefined, 400],
    ];
    for (const [method, url, payload, status] of cases) {
      const res = await h.inject({ method: method as 'GET', url, ...(payload !== undefined ? { payload: payload as object } : {}) });
      assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false, `${method} ${url}`);
    }
    const upload = (name: string, content: string | Buffer, type = 'motion') => {
      const m = multipartBody([{ field: 'file', filename: name, content }]);
      return h.inject({ method: 'POST', url: `/api/live2d/upload_file/bad?file_type=${type}`, payload: m.payload, headers: m.headers });
    };
    assert.equal((await upload('x.exp3.json', '{}')).status, 400, 'wrong type for motion');
    assert.equal((await upload('x.motion3.json', 'not json')).status, 400);
    assert.equal((await upload('../x.motion3.json', '{}')).status, 200, 'a path in the name is reduced to its base name');
    assert.equal((await upload('big.motion3.json', Buffer.alloc(SMALL_LIMITS.motionBytes + 1, 0x20))).status, 413);
    assert.ok(existsSync(join(h.dir, 'live2d', 'bad', 'motions', 'x.motion3.json')));
    assert.equal((await upload('x.motion3.json', '{}')).status, 400, 'no overwrite');
    const after = treeSnapshot(h.dir);
    delete after['live2d/bad/motions/x.motion3.json'];
    assert.deepEqual(after, { ...before });
  });

  it('deletes a user model', async () => {
    writeFiles(join(h.dir, 'live2d', 'gone'), live2dModelFiles('gone'));
    const res = await h.inject({ method: 'DELETE', url: '/api/live2d/model/gone' });
    assert.equal(res.status, 200);
    assert.ok(!existsSync(join(h.dir, 'live2d', 'gone')));
  });

  it('serves model assets with their type but never HTML or script from a model folder', async () => {
    writeFiles(join(h.dir, 'live2d', 'served'), { ...live2dModelFiles('served'), 'evil.html': '<script>alert(document.cookie)</script>', 'evil.js': 'alert(1)', 'evil.svg': '<svg onload="alert(1)"/>' });
    const json = await h.inject({ method: 'GET', url: '/user_live2d/served/served.model3.json' });
    assert.equal(json.status, 200);
    assert.match(String(json.headers['content-type']), /application\/json/);
    assert.equal(json.headers['x-content-type-options'], 'nosniff');
    for (const file of ['evil.html', 'evil.js', 'evil.svg']) {
      const res = await h.inject({ method: 'GET', url: `/user_live2d/served/${file}` });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers['content-type'], 'application/octet-stream', file);
      assert.equal(res.headers['content-disposition'], 'attachment', file);
      assert.match(String(res.headers['content-security-policy']), /sandbox/, file);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', file);
    }
    const staging = await h.inject({ method: 'GET', url: '/user_live2d/.upload-x/a.png' });
    assert.notEqual(staging.status, 200);
  });
});

describe('VRM routes', () => {
  let h: AvatarApp;
  afterEach(async () => h?.close());

  it('uploads, lists and deletes VRM models and animations', async () => {
    h = await startAvatarApp({ limits: SMALL_LIMITS });
    mkdirSync(join(h.staticDir, 'vrm', 'animation'), { recursive: true });
    writeFileSync(join(h.staticDir, 'vrm', 'sister1.0.vrm'), tinyGlb());
    writeFileSync(join(h.staticDir, 'vrm', 'animation', 'wave.vrma'), tinyGlb());
    const res = await upload(h, '/api/model/vrm/upload', [{ field: 'file', filename: 'Mine.VRM', content: tinyGlb(100) }]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { success: true, message: 'VRM模型 Mine.VRM 上传成功', model_name: 'Mine', model_url: '/user_vrm/Mine.VRM', file_size: tinyGlb(100).length });
    const anim = await upload(h, '/api/model/vrm/upload_animation', [{ field: 'file', filename: 'dance.vrma', content: tinyGlb() }]);
    assert.equal(anim.status, 200, JSON.stringify(anim.body));
    assert.equal(anim.body.file_path, '/user_vrm/animation/dance.vrma');

    const models = await h.inject({ method: 'GET', url: '/api/model/vrm/models' });
    assert.deepEqual(models.body.models.map((m: { url: string; location: string }) => [m.url, m.location]), [['/static/vrm/sister1.0.vrm', 'project'], ['/user_vrm/Mine.VRM', 'user']]);
    const anims = await h.inject({ method: 'GET', url: '/api/model/vrm/animations' });
    assert.deepEqual(anims.body.animations.map((a: { url: string }) => a.url), ['/static/vrm/animation/wave.vrma', '/user_vrm/animation/dance.vrma']);
    const served = await h.inject({ method: 'GET', url: '/user_vrm/Mine.VRM' });
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'model/gltf-binary');

    assert.equal((await h.inject({ method: 'DELETE', url: '/api/model/vrm/model/sister1.0.vrm' })).status, 404, 'bundled files are not deletable');
    assert.equal((await h.inject({ method: 'DELETE', url: '/api/model/vrm/model/Mine.VRM' })).status, 200);
    assert.ok(!existsSync(join(h.dir, 'vrm', 'Mine.VRM')));
  });

  it('refuses bad VRM uploads with a 4xx and writes nothing', async () => {
    h = await startAvatarApp({ limits: SMALL_LIMITS });
    writeFileSync(join(h.dir, 'vrm', 'taken.vrm'), tinyGlb());
    const cases: Array<[string, string, FormPart[], number]> = [
      ['wrong extension', '/api/model/vrm/upload', [{ field: 'file', filename: 'x.glb', content: tinyGlb() }], 400],
      ['HTML renamed .vrm', '/api/model/vrm/upload', [{ field: 'file', filename: 'x.vrm', content: '<html><script>alert(1)</script></html>' }], 400],
      ['glTF 1', '/api/model/vrm/upload', [{ field: 'file', filename: 'x.vrm', content: Buffer.concat([Buffer.from('glTF'), Buffer.from([1, 0, 0, 0, 20, 0, 0, 0])]) }], 400],
      ['too large', '/api/model/vrm/upload', [{ field: 'file', filename: 'x.vrm', content: tinyGlb(SMALL_LIMITS.vrmBytes) }], 413],
      ['exists', '/api/model/vrm/upload', [{ field: 'file', filename: 'taken.vrm', content: tinyGlb() }], 400],
      ['dot file', '/api/model/vrm/upload', [{ field: 'file', filename: '.hidden.vrm', content: tinyGlb() }], 400],
      ['no file part', '/api/model/vrm/upload', [{ field: 'name', content: 'x' }], 400],
      ['animation type', '/api/model/vrm/upload_animation', [{ field: 'file', filename: 'x.vrm', content: tinyGlb() }], 400],
      ['animation too large', '/api/model/vrm/upload_animation', [{ field: 'file', filename: 'x.vrma', content: tinyGlb(SMALL_LIMITS.vrmaBytes) }], 413],
    ];
    for (const [what, url, parts, status] of cases) {
      const before = treeSnapshot(h.dir);
      const res = await upload(h, url, parts);
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false);
      assert.deepEqual(treeSnapshot(h.dir), before, `${what}: the data folder changed`);
    }
    assert.equal((await h.inject({ method: 'POST', url: '/api/model/vrm/upload', payload: { file: 'x' } })).status, 400, 'JSON instead of multipart');
  });

  it('keeps VRM emotion mappings in the user folder', async () => {
    h = await startAvatarApp({ limits: SMALL_LIMITS });
    mkdirSync(join(h.staticDir, 'vrm'), { recursive: true });
    writeFileSync(join(h.staticDir, 'vrm', 'sister1.0.vrm'), tinyGlb());
    const staticBefore = treeSnapshot(h.staticDir);
    const defaults = await h.inject({ method: 'GET', url: '/api/model/vrm/emotion_mapping/sister1.0' });
    assert.deepEqual(defaults.body.config.happy, ['happy', 'joy', 'fun', 'smile', 'joy_01']);
    const saved = await h.inject({ method: 'POST', url: '/api/model/vrm/emotion_mapping/sister1.0', payload: { happy: 'joy', sad: ['sorrow', ''], angry: 5 } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const file = join(h.dir, 'vrm', 'configs', 'sister10_emotion.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { happy: ['joy'], sad: ['sorrow'] });
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/model/vrm/emotion_mapping/sister1.0' })).body.config, { happy: ['joy'], sad: ['sorrow'] });
    assert.deepEqual(treeSnapshot(h.staticDir), staticBefore);

    const before = treeSnapshot(h.dir);
    assert.equal((await h.inject({ method: 'POST', url: '/api/model/vrm/emotion_mapping/nope', payload: { happy: ['joy'] } })).status, 404);
    assert.equal((await h.inject({ method: 'POST', url: '/api/model/vrm/emotion_mapping/sister1.0', payload: {} })).status, 400);
    assert.equal((await h.inject({ method: 'POST', url: '/api/model/vrm/emotion_mapping/sister1.0', payload: { happy: [1, null] } })).status, 400);
    assert.equal((await h.inject({ method: 'GET', url: '/api/model/vrm/emotion_mapping/%21%21' })).status, 400);
    assert.deepEqual(treeSnapshot(h.dir), before);

    const expressions = await h.inject({ method: 'GET', url: '/api/model/vrm/expressions/any' });
    assert.ok(expressions.body.expressions.includes('blink'));
    assert.deepEqual((await h.inject({ method: 'GET', url: '/api/model/vrm/config' })).body.paths, { user_vrm: '/user_vrm', static_vrm: '/static/vrm', static_animation: '/static/vrm/animation' });
  });
});
