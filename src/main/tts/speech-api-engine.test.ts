import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOpenAiSpeechServer, type OpenAiSpeechServer } from '../../../test/support/openai-speech-server.js';
import { rms } from '../../../test/support/tts-capture.js';
import { interruptAfterFirstAudio, speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { synthesizeSpeech } from '../sim/speech.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { SpeechApiEngine, type SpeechApiOptions } from './speech-api-engine.js';

let server: OpenAiSpeechServer;
const pipelineWith = ttsHarness('speech-api', async () => (server = await startOpenAiSpeechServer()));

function engine(over: Partial<SpeechApiOptions> = {}): SpeechApiEngine {
  return new SpeechApiEngine({ name: 'openai', baseUrl: server.baseUrl, apiKey: 'sk-test-123', model: 'gpt-4o-mini-tts', voice: 'nova', responseFormat: 'pcm', ...over });
}

test('pcm: one documented POST /v1/audio/speech per clause; 24 kHz speech comes out as 48 kHz PCM16 of the same level', async () => {
  const rec = await speak(pipelineWith(engine({ speed: 1.1, instructions: 'Speak warmly.', extraBody: { sample_rate: 24000 } })), 's1', 'Hello there. ', 'How are you today?');
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
  const source = Buffer.concat([await synthesizeSpeech('Hello there.', 24_000), await synthesizeSpeech('How are you today?', 24_000)]);
  const level = rms(out) / rms(source);
  assert.ok(level > 0.8 && level < 1.25, `output/input level ratio was ${level}`);
});

test('wav: the rate comes from the streamed WAV header (22.05 kHz here), placeholder sizes are fine', async () => {
  server.sampleRate = 22_050;
  const rec = await speak(pipelineWith(engine({ name: 'local', responseFormat: 'wav', model: 'kokoro', voice: 'af_bella' })), 'w', 'Streaming a wave file works.');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]!.body.response_format, 'wav');
  assert.equal(server.requests[0]!.body.voice, 'af_bella');
  const ratio = rec.pcmFor('w').length / server.requests[0]!.audioBytes;
  assert.ok(ratio > 2.15 && ratio < 2.2, `48k/22.05k size ratio was ${ratio}`);
});

test('interrupt mid-clause: the request is aborted, no audio of the old id after interrupt(), later clauses never requested', async () => {
  server.chunkBytes = 4800;
  server.chunkDelayMs = 40;
  const tts = pipelineWith(engine());
  const rec = await interruptAfterFirstAudio(tts, 'old', 'This first sentence is long enough to take a while to stream. And here is a second one.');
  await waitFor('the server to see the request go away', () => server.requests[0]?.completed === false, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.sinceInterrupt().filter((a) => a.speechId === 'old'), [], 'nothing of the interrupted reply after interrupt()');
  assert.equal(server.requests.length, 1, 'the second clause is never requested');
  server.chunkDelayMs = 0;
  await speak(tts, 'new', 'Yes?');
  assert.ok(rec.pcmFor('new').length > 0, 'the next reply is spoken');
  assert.deepEqual(rec.errors, []);
});

test('HTTP failures map to status codes: 500 → TTS_CONNECTION_FAILED, 401 → API_KEY_REJECTED, 429 → API_RATE_LIMIT, JSON 200 → TTS_CONNECTION_FAILED', async () => {
  for (const [failWith, code] of [
    [500, 'TTS_CONNECTION_FAILED'],
    [401, 'API_KEY_REJECTED'],
    [429, 'API_RATE_LIMIT'],
    ['json-200', 'TTS_CONNECTION_FAILED'],
  ] as const) {
    server.failWith = failWith;
    const rec = await speak(pipelineWith(engine()), 'e', 'This will fail.');
    assert.deepEqual(rec.errors.map((e) => e.code), [code], `for ${failWith}`);
    assert.equal(rec.audio.length, 0);
  }
});

test('FallbackTts: a server error hands the reply to espeak-ng, reported once as TTS_CONNECTION_FAILED', async () => {
  server.failWith = 503;
  const tts = pipelineWith(new FallbackTts(engine(), new EspeakEngine()));
  const rec = await speak(tts, 's1', 'First reply.');
  await speak(tts, 's2', 'Second reply.');
  assert.equal(server.requests.length, 1, 'the failed engine is not asked again');
  assert.ok(rec.pcmFor('s1').length > 0 && rec.pcmFor('s2').length > 0, 'both replies are spoken by the fallback');
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(rec.errors[0]!.message, /503/);
});
