import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { frames16k, silence16k, speechAt16k } from '../../../test/support/spoken-audio.js';
import { startTranscriptionServer } from '../../../test/support/transcription-server.js';
import { waitFor } from '../../../test/support/wait.js';
import { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { ChatCompletionsClient } from '../providers/chat-completions.js';
import type { ProviderEvents } from '../providers/realtime.js';
import { ScriptedProvider } from '../providers/testing.js';
import { SIM_CHAT_MODEL } from '../sim/chat-routes.js';
import { startSimServer } from '../sim/server.js';
import { EspeakEngine } from '../tts/espeak-engine.js';
import { PooledSpeechResampler } from '../tts/speech-resampler.js';
import { TtsPipeline } from '../tts/tts-pipeline.js';
import { EnergyVad } from './energy-vad.js';
import { PocketsphinxTranscriber } from './pocketsphinx-transcriber.js';
import type { Transcriber } from './transcriber.js';
import { VoicePipelineProvider } from './voice-pipeline-provider.js';
import { withVoiceInput } from './with-voice-input.js';

const PHRASES = ['what time is it', 'hello', 'tell me a joke'];

function feed(target: { sendAudio(pcm: Buffer): void }, pcm: Buffer): void {
  for (const frame of frames16k(pcm)) target.sendAudio(frame);
}

/** Records provider events in order (names only, plus transcripts). */
function eventLog(provider: VoicePipelineProvider | ReturnType<typeof withVoiceInput>): string[] {
  const log: string[] = [];
  for (const name of ['speech_started', 'speech_stopped', 'response_started', 'response_done'] as const) provider.on(name, () => log.push(name));
  provider.on('input_transcript', ({ text }: ProviderEvents['input_transcript'][0]) => log.push(`transcript:${text}`));
  return log;
}

test('EnergyVad: one spoken phrase between silences is one turn, with pre-roll and hang-over; silence alone is none', () => {
  const vad = new EnergyVad();
  const speech = speechAt16k('hello there');
  const events = [...vad.push(silence16k(500)), ...frames16k(speech).flatMap((f) => vad.push(f)), ...vad.push(silence16k(1000))];
  assert.deepEqual(events.map((e) => e.type), ['speech_started', 'speech_stopped']);
  const turn = events[1]!.type === 'speech_stopped' ? events[1]!.audio : Buffer.alloc(0);
  assert.ok(turn.length >= speech.length * 0.8, `turn holds the speech (${turn.length} of ${speech.length} bytes)`);
  assert.deepEqual(new EnergyVad().push(silence16k(3000)), []);
});

test('VoicePipelineProvider: speech → speech_started/stopped → transcript → inner.sendText; barge-in interrupts the reply', async () => {
  const inner = new ScriptedProvider({ audioInput: false, audioOutput: false, vision: true, serverVad: false, inputSampleRate: 16_000, outputSampleRate: 24_000 });
  const heard: Buffer[] = [];
  const transcriber: Transcriber = { name: 'fixed', transcribe: async (pcm) => (heard.push(pcm), 'hello') };
  const voice = new VoicePipelineProvider(inner, { transcriber });
  assert.equal(voice.capabilities.audioInput, true);
  assert.equal(voice.capabilities.serverVad, true);
  assert.equal(voice.capabilities.audioOutput, false);
  assert.equal(voice.connectionId, inner.connectionId);
  const log = eventLog(voice);
  inner.emit('response_started', { responseId: 'r1' }); // the model is talking
  feed(voice, Buffer.concat([silence16k(300), speechAt16k('hello'), silence16k(800)]));
  await waitFor('transcript sent to the model', () => inner.textsIn.length === 1);
  assert.equal(inner.interrupts, 1, 'speaking over the reply interrupts it');
  assert.deepEqual(inner.textsIn, ['hello']);
  assert.deepEqual(log, ['response_started', 'speech_started', 'speech_stopped', 'transcript:hello']);
  assert.equal(heard.length, 1);
  await voice.close();
  assert.equal(inner.closed, true);
});

test('pocketsphinx (offline) recognises espeak-ng speech exactly with a grammar', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neko-jsgf-'));
  const jsgf = join(dir, 'g.gram');
  writeFileSync(jsgf, `#JSGF V1.0;\ngrammar g;\npublic <p> = ${PHRASES.join(' | ')};\n`);
  const text = await new PocketsphinxTranscriber({ jsgfPath: jsgf }).transcribe(speechAt16k('tell me a joke'), new AbortController().signal);
  assert.equal(text, 'tell me a joke');
});

