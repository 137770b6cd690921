import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { startCosyVoiceServer, type CosyVoiceServer } from '../../../test/support/cosyvoice-server.js';
import { rms } from '../../../test/support/tts-capture.js';
import { interruptAfterFirstAudio, speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { COSYVOICE_MODEL, CosyVoiceEngine } from './cosyvoice-engine.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';

/** CosyVoice over a local server speaking DashScope's duplex protocol with real Ogg/Opus from opusenc. */
let server: CosyVoiceServer;
const pipelineWith = ttsHarness('cosy', async () => (server = await startCosyVoiceServer()));
const cosy = () => new CosyVoiceEngine({ apiKey: 'sk-dash', voice: 'cosyvoice-v3.5-plus-neko-abc', url: server.url });

/** Decodes an Ogg/Opus stream with opus-tools' opusdec: PCM16 48 kHz mono. Throws on a broken stream. */
function decodeOggOpus(ogg: Buffer): Buffer {
  return execFileSync('opusdec', ['--quiet', '--rate', '48000', '--force-wav', '-', '-'], { input: ogg, stdio: ['pipe', 'pipe', 'ignore'] }).subarray(44);
}

test('run-task with the cloned voice and Opus 48 kHz, text as continue-task, finish-task; the Ogg/Opus stream reaches the page byte for byte', { timeout: 30_000 }, async () => {
  const rec = await speak(pipelineWith(cosy()), 's1', 'Hello there. ', 'This voice was cloned from ', 'a short clip.');
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
});

test('Japanese kana in the first words asks for language_hints ["ja"]; text waits until there is enough to tell', { timeout: 30_000 }, async () => {
  const rec = await speak(pipelineWith(cosy()), 'j', 'こん', 'にちは、元気ですか。');
  assert.deepEqual(rec.errors, []);
  const run = server.tasks[0]!.messages[0]!;
  assert.deepEqual(run.payload.parameters.language_hints, ['ja']);
  assert.equal(server.tasks[0]!.messages.filter((m) => m.header.action === 'continue-task')[0]!.payload.input.text, 'こんにちは、元気ですか。');
});

test('interrupt mid-reply: the socket closes at once and no audio of the old id follows', { timeout: 30_000 }, async () => {
  const tts = pipelineWith(cosy());
  const rec = await interruptAfterFirstAudio(tts, 'old', 'This first sentence is long enough to take a good while to speak out loud. And here is another one. ', 15_000);
  await waitFor('the server to see the socket close', () => server.tasks[0]?.closedEarly, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.sinceInterrupt().filter((a) => a.speechId === 'old'), []);
  await speak(tts, 'new', 'Yes?');
  assert.ok(rec.pcmFor('new').subarray(0, 4).toString('latin1') === 'OggS', 'the next reply is a new Ogg stream from its first page');
  assert.equal(server.tasks.length, 2);
});

test('failures: task-failed → TTS_CONNECTION_FAILED naming the code, handshake 401 → API_KEY_REJECTED; FallbackTts speaks with espeak-ng and says why', { timeout: 30_000 }, async () => {
  server.failTask = { code: 'InvalidParameter', message: 'voice not found' };
  const failed = await speak(pipelineWith(cosy()), 'e', 'This will fail.');
  assert.deepEqual(failed.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
  assert.match(failed.errors[0]!.message, /InvalidParameter.*voice not found/);

  server.failTask = null;
  server.rejectHandshake = 401;
  const refused = await speak(pipelineWith(cosy()), 'k', 'Bad key.');
  assert.deepEqual(refused.errors.map((e) => e.code), ['API_KEY_REJECTED']);
  assert.equal(refused.audio.length, 0);

  const fallback = await speak(pipelineWith(new FallbackTts(cosy(), new EspeakEngine())), 'f', 'Spoken anyway.');
  assert.ok(fallback.audio.length > 0 && fallback.audio.every((a) => a.format === 'pcm16-48k'), 'espeak-ng speaks PCM');
  assert.ok(rms(fallback.pcmFor('f')) > 300);
  assert.deepEqual(fallback.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED'], 'the fallback reports once that the voice changed');
  assert.match(fallback.errors[0]!.message, /cosyvoice unavailable.*401/);
});

test('no key or no voice: refused before any connection', async () => {
  await assert.rejects(new CosyVoiceEngine({ apiKey: '', voice: 'v', url: server.url }).prepare(), /no API key/);
  await assert.rejects(new CosyVoiceEngine({ apiKey: 'k', voice: '', url: server.url }).prepare(), /no voice/);
  assert.equal(server.tasks.length, 0);
});
