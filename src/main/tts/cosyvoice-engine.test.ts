import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, beforeEach, test } from 'node:test';
import { startCosyVoiceServer, type CosyVoiceServer } from '../../../test/support/cosyvoice-server.js';
import { captureSpeech, rms } from '../../../test/support/tts-capture.js';
import { waitFor } from '../../../test/support/wait.js';
import { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { COSYVOICE_MODEL, CosyVoiceEngine } from './cosyvoice-engine.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { PooledSpeechResampler } from './speech-resampler.js';
import { TtsPipeline } from './tts-pipeline.js';

/** CosyVoice over a local server speaking DashScope's duplex protocol with real Ogg/Opus from opusenc. */
const pool = new AudioWorkerPool(1);
let server: CosyVoiceServer;
before(async () => (server = await startCosyVoiceServer()));
after(async () => {
  await server.close();
  await pool.terminate();
});
beforeEach(() => {
  server.tasks.length = 0;
  server.rejectHandshake = null;
  server.failTask = null;
});

let owners = 0;
function pipelineWith(engine: ConstructorParameters<typeof TtsPipeline>[0]['engine']): TtsPipeline {
  return new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `cosy-${++owners}`) });
}
const cosy = () => new CosyVoiceEngine({ apiKey: 'sk-dash', voice: 'cosyvoice-v3.5-plus-neko-abc', url: server.url });

/** Decodes an Ogg/Opus stream with opus-tools' opusdec: PCM16 48 kHz mono. Throws on a broken stream. */
function decodeOggOpus(ogg: Buffer): Buffer {
  return execFileSync('opusdec', ['--quiet', '--rate', '48000', '--force-wav', '-', '-'], { input: ogg, stdio: ['pipe', 'pipe', 'ignore'] }).subarray(44);
}

test('run-task with the cloned voice and Opus 48 kHz, text as continue-task, finish-task; the Ogg/Opus stream reaches the page byte for byte', { timeout: 30_000 }, async () => {
  const tts = pipelineWith(cosy());
  const rec = captureSpeech(tts);
  tts.push('s1', 'Hello there. ');
  tts.push('s1', 'This voice was cloned from ');
  tts.push('s1', 'a short clip.');
  tts.end('s1');
  await tts.whenIdle();
  assert.deepEqual(rec.errors, []);
  assert.equal(server.tasks.length, 1);
  const task = server.tasks[0]!;
  assert.match(task.authorization ?? '', /^bearer sk-dash$/i);
  const [run, ...rest] = task.messages;
  assert.equal(run!.header.action, 'run-task');
  assert.equal(run!.header.streaming, 'duplex');
  assert.equal(run!.payload.model, COSYVOICE_MODEL);
  assert.deepEqual(
    { task: run!.payload.task, function: run!.payload.function, voice: run!.payload.parameters.voice, format: run!.payload.parameters.format, rate: run!.payload.parameters.sample_rate },
    { task: 'tts', function: 'SpeechSynthesizer', voice: 'cosyvoice-v3.5-plus-neko-abc', format: 'opus', rate: 48_000 },
  );
  assert.ok(task.messages.every((m) => m.header.task_id === run!.header.task_id), 'one task id for the whole reply');
  assert.equal(rest.at(-1)!.header.action, 'finish-task');
  const text = rest.filter((m) => m.header.action === 'continue-task').map((m) => m.payload.input.text).join('');
  assert.equal(text, 'Hello there. This voice was cloned from a short clip.');

  assert.ok(rec.audio.length > 0 && rec.audio.every((a) => a.speechId === 's1' && a.format === 'ogg-opus'));
  const ogg = rec.pcmFor('s1');
  assert.deepEqual(ogg, Buffer.concat(task.frames), 'pages pass through unchanged and in order');
  assert.equal(ogg.subarray(0, 4).toString('latin1'), 'OggS');
  // It is real speech: it decodes, lasts about as long as what was said, and is not silence.
  const pcm = decodeOggOpus(ogg);
  const seconds = pcm.length / 2 / 48_000;
  assert.ok(seconds > 2 && seconds < 8, `decoded ${seconds.toFixed(2)} s`);
  assert.ok(rms(pcm) > 500, `decoded level ${rms(pcm).toFixed(0)}`);
  await tts.close();
});