test('STT server failure falls back to pocketsphinx and says so', async () => {
  const broken = await startTranscriptionServer(PHRASES, { failWith: 503 });
  after(() => broken.close());
  const dir = mkdtempSync(join(tmpdir(), 'neko-jsgf-'));
  const jsgf = join(dir, 'g.gram');
  writeFileSync(jsgf, `#JSGF V1.0;\ngrammar g;\npublic <p> = ${PHRASES.join(' | ')};\n`);
  const notices: string[] = [];
  const inner = new ScriptedProvider({ audioInput: false, audioOutput: false, vision: false, serverVad: false, inputSampleRate: 16_000, outputSampleRate: 24_000 });
  const voice = withVoiceInput(inner, { baseUrl: `${broken.url}/v1`, apiKey: 'k', pocketsphinx: { jsgfPath: jsgf }, onFallback: (m) => notices.push(m) });
  feed(voice, Buffer.concat([silence16k(300), speechAt16k('hello'), silence16k(800)]));
  await waitFor('fallback transcript', () => inner.textsIn.length === 1, 10_000);
  assert.deepEqual(inner.textsIn, ['hello']);
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /HTTP 503/);
  await voice.close();
});

test('full voice loop with a text-only model: speech → VAD → STT server → sim chat completions → espeak-ng TTS → 48 kHz audio', async () => {
  const stt = await startTranscriptionServer(PHRASES);
  const sim = await startSimServer({ port: 0 });
  const pool = new AudioWorkerPool(1);
  after(async () => {
    await stt.close();
    await sim.close();
    await pool.terminate();
  });
  const chat = new ChatCompletionsClient({ conversation: { baseUrl: `${sim.url}/v1`, model: SIM_CHAT_MODEL, apiKey: 'neko-test' }, provider: 'sim' });
  const voice = withVoiceInput(chat, { baseUrl: `${stt.url}/v1`, apiKey: 'stt-key', model: 'whisper-1' });
  const tts = new TtsPipeline({ engine: new EspeakEngine(), resampler: new PooledSpeechResampler(pool, 'loop') });
  const log = eventLog(voice);
  // Wired the way CharacterSession wires a provider that does not speak: reply text → TTS under the speech id.
  const speechId = 'reply-1';
  let reply = '';
  voice.on('text', ({ text }) => {
    reply += text;
    tts.push(speechId, text);
  });
  voice.on('response_done', () => tts.end(speechId));
  const audio: { speechId: string; bytes: number; format: string }[] = [];
  tts.on('audio', (a) => audio.push({ speechId: a.speechId, bytes: a.audio.length, format: a.format }));

  await voice.connect({ instructions: 'You are neko.', audioOutput: false });
  feed(voice, Buffer.concat([silence16k(400), speechAt16k('what time is it'), silence16k(1000)]));
  await waitFor('the reply to end', () => log.includes('response_done'), 20_000);
  await tts.whenIdle();

  assert.deepEqual(log.slice(0, 3), ['speech_started', 'speech_stopped', 'transcript:what time is it']);
  assert.equal(stt.requests.length, 1);
  assert.equal(stt.requests[0]!.model, 'whisper-1');
  assert.ok(reply.length > 0, 'the text model answered');
  assert.ok(audio.length > 0, 'the answer was spoken');
  assert.ok(audio.every((a) => a.speechId === speechId && a.format === 'pcm16-48k'));
  assert.equal(audio.reduce((n, a) => n + a.bytes, 0) % 2, 0);
  await voice.close();
  await tts.close();
});
