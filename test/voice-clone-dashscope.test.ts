import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { COSYVOICE_MODEL } from '../src/main/tts/cosyvoice-engine.js';
import { voiceCloneRoutes } from '../src/main/routes/voice-clone.js';
import { DashScopeError, isTrustedUploadHost, listVoices, queryVoice, type DeploymentWait } from '../src/main/tts/dashscope-voice-enrollment.js';
import { createService } from '../src/shared/http/service.js';
import { encodeWav } from '../src/main/tts/wav-stream.js';
import { startDashScopeServer, type DashScopeServer } from './support/dashscope-server.js';
import { closedPort, startMainApp, type MainAppHarness } from './support/main-app.js';
import { multipartBody } from './support/multipart.js';
import { silence16k, speechAt16k } from './support/spoken-audio.js';

const KEY = 'sk-dashscope-test-0123456789abcdef';

/** A real reference clip: espeak-ng reading two sentences (16 kHz mono 16-bit WAV, several seconds long). */
const clip = encodeWav(
  Buffer.concat([
    speechAt16k('The quick brown fox jumps over the lazy dog, and then it runs back home.'),
    silence16k(400),
    speechAt16k('I am reading this sentence slowly, so that my voice can be cloned.'),
  ]),
  16_000,
);

function coreConfig(key: string) {
  return { 'core_config.json': { coreApi: 'qwen', coreApiKey: key, assistApi: 'qwen', assistApiKeyQwen: key } };
}

async function mainFor(server: { wsBase: string }, key = KEY): Promise<MainAppHarness> {
  const h = await startMainApp({ files: coreConfig(key), env: { NEKO_DASHSCOPE_WS_BASE: server.wsBase } });
  after(() => h.close());
  return h;
}

async function dashscope(): Promise<DashScopeServer> {
  const server = await startDashScopeServer({ apiKey: KEY });
  after(() => server.close());
  return server;
}

function clone(h: MainAppHarness, fields: Record<string, string>, data = clip) {
  const { payload, headers } = multipartBody([
    ...Object.entries(fields).map(([field, content]) => ({ field, content })),
    { field: 'file', filename: 'my voice.wav', content: data, contentType: 'audio/wav' },
  ]);
  return h.inject({ method: 'POST', url: '/api/characters/voice_clone', payload, headers });
}

/**
 * Main's voice-clone routes as main builds them, but waiting `wait` for a new voice instead of up to 30 s; on the
 * same context (data folder, config) as `h`, whose own routes still serve everything else.
 */
async function withDeploymentWait(h: MainAppHarness, wait: DeploymentWait): Promise<MainAppHarness> {
  const app = createService('main', { log: h.ctx.log, env: h.ctx.env });
  await app.register(async (scope) => voiceCloneRoutes(scope, h.ctx, { deploymentWait: wait }), { prefix: '/api/characters' });
  await app.ready();
  after(() => app.close());
  return {
    ...h,
    app,
    async inject(opts) {
      const res = await app.inject(opts);
      return { status: res.statusCode, body: res.json() };
    },
  };
}

/** Quick polling for the deployment tests: the waits end on the server's answers, not on time. */
const SHORT_WAIT: DeploymentWait = { intervalMs: 5, limitMs: 20_000 };

/** Whether any request the server received carries the clip's bytes. */
function clipSeen(server: DashScopeServer): boolean {
  return server.requests.some((r) => r.body.includes(clip.subarray(44, 4044)));
}

