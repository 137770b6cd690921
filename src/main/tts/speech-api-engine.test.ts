import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startOpenAiSpeechServer, type OpenAiSpeechServer } from '../../../test/support/openai-speech-server.js';
import { captureSpeech, rms } from '../../../test/support/tts-capture.js';
import { waitFor } from '../../../test/support/wait.js';
import { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { SpeechApiEngine, type SpeechApiOptions } from './speech-api-engine.js';
import { PooledSpeechResampler } from './speech-resampler.js';
import { TtsPipeline } from './tts-pipeline.js';

const pool = new AudioWorkerPool(1);
let server: OpenAiSpeechServer;
before(async () => (server = await startOpenAiSpeechServer()));
after(async () => {
  await server.close();
  await pool.terminate();
});
beforeEach(() => {
  server.requests.length = 0;
  server.failWith = null;
  server.chunkBytes = 4801;
  server.chunkDelayMs = 0;
  server.sampleRate = 24_000;
});

let owners = 0;
function pipelineWith(engine: ConstructorParameters<typeof TtsPipeline>[0]['engine']): TtsPipeline {
  return new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `speech-api-${++owners}`) });
}

function engine(over: Partial<SpeechApiOptions> = {}): SpeechApiEngine {
  return new SpeechApiEngine({ name: 'openai', baseUrl: server.baseUrl, apiKey: 'sk-test-123', model: 'gpt-4o-mini-tts', voice: 'nova', responseFormat: 'pcm', ...over });
}

test('pcm: one documented POST /v1/audio/speech per clause; 24 kHz speech comes out as 48 kHz PCM16 of the same level', async () => {
  const tts = pipelineWith(engine({ speed: 1.1, instructions: 'Speak warmly.', extraBody: { sample_rate: 24000 } }));
  const rec = captureSpeech(tts);
  tts.push('s1', 'Hello there. ');
  tts.push('s1', 'How are you today?');
  tts.end('s1');
  await tts.whenIdle();
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests.length, 2);
  for (const r of server.requests) {
    assert.equal(r.path, '/v1/audio/speech');
    assert.equal(r.authorization, 'Bearer sk-test-123');
    assert.match(r.contentType ?? '', /application\/json/);
  }
  assert.deepEqual(server.requests[0]!.body, {
    model: 'gpt-4o-mini-tts',
    input: 'Hello there.',
    voice: 'nova',
    response_format: 'pcm',
    sample_rate: 24000,
    speed: 1.1,
    instructions: 'Speak warmly.',
  });
  assert.equal(server.requests[1]!.body.input, 'How are you today?');
  assert.ok(rec.audio.length > 0 && rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  const out = rec.pcmFor('s1');
  const sent = server.requests.reduce((n, r) => n + r.audioBytes, 0);
  assert.equal(out.length % 2, 0);
  const ratio = out.length / sent;
  assert.ok(ratio > 1.98 && ratio < 2.02, `48k/24k size ratio was ${ratio}`);
  // Odd-sized pieces split samples; if the engine misaligned them the output would be loud noise, not speech.
  const { synthesizeSpeech } = await import('../sim/speech.js');
  const source = Buffer.concat([await synthesizeSpeech('Hello there.', 24_000), await synthesizeSpeech('How are you today?', 24_000)]);
  const level = rms(out) / rms(source);
  assert.ok(level > 0.8 && level < 1.25, `output/input level ratio was ${level}`);
  await tts.close();
});

test('wav: the rate comes from the streamed WAV header (22.05 kHz here), placeholder sizes are fine', async () => {
  server.sampleRate = 22_050;
  const tts = pipelineWith(engine({ name: 'local', responseFormat: 'wav', model: 'kokoro', voice: 'af_bella' }));
  const rec = captureSpeech(tts);
  tts.push('w', 'Streaming a wave file works.');
  tts.end('w');
  await tts.whenIdle();
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]!.body.response_format, 'wav');
  assert.equal(server.requests[0]!.body.voice, 'af_bella');
  const ratio = rec.pcmFor('w').length / server.requests[0]!.audioBytes;
  assert.ok(ratio > 2.15 && ratio < 2.2, `48k/22.05k size ratio was ${ratio}`);
  await tts.close();
});

test('interrupt mid-clause: the request is aborted, no audio of the old id after interrupt(), later clauses never requested', async () => {
  server.chunkBytes = 4800;
  server.chunkDelayMs = 40;
  const tts = pipelineWith(engine());
  const rec = captureSpeech(tts);
  tts.push('old', 'This first sentence is long enough to take a while to stream. And here is a second one.');
  await waitFor('first audio of the old reply', () => rec.audio.some((a) => a.speechId === 'old'), 10_000);
  tts.interrupt();
  const mark = rec.audio.length;
  await waitFor('the server to see the request go away', () => server.requests[0]?.completed === false, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.audio.slice(mark).filter((a) => a.speechId === 'old'), [], 'nothing of the interrupted reply after interrupt()');
  assert.equal(server.requests.length, 1, 'the second clause is never requested');
  server.chunkDelayMs = 0;
  tts.push('new', 'Yes?');
  tts.end('new');
  await tts.whenIdle();
  assert.ok(rec.pcmFor('new').length > 0, 'the next reply is spoken');
  assert.deepEqual(rec.errors, []);
  await tts.close();
});

test('HTTP failures map to status codes: 500 → TTS_CONNECTION_FAILED, 401 → API_KEY_REJECTED, 429 → API_RATE_LIMIT, JSON 200 → TTS_CONNECTION_FAILED', async () => {
  for (const [failWith, code] of [
    [500, 'TTS_CONNECTION_FAILED'],
    [401, 'API_KEY_REJECTED'],
    [429, 'API_RATE_LIMIT'],
    ['json-200', 'TTS_CONNECTION_FAILED'],
  ] as const) {
    server.failWith = failWith;
    const tts = pipelineWith(engine());
    const rec = captureSpeech(tts);
    tts.push('e', 'This will fail.');
    tts.end('e');
    await tts.whenIdle();
    assert.deepEqual(rec.errors.map((e) => e.code), [code], `for ${failWith}`);
    assert.equal(rec.audio.length, 0);
    await tts.close();
  }
});

test('FallbackTts: a server error hands the reply to espeak-ng, reported once as TTS_CONNECTION_FAILED', async () => {
  server.failWith = 503;
  const tts = pipelineWith(new FallbackTts(engine(), new EspeakEngine()));
  const rec = captureSpeech(tts);
  tts.push('s1', 'First reply.');
  tts.end('s1');
  await tts.whenIdle();
  tts.push('s2', 'Second reply.');
  tts.end('s2');
  await tts.whenIdle();
  assert.equal(server.requests.length, 1, 'the failed engine is not asked again');
  assert.ok(rec.pcmFor('s1').length > 0 && rec.pcmFor('s2').length > 0, 'both replies are spoken by the fallback');
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(rec.errors[0]!.message, /503/);
  await tts.close();
});
