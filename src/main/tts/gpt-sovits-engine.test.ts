import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startGptSovitsServer, type GptSovitsServer } from '../../../test/support/gpt-sovits-server.js';
import { captureSpeech, rms } from '../../../test/support/tts-capture.js';
import { waitFor } from '../../../test/support/wait.js';
import { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { synthesizeSpeech } from '../sim/speech.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { GptSovitsEngine } from './gpt-sovits-engine.js';
import { PooledSpeechResampler } from './speech-resampler.js';
import { TtsPipeline } from './tts-pipeline.js';

const pool = new AudioWorkerPool(1);
let server: GptSovitsServer;
before(async () => (server = await startGptSovitsServer()));
after(async () => {
  await server.close();
  await pool.terminate();
});
beforeEach(() => {
  server.requests.length = 0;
  server.failWith = null;
  server.chunkBytes = 6401;
  server.chunkDelayMs = 0;
});

let owners = 0;
function pipelineWith(engine: ConstructorParameters<typeof TtsPipeline>[0]['engine']): TtsPipeline {
  return new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `gpt-sovits-${++owners}`) });
}

test('api_v2 POST /tts: text, language, reference clip and voice options; streamed 32 kHz WAV comes out as 48 kHz speech', async () => {
  const tts = pipelineWith(new GptSovitsEngine({ baseUrl: `${server.url}/`, voice: 'gsv:refs/neko.wav|{"prompt_text":"hello","speed_factor":1.2,"media_type":"ogg"}' }));
  const rec = captureSpeech(tts);
  tts.push('s1', 'Good evening. ');
  tts.push('s1', 'Did you eat yet?');
  tts.end('s1');
  await tts.whenIdle();
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
  await tts.close();
});

test('Chinese text is sent with text_lang zh', async () => {
  const tts = pipelineWith(new GptSovitsEngine({ baseUrl: server.url, voice: 'gsv:ref.wav' }));
  const rec = captureSpeech(tts);
  tts.push('zh', '你好,今天天气很好。');
  tts.end('zh');
  await tts.whenIdle();
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests[0]!.body.text_lang, 'zh');
  assert.equal(server.requests[0]!.body.prompt_lang, 'zh');
  assert.ok(rec.pcmFor('zh').length > 0);
  await tts.close();
});

test('interrupt mid-clause: the streaming request is aborted and no audio of the old id follows', async () => {
  server.chunkBytes = 6400;
  server.chunkDelayMs = 40;
  const tts = pipelineWith(new GptSovitsEngine({ baseUrl: server.url, voice: 'gsv:ref.wav' }));
  const rec = captureSpeech(tts);
  tts.push('old', 'This first sentence is long enough to take a while to stream. And a second one follows it.');
  await waitFor('first audio of the old reply', () => rec.audio.some((a) => a.speechId === 'old'), 10_000);
  tts.interrupt();
  const mark = rec.audio.length;
  await waitFor('the server to see the request go away', () => server.requests[0]?.completed === false, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.audio.slice(mark).filter((a) => a.speechId === 'old'), []);
  assert.equal(server.requests.length, 1, 'the second clause is never requested');
  server.chunkDelayMs = 0;
  tts.push('new', 'Yes?');
  tts.end('new');
  await tts.whenIdle();
  assert.ok(rec.pcmFor('new').length > 0);
  assert.deepEqual(rec.errors, []);
  await tts.close();
});

test('api_v2 400 {"message":"tts failed"} → TTS_CONNECTION_FAILED; FallbackTts speaks with espeak-ng', async () => {
  server.failWith = 400;
  const alone = pipelineWith(new GptSovitsEngine({ baseUrl: server.url, voice: 'gsv:ref.wav' }));
  const recAlone = captureSpeech(alone);
  alone.push('e', 'This will fail.');
  alone.end('e');
  await alone.whenIdle();
  assert.deepEqual(recAlone.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(recAlone.errors[0]!.message, /HTTP 400.*tts failed/);
  assert.equal(recAlone.audio.length, 0);
  await alone.close();

  const tts = pipelineWith(new FallbackTts(new GptSovitsEngine({ baseUrl: server.url, voice: 'gsv:ref.wav' }), new EspeakEngine()));
  const rec = captureSpeech(tts);
  tts.push('s1', 'Spoken anyway.');
  tts.end('s1');
  await tts.whenIdle();
  assert.ok(rec.pcmFor('s1').length > 0, 'the fallback speaks the reply');
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  await tts.close();
});

test('a voice with no reference clip fails prepare(), and the fallback takes over from the start', async () => {
  const tts = pipelineWith(new FallbackTts(new GptSovitsEngine({ baseUrl: server.url, voice: 'gsv:' }), new EspeakEngine()));
  const rec = captureSpeech(tts);
  tts.push('s1', 'Hello.');
  tts.end('s1');
  await tts.whenIdle();
  assert.equal(server.requests.length, 0);
  assert.ok(rec.pcmFor('s1').length > 0);
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  await tts.close();
});