test('cloud voice_clone: clip → DashScope temporary storage → create_voice → voice_storage.json, listed and reused', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const h = await mainFor(server);
  const res = await clone(h, { prefix: 'neko1', ref_language: 'en' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const voiceId: string = res.body.voice_id;
  assert.match(voiceId, new RegExp(`^${COSYVOICE_MODEL.replace(/\./g, '\\.')}-neko1-`));
  assert.equal(res.body.message, '音色注册成功并已保存到音色库');
  assert.equal(res.body.status, 'ok');
  assert.match(res.body.file_url, /^oss:\/\/dashscope-instant\//);
  assert.equal(typeof res.body.request_id, 'string');
  assert.ok(!JSON.stringify(res.body).includes(KEY), 'the key is never echoed');

  // DashScope's storage received exactly the uploaded bytes, bound to the enrollment model.
  assert.equal(server.objects.size, 1);
  const stored = server.objects.get(res.body.file_url);
  assert.ok(stored, `no object at ${res.body.file_url}`);
  assert.ok(stored.data.equals(clip), 'the stored object is byte-for-byte the uploaded clip');
  assert.equal(stored.model, 'voice-enrollment');
  assert.equal(stored.contentType, 'audio/wav');

  // The calls, in order; the storage host never sees the API key; the enrollment resolves the oss:// URL; then
  // the new voice's state is asked (it is usable at once here).
  assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /api/v1/uploads?action=getPolicy&model=voice-enrollment',
    'POST /',
    'POST /api/v1/services/audio/tts/customization',
    'POST /api/v1/services/audio/tts/customization',
  ]);
  const [policyReq, uploadReq, enrollReq, queryReq] = server.requests;
  assert.equal(policyReq!.headers.authorization, `Bearer ${KEY}`);
  assert.equal(uploadReq!.headers.authorization, undefined);
  assert.ok(!uploadReq!.body.includes(KEY), 'the key is not in the upload form');
  assert.ok(!uploadReq!.body.includes('my voice'), "the user's file name is not sent");
  assert.equal(enrollReq!.headers['x-dashscope-ossresourceresolve'], 'enable');
  const enrollment = JSON.parse(enrollReq!.body.toString());
  assert.deepEqual(enrollment, {
    model: 'voice-enrollment',
    input: { action: 'create_voice', target_model: COSYVOICE_MODEL, prefix: 'neko1', url: res.body.file_url, language_hints: ['en'] },
  });
  assert.deepEqual(JSON.parse(queryReq!.body.toString()), { model: 'voice-enrollment', input: { action: 'query_voice', voice_id: voiceId } });
  assert.equal(queryReq!.headers.authorization, `Bearer ${KEY}`);

  // Stored under the audio key, listed by the voices route (keyed by voice id only).
  const saved = h.ctx.config.voices()[KEY]?.[voiceId];
  assert.ok(saved, JSON.stringify(Object.keys(h.ctx.config.voices())));
  assert.equal(saved.prefix, 'neko1');
  assert.equal(saved.ref_language, 'en');
  assert.equal(saved.file_url, res.body.file_url);
  assert.equal(saved.audio_md5, createHash('md5').update(clip).digest('hex'));
  assert.match(String(saved.created_at), /^\d{4}-\d\d-\d\dT/);
  assert.equal(saved.status, undefined, 'a usable voice is stored without a status');
  const listed = await h.inject({ method: 'GET', url: '/api/characters/voices' });
  assert.equal(listed.status, 200);
  assert.ok(Object.hasOwn(listed.body.voices, voiceId), JSON.stringify(listed.body));
  assert.ok(!JSON.stringify(listed.body).includes(KEY));

  // The same clip again is reused without another upload.
  const again = await clone(h, { prefix: 'neko1', ref_language: 'en' });
  assert.equal(again.status, 200);
  assert.equal(again.body.reused, true);
  assert.equal(again.body.voice_id, voiceId);
  assert.equal(server.requests.length, 4);

  // The client's list_voice against the same protocol.
  const opts = { apiKey: KEY, httpBase: server.httpBase };
  assert.deepEqual((await listVoices(opts, { prefix: 'neko1' })).map((v) => [v.voiceId, v.status]), [[voiceId, 'OK']]);

  // Deleting the voice from the library deletes it at DashScope too (it counts against the account's quota).
  const removed = await h.inject({ method: 'DELETE', url: `/api/characters/voices/${encodeURIComponent(voiceId)}` });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.equal(removed.body.remote_deleted, true);
  assert.deepEqual(await listVoices(opts), []);
  assert.equal(h.ctx.config.voices()[KEY]?.[voiceId], undefined);
});

test('deleting a cloned voice while DashScope is down: gone from the library, and the answer says DashScope still has it', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const h = await mainFor(server);
  const res = await clone(h, { prefix: 'neko2' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const voiceId = res.body.voice_id as string;
  await server.close();
  const removed = await h.inject({ method: 'DELETE', url: `/api/characters/voices/${encodeURIComponent(voiceId)}` });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.equal(removed.body.remote_deleted, false);
  assert.match(String(removed.body.remote_error), /DashScope/);
  assert.ok(!JSON.stringify(removed.body).includes(KEY), 'the key is not echoed');
  assert.equal(h.ctx.config.voices()[KEY]?.[voiceId], undefined);
});

test('cloud voice_clone with a rejected key: clear 401, nothing uploaded, nothing stored', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const wrong = 'sk-not-the-right-key-999';
  const h = await mainFor(server, wrong);
  const before = h.snapshot();
  const res = await clone(h, { prefix: 'neko1' });
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body.code, 'API_KEY_REJECTED');
  assert.match(res.body.error, /DashScope 拒绝了当前的 API Key/);
  assert.match(res.body.error, /Invalid API-key provided/);
  assert.ok(!JSON.stringify(res.body).includes(wrong));
  assert.equal(server.objects.size, 0);
  assert.equal(clipSeen(server), false, 'the clip was not sent before the key was accepted');
  assert.deepEqual(h.snapshot(), before);
});

