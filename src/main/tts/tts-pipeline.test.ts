import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { bytesFor, recordSpeech } from '../../../test/support/speech-events.js';
import { ScriptedTtsEngine } from '../../../test/support/scripted-tts-engine.js';
import { waitFor } from '../../../test/support/wait.js';
import { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { SpeechApiEngine } from './speech-api-engine.js';
import { PooledSpeechResampler } from './speech-resampler.js';
import { TtsPipeline } from './tts-pipeline.js';

const pool = new AudioWorkerPool(1);
after(() => pool.terminate());

let owners = 0;
function pipelineWith(engine: ConstructorParameters<typeof TtsPipeline>[0]['engine']): TtsPipeline {
  return new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `test-${++owners}`) });
}

test('espeak-ng through the pipeline: 48 kHz PCM16 tagged with the speech id, about 48/22.05 of the engine audio', async () => {
  const engine = new EspeakEngine();
  await engine.prepare();
  let engineRates = new Set<number>();
  for await (const c of engine.synthesize('Converted by sox.', new AbortController().signal)) if (c.format === 'pcm16') engineRates.add(c.sampleRate);
  assert.deepEqual([...engineRates], [48_000], 'sox converts to the page rate inside the synthesis pipeline');
  const tts = pipelineWith(engine);
  const rec = recordSpeech(tts);
  tts.push('s1', 'Hello there. ');
  tts.push('s1', 'How are you today?');
  tts.end('s1');
  await tts.ready;
  await tts.whenIdle();
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
  const total = bytesFor(rec.audio, 's1');
  assert.ok(rec.audio.length > 0 && rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  assert.equal(total % 2, 0);
  const ratio = total / engineBytes;
  assert.ok(ratio > 2.1 && ratio < 2.25, `48k/22.05k size ratio was ${ratio}`);
  assert.deepEqual(rec.errors, []);
  await tts.close();
});

test('first audio arrives after the first clause, before the reply is complete', async () => {
  const tts = pipelineWith(new EspeakEngine());
  const rec = recordSpeech(tts);
  tts.push('s1', 'Good morning! I was wondering');
  await waitFor('first clause audio', () => rec.audio.length > 0, 10_000);
  tts.push('s1', ' whether you slept well.');
  tts.end('s1');
  await tts.whenIdle();
  await tts.close();
});

test('ready-gating: text pushed before the engine is ready is kept, then spoken in order', async () => {
  const engine = new ScriptedTtsEngine();
  const tts = pipelineWith(engine);
  const rec = recordSpeech(tts);
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
  await tts.close();
});

test('interrupt mid-sentence: no audio of the old speech id after interrupt(), the new id speaks', async () => {
  const tts = pipelineWith(new EspeakEngine());
  const rec = recordSpeech(tts);
  const long = 'This is the first sentence of a long story. It goes on. And on. And on for quite a while. Really it does. The end is far.';
  tts.push('old', long);
  await waitFor('audio of the old reply', () => rec.audio.some((a) => a.speechId === 'old'), 10_000);
  tts.interrupt();
  const mark = rec.audio.length;
  tts.push('old', 'Late text for the interrupted reply.');
  tts.push('new', 'Yes?');
  tts.end('new');
  await tts.whenIdle();
  const afterInterrupt = rec.audio.slice(mark);
  assert.ok(afterInterrupt.some((a) => a.speechId === 'new'), 'the new reply is spoken');
  assert.deepEqual(afterInterrupt.filter((a) => a.speechId === 'old'), [], 'nothing of the interrupted reply after interrupt()');
  await tts.close();
});

test('FallbackTts: an unreachable engine falls back to espeak-ng and reports TTS_CONNECTION_FAILED once', async () => {
  const dead = new SpeechApiEngine({ name: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'tts-1', voice: 'alloy', responseFormat: 'pcm' });
  const tts = pipelineWith(new FallbackTts(dead, new EspeakEngine()));
  const rec = recordSpeech(tts);
  tts.push('s1', 'First reply.');
  tts.end('s1');
  await tts.whenIdle();
  tts.push('s2', 'Second reply.');
  tts.end('s2');
  await tts.whenIdle();
  assert.ok(bytesFor(rec.audio, 's1') > 0 && bytesFor(rec.audio, 's2') > 0, 'both replies are spoken by the fallback');
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0]!.code, 'TTS_CONNECTION_FAILED');
  await tts.close();
});
