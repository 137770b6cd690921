import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CUBISM_CORE_MAX_BYTES, CUBISM_CORE_URL } from '../src/main/routes/cubism-runtime.js';
import { startMainApp, type MainAppHarness } from './support/main-app.js';
import { multipartBody, type FormPart } from './support/multipart.js';

/** A stand-in written here (not the proprietary runtime): a script that defines the global the page waits for. */
const RUNTIME_V1 = `var Live2DCubismCore;(function(c){c.Version={csmGetVersion:function(){return 1}};})(Live2DCubismCore||(Live2DCubismCore={}));`;
const RUNTIME_V2 = RUNTIME_V1.replace('return 1', 'return 2');

describe('the Live2D Cubism Core runtime the user provides', () => {
  let h: MainAppHarness;
  let folder: string;
  before(async () => {
    h = await startMainApp();
    folder = join(h.ctx.config.paths.state, 'live2d');
  });
  after(async () => h.close());

  const upload = (parts: FormPart[], headers: Record<string, string> = {}) => {
    const { payload, headers: h2 } = multipartBody(parts);
    return h.inject({ method: 'POST', url: '/api/live2d/cubism_core', payload, headers: { ...h2, ...headers } });
  };
  const file = (filename: string, content: string | Buffer): FormPart[] => [{ field: 'file', filename, content, contentType: 'text/javascript' }];
  /** Nothing left behind: no runtime, no temporary upload file. */
  const folderIsEmpty = () => !existsSync(folder) || readdirSync(folder).length === 0;

  it('is missing at first: the status says so and the script URL answers 404', async () => {
    const status = await h.inject({ method: 'GET', url: '/api/live2d/cubism_core/status' });
    assert.equal(status.status, 200);
    assert.deepEqual(status.body, { success: true, installed: false, url: CUBISM_CORE_URL });
    const script = await h.inject({ method: 'GET', url: CUBISM_CORE_URL });
    assert.equal(script.status, 404);
    assert.equal(script.body.success, false);
  });

  it('refuses what is not the runtime, and stores nothing', async () => {
    const cases: [string, FormPart[], number, RegExp][] = [
      ['a file that is not .js', file('live2dcubismcore.min.txt', RUNTIME_V1), 400, /\.js/],
      ['an HTML page renamed .js', file('live2dcubismcore.min.js', '<!doctype html><script>var Live2DCubismCore</script>'), 400, /HTML/],
      ['binary content', file('live2dcubismcore.min.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3])), 400, /binary/],
      ['JavaScript that is not the runtime', file('live2dcubismcore.min.js', 'console.log("hello")'), 400, /Live2DCubismCore/],
      ['text that mentions the name but does not parse', file('live2dcubismcore.min.js', 'Live2DCubismCore = {{{'), 400, /JavaScript/],
      ['a path instead of a file name', file('../../live2dcubismcore.min.js', RUNTIME_V1), 400, /非法文件名/],
      ['a Windows path', file('..\\..\\live2dcubismcore.min.js', RUNTIME_V1), 400, /非法文件名/],
      ['a file over the size cap', file('live2dcubismcore.min.js', `var Live2DCubismCore = 1;//${'x'.repeat(CUBISM_CORE_MAX_BYTES)}`), 413, /4 MB/],
      ['a form with no file', [{ field: 'note', content: 'hello' }], 400, /没有上传文件/],
    ];
    for (const [what, parts, status, message] of cases) {
      const res = await upload(parts);
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.match(String(res.body.error), message, what);
      assert.ok(folderIsEmpty(), `${what}: nothing is stored`);
    }
    const plain = await h.inject({ method: 'POST', url: '/api/live2d/cubism_core', payload: { file: RUNTIME_V1 } });
    assert.equal(plain.status, 400, 'a JSON body is not an upload');
    assert.equal((await h.inject({ method: 'GET', url: '/api/live2d/cubism_core/status' })).body.installed, false);
  });

  it('stores a valid runtime in the data folder and serves it as JavaScript at the stable URL; a new upload replaces it', async () => {
    const res = await upload(file('live2dcubismcore.min.js', RUNTIME_V1));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.success, true);
    assert.equal(res.body.url, CUBISM_CORE_URL);
    assert.equal(readFileSync(join(folder, 'live2dcubismcore.min.js'), 'utf8'), RUNTIME_V1);

    const status = await h.inject({ method: 'GET', url: '/api/live2d/cubism_core/status' });
    assert.equal(status.body.installed, true);
    assert.equal(status.body.size, Buffer.byteLength(RUNTIME_V1));

    const served = await h.app.inject({ method: 'GET', url: CUBISM_CORE_URL });
    assert.equal(served.statusCode, 200);
    assert.match(String(served.headers['content-type']), /^application\/javascript/);
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.equal(served.body, RUNTIME_V1);

    // Any file name ending in .js is accepted (browsers may add " (1)"); it is always stored under the one name.
    const again = await upload(file('live2dcubismcore (1).min.js', RUNTIME_V2));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal((await h.app.inject({ method: 'GET', url: CUBISM_CORE_URL })).body, RUNTIME_V2);
    assert.deepEqual(readdirSync(folder), ['live2dcubismcore.min.js'], 'no temporary files are left');

    // A refused upload keeps the good copy.
    assert.equal((await upload(file('live2dcubismcore.min.js', 'nope'))).status, 400);
    assert.equal((await h.app.inject({ method: 'GET', url: CUBISM_CORE_URL })).body, RUNTIME_V2);
  });

  it('a page from another site cannot upload or remove it', async () => {
    const res = await upload(file('live2dcubismcore.min.js', RUNTIME_V1), { origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    const del = await h.inject({ method: 'DELETE', url: '/api/live2d/cubism_core', headers: { origin: 'https://evil.example' } });
    assert.equal(del.status, 403);
    assert.equal((await h.inject({ method: 'GET', url: '/api/live2d/cubism_core/status' })).body.installed, true);
  });

  it('can be removed again', async () => {
    const del = await h.inject({ method: 'DELETE', url: '/api/live2d/cubism_core' });
    assert.deepEqual(del.body, { success: true, removed: true });
    assert.equal((await h.inject({ method: 'GET', url: '/api/live2d/cubism_core/status' })).body.installed, false);
    assert.equal((await h.inject({ method: 'GET', url: CUBISM_CORE_URL })).status, 404);
  });
});