test("cloud voice_clone refused by the provider (bad prefix): 400 with DashScope's message, nothing stored", { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const h = await mainFor(server);
  const before = h.snapshot();
  const res = await clone(h, { prefix: 'My_Neko' });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.code, 'InvalidParameter');
  assert.match(res.body.error, /prefix must contain only lowercase letters and digits/);
  assert.equal(server.voices.length, 0);
  assert.deepEqual(h.snapshot(), before);
});

test('cloud voice_clone with DashScope unreachable: 502 with a clear sentence, nothing stored', { timeout: 60_000 }, async () => {
  const h = await mainFor({ wsBase: `ws://127.0.0.1:${await closedPort()}` });
  const before = h.snapshot();
  const res = await clone(h, { prefix: 'neko1' });
  assert.equal(res.status, 502, JSON.stringify(res.body));
  assert.equal(res.body.code, 'TTS_CONNECTION_FAILED');
  assert.match(res.body.error, /无法连接 DashScope，声音未克隆/);
  assert.deepEqual(h.snapshot(), before);
});

test('a policy naming a host that is not DashScope storage: the clip is not sent there (502)', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const sink = await startDashScopeServer({ apiKey: KEY }); // stands for "any other host": it must receive nothing
  after(() => sink.close());
  const h = await mainFor(server);
  const before = h.snapshot();
  for (const host of ['https://uploads.example.net/store', `${sink.httpBase.replace('127.0.0.1', '127.0.0.1.nip.io')}`]) {
    server.uploadHostOverride = host;
    const res = await clone(h, { prefix: 'neko1' });
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.match(res.body.error, /非阿里云存储地址/);
  }
  assert.equal(clipSeen(server), false);
  assert.equal(sink.requests.length, 0);
  assert.deepEqual(h.snapshot(), before);

  // The rule itself, for the real hosts.
  assert.equal(isTrustedUploadHost('https://dashscope-file-mgr.oss-cn-beijing.aliyuncs.com', 'https://dashscope.aliyuncs.com'), true);
  assert.equal(isTrustedUploadHost('http://dashscope-file-mgr.oss-cn-beijing.aliyuncs.com', 'https://dashscope.aliyuncs.com'), false);
  assert.equal(isTrustedUploadHost('https://aliyuncs.com.evil.example', 'https://dashscope.aliyuncs.com'), false);
  assert.equal(isTrustedUploadHost('https://127.0.0.1:9000', 'https://dashscope.aliyuncs.com'), false);
});

test('cloud voice_clone checks before sending: no key → TTS_AUDIO_API_KEY_MISSING; a too-short clip → 400; DashScope not called', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  const noKey = await startMainApp({ files: { 'core_config.json': { coreApi: 'qwen', assistApi: 'qwen' } }, env: { NEKO_DASHSCOPE_WS_BASE: server.wsBase } });
  after(() => noKey.close());
  const missing = await clone(noKey, { prefix: 'neko1' });
  assert.equal(missing.status, 400, JSON.stringify(missing.body));
  assert.equal(missing.body.code, 'TTS_AUDIO_API_KEY_MISSING');

  const h = await mainFor(server);
  const before = h.snapshot();
  const short = await clone(h, { prefix: 'neko1' }, encodeWav(speechAt16k('hi'), 16_000));
  assert.equal(short.status, 400, JSON.stringify(short.body));
  assert.match(short.body.error, /音频太短/);
  const lowRate = await clone(h, { prefix: 'neko1' }, encodeWav(Buffer.alloc(8_000 * 2 * 8), 8_000));
  assert.equal(lowRate.status, 400);
  assert.match(lowRate.body.error, /采样率/);
  assert.equal(server.requests.length, 0);
  assert.deepEqual(h.snapshot(), before);
});

test('a new voice still DEPLOYING is asked about until it is OK, then stored as usable', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  server.deployment = { deployingQueries: 3, outcome: 'OK' };
  const h = await withDeploymentWait(await mainFor(server), SHORT_WAIT);
  const res = await clone(h, { prefix: 'neko3' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const voiceId = res.body.voice_id as string;
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.message, '音色注册成功并已保存到音色库');
  assert.equal(server.queries.get(voiceId), 4, 'three DEPLOYING answers, then OK');
  const saved = h.ctx.config.voices()[KEY]?.[voiceId];
  assert.ok(saved, 'stored');
  assert.equal(saved.status, undefined);
});