test('Japanese kana in the first words asks for language_hints ["ja"]; text waits until there is enough to tell', { timeout: 30_000 }, async () => {
  const tts = pipelineWith(cosy());
  const rec = captureSpeech(tts);
  tts.push('j', 'こん');
  tts.push('j', 'にちは、元気ですか。');
  tts.end('j');
  await tts.whenIdle();
  assert.deepEqual(rec.errors, []);
  const run = server.tasks[0]!.messages[0]!;
  assert.deepEqual(run.payload.parameters.language_hints, ['ja']);
  assert.equal(server.tasks[0]!.messages.filter((m) => m.header.action === 'continue-task')[0]!.payload.input.text, 'こんにちは、元気ですか。');
  await tts.close();
});

test('interrupt mid-reply: the socket closes at once and no audio of the old id follows', { timeout: 30_000 }, async () => {
  const tts = pipelineWith(cosy());
  const rec = captureSpeech(tts);
  tts.push('old', 'This first sentence is long enough to take a good while to speak out loud. And here is another one. ');
  await waitFor('first audio of the old reply', () => rec.audio.some((a) => a.speechId === 'old'), 15_000);
  tts.interrupt();
  const mark = rec.audio.length;
  await waitFor('the server to see the socket close', () => server.tasks[0]?.closedEarly, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.audio.slice(mark).filter((a) => a.speechId === 'old'), []);
  tts.push('new', 'Yes?');
  tts.end('new');
  await tts.whenIdle();
  assert.ok(rec.pcmFor('new').subarray(0, 4).toString('latin1') === 'OggS', 'the next reply is a new Ogg stream from its first page');
  assert.equal(server.tasks.length, 2);
  await tts.close();
});

test('failures: task-failed → TTS_CONNECTION_FAILED naming the code, handshake 401 → API_KEY_REJECTED; FallbackTts speaks with espeak-ng and says why', { timeout: 30_000 }, async () => {
  server.failTask = { code: 'InvalidParameter', message: 'voice not found' };
  let tts = pipelineWith(cosy());
  let rec = captureSpeech(tts);
  tts.push('e', 'This will fail.');
  tts.end('e');
  await tts.whenIdle();
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(rec.errors[0]!.message, /InvalidParameter.*voice not found/);
  await tts.close();

  server.failTask = null;
  server.rejectHandshake = 401;
  tts = pipelineWith(cosy());
  rec = captureSpeech(tts);
  tts.push('k', 'Bad key.');
  tts.end('k');
  await tts.whenIdle();
  assert.deepEqual(rec.errors.map((e) => e.code), ['API_KEY_REJECTED']);
  assert.equal(rec.audio.length, 0);
  await tts.close();

  tts = pipelineWith(new FallbackTts(cosy(), new EspeakEngine()));
  rec = captureSpeech(tts);
  tts.push('f', 'Spoken anyway.');
  tts.end('f');
  await tts.whenIdle();
  assert.ok(rec.audio.length > 0 && rec.audio.every((a) => a.format === 'pcm16-48k'), 'espeak-ng speaks PCM');
  assert.ok(rms(rec.pcmFor('f')) > 300);
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED'], 'the fallback reports once that the voice changed');
  assert.match(rec.errors[0]!.message, /cosyvoice unavailable.*401/);
  await tts.close();
});

test('no key or no voice: refused before any connection', async () => {
  await assert.rejects(new CosyVoiceEngine({ apiKey: '', voice: 'v', url: server.url }).prepare(), /no API key/);
  await assert.rejects(new CosyVoiceEngine({ apiKey: 'k', voice: '', url: server.url }).prepare(), /no voice/);
  assert.equal(server.tasks.length, 0);
});
