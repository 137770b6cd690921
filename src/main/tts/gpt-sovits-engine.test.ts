import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGptSovitsServer, type GptSovitsServer } from '../../../test/support/gpt-sovits-server.js';
import { rms } from '../../../test/support/tts-capture.js';
import { interruptAfterFirstAudio, speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { synthesizeSpeech } from '../sim/speech.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { GptSovitsEngine } from './gpt-sovits-engine.js';

let server: GptSovitsServer;
const pipelineWith = ttsHarness('gpt-sovits', async () => (server = await startGptSovitsServer()));
const sovits = (voice = 'gsv:ref.wav') => new GptSovitsEngine({ baseUrl: server.url, voice });

test('api_v2 POST /tts: text, language, reference clip and voice options; streamed 32 kHz WAV comes out as 48 kHz speech', async () => {
  const engine = new GptSovitsEngine({ baseUrl: `${server.url}/`, voice: 'gsv:refs/neko.wav|{"prompt_text":"hello","speed_factor":1.2,"media_type":"ogg"}' });
  const rec = await speak(pipelineWith(engine), 's1', 'Good evening. ', 'Did you eat yet?');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(server.requests[0]!.body, {
    text: 'Good evening.',
    text_lang: 'en',
    ref_audio_path: 'refs/neko.wav',
    prompt_lang: 'en',
    prompt_text: 'hello',
    speed_factor: 1.2,
    media_type: 'wav', // the voice's options cannot turn the stream into something the engine cannot read
    streaming_mode: true,
  });
  assert.equal(server.requests[1]!.body.text, 'Did you eat yet?');
  assert.ok(rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  const out = rec.pcmFor('s1');
  const ratio = out.length / server.requests.reduce((n, r) => n + r.audioBytes, 0);
  assert.ok(ratio > 1.49 && ratio < 1.51, `48k/32k size ratio was ${ratio}`);
  const source = Buffer.concat([await synthesizeSpeech('Good evening.', 32_000), await synthesizeSpeech('Did you eat yet?', 32_000)]);
  const level = rms(out) / rms(source);
  assert.ok(level > 0.8 && level < 1.25, `output/input level ratio was ${level}`);
});

test('Chinese text is sent with text_lang zh', async () => {
  const rec = await speak(pipelineWith(sovits()), 'zh', '你好,今天天气很好。');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests[0]!.body.text_lang, 'zh');
  assert.equal(server.requests[0]!.body.prompt_lang, 'zh');
  assert.ok(rec.pcmFor('zh').length > 0);
});

test('interrupt mid-clause: the streaming request is aborted and no audio of the old id follows', async () => {
  server.chunkBytes = 6400;
  server.chunkDelayMs = 40;
  const tts = pipelineWith(sovits());
  const rec = await interruptAfterFirstAudio(tts, 'old', 'This first sentence is long enough to take a while to stream. And a second one follows it.');
  await waitFor('the server to see the request go away', () => server.requests[0]?.completed === false, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.sinceInterrupt().filter((a) => a.speechId === 'old'), []);
  assert.equal(server.requests.length, 1, 'the second clause is never requested');
  server.chunkDelayMs = 0;
  await speak(tts, 'new', 'Yes?');
  assert.ok(rec.pcmFor('new').length > 0);
  assert.deepEqual(rec.errors, []);
});

test('api_v2 400 {"message":"tts failed"} → TTS_CONNECTION_FAILED; FallbackTts speaks with espeak-ng', async () => {
  server.failWith = 400;
  const alone = await speak(pipelineWith(sovits()), 'e', 'This will fail.');
  assert.deepEqual(alone.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(alone.errors[0]!.message, /HTTP 400.*tts failed/);
  assert.equal(alone.audio.length, 0);

  const rec = await speak(pipelineWith(new FallbackTts(sovits(), new EspeakEngine())), 's1', 'Spoken anyway.');
  assert.ok(rec.pcmFor('s1').length > 0, 'the fallback speaks the reply');
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
});

test('a voice with no reference clip fails prepare(), and the fallback takes over from the start', async () => {
  const rec = await speak(pipelineWith(new FallbackTts(sovits('gsv:'), new EspeakEngine())), 's1', 'Hello.');
  assert.equal(server.requests.length, 0);
  assert.ok(rec.pcmFor('s1').length > 0);
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
});
