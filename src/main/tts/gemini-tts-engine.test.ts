import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGeminiTtsServer, type GeminiTtsServer } from '../../../test/support/gemini-tts-server.js';
import { captureSpeech, rms } from '../../../test/support/tts-capture.js';
import { speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { synthesizeSpeech } from '../sim/speech.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { GeminiTtsEngine, GEMINI_TTS_MODEL } from './gemini-tts-engine.js';

let server: GeminiTtsServer;
const pipelineWith = ttsHarness('gemini-tts', async () => (server = await startGeminiTtsServer()));
const gemini = (voice?: string) => new GeminiTtsEngine({ apiKey: 'AIza-test', baseUrl: server.baseUrl, voice });

test('generateContent per clause with x-goog-api-key, AUDIO modality and the voice; inline 24 kHz PCM comes out as 48 kHz speech', async () => {
  const rec = await speak(pipelineWith(gemini('Kore')), 's1', 'Hello there. ', 'Nice to see you again.');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests.length, 2);
  for (const r of server.requests) {
    assert.equal(r.path, `/v1beta/models/${GEMINI_TTS_MODEL}:generateContent`);
    assert.equal(r.apiKey, 'AIza-test');
  }
  assert.deepEqual(server.requests[0]!.body, {
    contents: [{ parts: [{ text: 'Hello there.' }] }],
    generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } } },
  });
  assert.equal(server.requests[1]!.body.contents?.[0]?.parts?.[0]?.text, 'Nice to see you again.');
  assert.ok(rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  const out = rec.pcmFor('s1');
  const ratio = out.length / server.requests.reduce((n, r) => n + r.audioBytes, 0);
  assert.ok(ratio > 1.98 && ratio < 2.02, `48k/24k size ratio was ${ratio}`);
  const source = Buffer.concat([await synthesizeSpeech('Hello there.', 24_000), await synthesizeSpeech('Nice to see you again.', 24_000)]);
  const level = rms(out) / rms(source);
  assert.ok(level > 0.8 && level < 1.25, `output/input level ratio was ${level}`);
});

test('the default voice is Leda and a custom model goes in the path', async () => {
  const rec = await speak(pipelineWith(new GeminiTtsEngine({ apiKey: 'k', baseUrl: `${server.baseUrl}/`, model: 'gemini-2.5-pro-preview-tts' })), 'd', 'Default voice.');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests[0]!.path, '/v1beta/models/gemini-2.5-pro-preview-tts:generateContent');
  assert.equal(server.requests[0]!.body.generationConfig?.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName, 'Leda');
});

test('interrupt while the next clause is being generated: that request is aborted and no audio of the old id follows', async () => {
  server.delayMs = (i) => (i === 0 ? 0 : 800);
  const tts = pipelineWith(gemini());
  const rec = captureSpeech(tts);
  tts.push('old', 'The first clause is quick. The second one takes the server a long time. ');
  await waitFor('first audio of the old reply', () => rec.audio.some((a) => a.speechId === 'old'), 10_000);
  await waitFor('the second request', () => server.requests.length === 2, 3_000);
  tts.interrupt();
  const mark = rec.audio.length;
  await waitFor('the server to see the second request go away', () => server.requests[1]?.completed === false, 3_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(rec.audio.slice(mark).filter((a) => a.speechId === 'old'), []);
  assert.equal(server.requests[1]!.audioBytes, 0);
  server.delayMs = () => 0;
  await speak(tts, 'new', 'Yes?');
  assert.ok(rec.pcmFor('new').length > 0);
  assert.deepEqual(rec.errors, []);
});

test('failures map to status codes: 500 → TTS_CONNECTION_FAILED, 403 → API_KEY_REJECTED, 429 → API_RATE_LIMIT, an answer without audio → TTS_CONNECTION_FAILED', async () => {
  for (const [failWith, code] of [
    [500, 'TTS_CONNECTION_FAILED'],
    [403, 'API_KEY_REJECTED'],
    [429, 'API_RATE_LIMIT'],
    ['no-audio', 'TTS_CONNECTION_FAILED'],
  ] as const) {
    server.failWith = failWith;
    const rec = await speak(pipelineWith(gemini()), 'e', 'This will fail.');
    assert.deepEqual(rec.errors.map((e) => e.code), [code], `for ${failWith}`);
    assert.equal(rec.audio.length, 0);
  }
});

test('a wrong key: Google\'s 400 INVALID_ARGUMENT with reason API_KEY_INVALID → API_KEY_REJECTED; other 400s stay TTS_CONNECTION_FAILED', async () => {
  server.validKey = 'AIza-right';
  const wrongKey = await speak(pipelineWith(gemini()), 'k', 'Wrong key.');
  assert.deepEqual(wrongKey.errors.map((e) => e.code), ['API_KEY_REJECTED']);
  assert.match(wrongKey.errors[0]!.message, /HTTP 400/);

  server.failWith = 400;
  const badRequest = await speak(pipelineWith(new GeminiTtsEngine({ apiKey: 'AIza-right', baseUrl: server.baseUrl })), 'b', 'Bad request.');
  assert.deepEqual(badRequest.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
});

test('FallbackTts: a Gemini error hands the reply to espeak-ng, reported once as TTS_CONNECTION_FAILED', async () => {
  server.failWith = 500;
  const rec = await speak(pipelineWith(new FallbackTts(gemini(), new EspeakEngine())), 's1', 'Spoken anyway.');
  assert.equal(server.requests.length, 1);
  assert.ok(rec.pcmFor('s1').length > 0);
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
});
