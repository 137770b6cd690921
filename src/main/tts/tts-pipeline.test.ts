import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedTtsEngine } from '../../../test/support/scripted-tts-engine.js';
import { captureSpeech } from '../../../test/support/tts-capture.js';
import { interruptAfterFirstAudio, speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { SpeechApiEngine } from './speech-api-engine.js';

const pipelineWith = ttsHarness('tts-pipeline');

test('espeak-ng through the pipeline: 48 kHz PCM16 tagged with the speech id, about 48/22.05 of the engine audio', async () => {
  const engine = new EspeakEngine();
  await engine.prepare();
  let engineRates = new Set<number>();
  for await (const c of engine.synthesize('Converted by sox.', new AbortController().signal)) if (c.format === 'pcm16') engineRates.add(c.sampleRate);
  assert.deepEqual([...engineRates], [48_000], 'sox converts to the page rate inside the synthesis pipeline');
  const rec = await speak(pipelineWith(engine), 's1', 'Hello there. ', 'How are you today?');
  // espeak-ng's own 22.05 kHz output, resampled by main when sox is not used.
  const direct = new EspeakEngine({ soxResampling: false });
  await direct.prepare();
  let engineBytes = 0;
  engineRates = new Set();
  for (const text of ['Hello there.', 'How are you today?']) {
    for await (const c of direct.synthesize(text, new AbortController().signal)) {
      engineBytes += c.data.length;
      if (c.format === 'pcm16') engineRates.add(c.sampleRate);
    }
  }
  assert.deepEqual([...engineRates], [22_050]);
  const total = rec.pcmFor('s1').length;
  assert.ok(rec.audio.length > 0 && rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  assert.equal(total % 2, 0);
  const ratio = total / engineBytes;
  assert.ok(ratio > 2.1 && ratio < 2.25, `48k/22.05k size ratio was ${ratio}`);
  assert.deepEqual(rec.errors, []);
});

test('first audio arrives after the first clause, before the reply is complete', async () => {
  const tts = pipelineWith(new EspeakEngine());
  const rec = captureSpeech(tts);
  tts.push('s1', 'Good morning! I was wondering');
  await waitFor('first clause audio', () => rec.audio.length > 0, 10_000);
  tts.push('s1', ' whether you slept well.');
  tts.end('s1');
  await tts.whenIdle();
});

test('ready-gating: text pushed before the engine is ready is kept, then spoken in order', async () => {
  const engine = new ScriptedTtsEngine();
  const tts = pipelineWith(engine);
  const rec = captureSpeech(tts);
  tts.push('a', 'one ');
  tts.push('a', 'two');
  tts.end('a');
  tts.push('b', 'three');
  await new Promise((r) => setImmediate(r));
  assert.equal(engine.started, 0, 'nothing reaches an engine that is not ready');
  assert.equal(rec.audio.length, 0);
  engine.becomeReady();
  await tts.ready;
  tts.end('b');
  await tts.whenIdle();
  assert.deepEqual(engine.written, ['one ', 'two', 'three']);
  assert.deepEqual([...new Set(rec.audio.map((a) => a.speechId))], ['a', 'b']);
});

test('interrupt mid-sentence: no audio of the old speech id after interrupt(), the new id speaks', async () => {
  const tts = pipelineWith(new EspeakEngine());
  const long = 'This is the first sentence of a long story. It goes on. And on. And on for quite a while. Really it does. The end is far.';
  const rec = await interruptAfterFirstAudio(tts, 'old', long);
  tts.push('old', 'Late text for the interrupted reply.');
  await speak(tts, 'new', 'Yes?');
  const afterInterrupt = rec.sinceInterrupt();
  assert.ok(afterInterrupt.some((a) => a.speechId === 'new'), 'the new reply is spoken');
  assert.deepEqual(afterInterrupt.filter((a) => a.speechId === 'old'), [], 'nothing of the interrupted reply after interrupt()');
});

test('FallbackTts: an unreachable engine falls back to espeak-ng and reports TTS_CONNECTION_FAILED once', async () => {
  const dead = new SpeechApiEngine({ name: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'tts-1', voice: 'alloy', responseFormat: 'pcm' });
  const tts = pipelineWith(new FallbackTts(dead, new EspeakEngine()));
  const rec = await speak(tts, 's1', 'First reply.');
  await speak(tts, 's2', 'Second reply.');
  assert.ok(rec.pcmFor('s1').length > 0 && rec.pcmFor('s2').length > 0, 'both replies are spoken by the fallback');
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0]!.code, 'TTS_CONNECTION_FAILED');
});