test('a voice that fails DashScope review (UNDEPLOYED): clear 400, nothing stored, removed at DashScope', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  server.deployment = { deployingQueries: 2, outcome: 'UNDEPLOYED' };
  const h = await withDeploymentWait(await mainFor(server), SHORT_WAIT);
  const before = h.snapshot();
  const res = await clone(h, { prefix: 'neko4' });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.code, 'VOICE_CLONE_UNDEPLOYED');
  assert.match(res.body.error, /未通过该音色的审核/);
  assert.equal(res.body.remote_deleted, true);
  assert.equal(server.queries.get(res.body.voice_id), 3);
  assert.deepEqual(server.voices, [], 'the unusable voice no longer takes a slot of the account');
  assert.ok(!JSON.stringify(res.body).includes(KEY));
  assert.deepEqual(h.snapshot(), before);
});

test('a voice still DEPLOYING when the wait ends: stored as deploying, the answer says so, the status check later finds it OK', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  server.deployment = { deployingQueries: Infinity, outcome: 'OK' };
  const main = await mainFor(server);
  const h = await withDeploymentWait(main, { intervalMs: 5, limitMs: 40 });
  const res = await clone(h, { prefix: 'neko5' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const voiceId = res.body.voice_id as string;
  assert.equal(res.body.status, 'deploying');
  assert.match(res.body.message, /仍在准备/);
  assert.equal(typeof res.body.file_url, 'string');
  assert.ok((server.queries.get(voiceId) ?? 0) >= 1, 'asked at least once');
  assert.equal(h.ctx.config.voices()[KEY]?.[voiceId]?.status, 'deploying');
  const listed = await main.inject({ method: 'GET', url: '/api/characters/voices' });
  assert.equal(listed.body.voices[voiceId]?.status, 'deploying', 'the page sees the state');

  // The page's status check: still deploying, then OK once DashScope has finished (the stored state follows).
  const statusUrl = `/api/characters/voices/${encodeURIComponent(voiceId)}/status`;
  const still = await main.inject({ method: 'GET', url: statusUrl });
  assert.equal(still.status, 200, JSON.stringify(still.body));
  assert.equal(still.body.status, 'deploying');
  server.settle(voiceId, 'OK');
  const ready = await main.inject({ method: 'GET', url: statusUrl });
  assert.deepEqual(ready.body, { success: true, voice_id: voiceId, status: 'ok' });
  assert.equal(h.ctx.config.voices()[KEY]?.[voiceId]?.status, undefined);
  const unknown = await main.inject({ method: 'GET', url: '/api/characters/voices/cosyvoice-v3.5-plus-nope-0/status' });
  assert.equal(unknown.status, 404);

  // The client call itself maps DashScope's refusal like the other calls.
  await assert.rejects(queryVoice({ apiKey: KEY, httpBase: server.httpBase }, 'no-such-voice'), (err: unknown) => err instanceof DashScopeError && err.kind === 'provider' && err.status === 400);
});

test('the same clip again while its voice is still deploying: asked again; a failed review then is recorded, and the clip is cloned anew', { timeout: 60_000 }, async () => {
  const server = await dashscope();
  server.deployment = { deployingQueries: Infinity, outcome: 'OK' };
  const h = await withDeploymentWait(await mainFor(server), { intervalMs: 5, limitMs: 40 });
  const first = await clone(h, { prefix: 'neko6' });
  assert.equal(first.body.status, 'deploying', JSON.stringify(first.body));
  const voiceId = first.body.voice_id as string;

  server.settle(voiceId, 'UNDEPLOYED');
  const again = await clone(h, { prefix: 'neko6' });
  assert.equal(again.status, 400, JSON.stringify(again.body));
  assert.equal(again.body.code, 'VOICE_CLONE_UNDEPLOYED');
  assert.match(again.body.error, /已在音色库中标出/);
  assert.equal(h.ctx.config.voices()[KEY]?.[voiceId]?.status, 'undeployed');
  assert.equal(server.objects.size, 1, 'no second upload for the re-check');

  server.deployment = { deployingQueries: 0, outcome: 'OK' };
  const fresh = await clone(h, { prefix: 'neko6' });
  assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
  assert.notEqual(fresh.body.voice_id, voiceId, 'a voice that failed review is not reused');
  assert.equal(fresh.body.reused, undefined);
  assert.equal(fresh.body.status, 'ok');
});
