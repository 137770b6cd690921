import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { live2dModelFiles, tinyGlb, treeSnapshot, writeFiles } from './support/avatar-files.js';
import { startMainApp, type MainAppHarness } from './support/main-app.js';
import { multipartBody } from './support/multipart.js';
import { buildZip } from './support/zip-writer.js';

type Method = 'POST' | 'PUT' | 'DELETE';

/**
 * Every state-changing route family of main, each with a request that succeeds (or at least gets past the
 * guard) from the page itself, so a 403 below can only come from the cross-site check.
 */
function stateChangingRequests(): Array<{ method: Method; url: string; payload?: string | Buffer | object; headers?: Record<string, string> }> {
  const zip = multipartBody([{ field: 'file', filename: 'm.zip', content: buildZip(Object.entries(live2dModelFiles('viazip')).map(([rel, data]) => ({ name: `viazip/${rel}`, data }))) }]);
  const folder = multipartBody(Object.entries(live2dModelFiles('viafolder')).map(([rel, content]) => ({ field: 'files', filename: `viafolder/${rel}`, content })));
  const motion = multipartBody([{ field: 'file', filename: 'new.motion3.json', content: '{}' }]);
  const vrm = multipartBody([{ field: 'file', filename: 'x.vrm', content: tinyGlb() }]);
  const vrma = multipartBody([{ field: 'file', filename: 'x.vrma', content: tinyGlb() }]);
  return [
    { method: 'POST', url: '/api/config/core_api', payload: { coreApi: 'openai', coreApiKey: 'sk-attacker' } },
    { method: 'POST', url: '/api/config/preferences', payload: { model_path: '/x.model3.json', position: { x: 1, y: 1 }, scale: { x: 1, y: 1 } } },
    { method: 'POST', url: '/api/characters/current_catgirl', payload: { catgirl_name: 'test' } },
    { method: 'POST', url: '/api/live2d/upload_model', payload: zip.payload, headers: zip.headers },
    { method: 'POST', url: '/api/live2d/upload_model', payload: folder.payload, headers: folder.headers },
    { method: 'POST', url: '/api/live2d/upload_file/target?file_type=motion', payload: motion.payload, headers: motion.headers },
    { method: 'POST', url: '/api/live2d/model_config/target', payload: { FileReferences: { Motions: {} } } },
    { method: 'POST', url: '/api/live2d/emotion_mapping/target', payload: { motions: { happy: [] }, expressions: {} } },
    { method: 'POST', url: '/api/live2d/save_model_parameters/target', payload: { parameters: { A: 1 } } },
    { method: 'DELETE', url: '/api/live2d/model/target' },
    { method: 'POST', url: '/api/model/vrm/upload', payload: vrm.payload, headers: vrm.headers },
    { method: 'POST', url: '/api/model/vrm/upload_animation', payload: vrma.payload, headers: vrma.headers },
    { method: 'POST', url: '/api/model/vrm/emotion_mapping/existing', payload: { happy: ['joy'] } },
    { method: 'DELETE', url: '/api/model/vrm/model/existing.vrm' },
    { method: 'POST', url: '/api/emotion/analysis', payload: { text: 'hello' } },
    { method: 'POST', url: '/api/translate', payload: { text: 'hello', target_lang: 'en' } },
    { method: 'POST', url: '/api/pending-notices/ack', payload: { cursor: 0 } },
    { method: 'POST', url: '/api/beacon/shutdown' },
    { method: 'POST', url: '/api/steam/update-playtime', payload: { seconds: 1 } },
  ];
}

describe('cross-site requests to main', () => {
  let h: MainAppHarness;
  before(async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApi: 'qwen', coreApiKey: 'sk-original' } } });
    writeFiles(join(h.dir, 'live2d', 'target'), live2dModelFiles('target'));
    mkdirSync(join(h.dir, 'vrm'), { recursive: true });
    writeFileSync(join(h.dir, 'vrm', 'existing.vrm'), tinyGlb());
  });
  after(async () => h.close());

  const attacks: Array<[string, Record<string, string>]> = [
    ['Origin of another site', { origin: 'https://evil.example' }],
    ['Origin null (sandboxed frame, file:)', { origin: 'null' }],
    ['Referer of another site only', { referer: 'https://evil.example/page.html' }],
    ['Sec-Fetch-Site cross-site only', { 'sec-fetch-site': 'cross-site' }],
    ['a look-alike origin', { origin: 'http://localhost.evil.example' }],
  ];

  for (const [what, attackHeaders] of attacks) {
    it(`refuses every state-changing route with ${what}, and nothing changes`, async () => {
      const before = treeSnapshot(h.dir);
      for (const r of stateChangingRequests()) {
        const res = await h.inject({ method: r.method, url: r.url, payload: r.payload as never, headers: { ...r.headers, ...attackHeaders } });
        assert.equal(res.status, 403, `${r.method} ${r.url}: ${JSON.stringify(res.body).slice(0, 200)}`);
        assert.equal(res.body.code, 'ORIGIN_NOT_ALLOWED', `${r.method} ${r.url}`);
      }
      assert.deepEqual(treeSnapshot(h.dir), before);
    });
  }

  it('refuses the classic text/plain form POST that overwrote API keys in the original', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/config/core_api',
      payload: JSON.stringify({ coreApi: 'openai', coreApiKey: 'sk-attacker', coreUrl: 'https://evil.example' }),
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(h.ctx.config.resolvedCore().coreApiKey, 'sk-original');
  });

  it('refuses a DNS-rebinding Host even from a matching Origin', async () => {
    const res = await h.inject({ method: 'POST', url: '/api/translate', payload: { text: 'hi' }, headers: { host: 'evil.example:48911', origin: 'http://evil.example:48911' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'HOST_NOT_ALLOWED');
  });

  it('lets the page itself through on the same routes (control: the 403s above come from the origin check)', async () => {
    for (const r of stateChangingRequests()) {
      if (r.url === '/api/config/core_api' || r.url.startsWith('/api/characters')) continue; // these notify other services; covered in their own tests
      const res = await h.inject({ method: r.method, url: r.url, payload: r.payload as never, headers: { ...r.headers, origin: 'http://localhost:48911', host: 'localhost:48911' } });
      assert.ok(res.status < 400 || res.status === 503, `${r.method} ${r.url}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
  });

  it('caps JSON bodies at 1 MiB and uploads at their own limits', async () => {
    writeFiles(join(h.dir, 'live2d', 'target'), live2dModelFiles('target')); // the control case deleted it
    const big = await h.inject({ method: 'POST', url: '/api/live2d/emotion_mapping/target', payload: JSON.stringify({ motions: { x: ['a'.repeat(1024 * 1024 + 10)] } }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    const motion = multipartBody([{ field: 'file', filename: 'huge.motion3.json', content: Buffer.alloc(50 * 1024 * 1024 + 1, 0x20) }]);
    const before = treeSnapshot(h.dir);
    const res = await h.inject({ method: 'POST', url: '/api/live2d/upload_file/target?file_type=motion', payload: motion.payload, headers: motion.headers });
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.deepEqual(treeSnapshot(h.dir), before);
  });
});
