import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startQwenTtsServer, type QwenTtsServer } from '../../../test/support/qwen-tts-realtime-server.js';
import { rms } from '../../../test/support/tts-capture.js';
import { interruptAfterFirstAudio, speak, ttsHarness } from '../../../test/support/tts-harness.js';
import { waitFor } from '../../../test/support/wait.js';
import { synthesizeSpeech } from '../sim/speech.js';
import { EspeakEngine } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { QWEN_TTS_MODEL, QwenRealtimeTtsEngine } from './qwen-realtime-tts-engine.js';

let server: QwenTtsServer;
const pipelineWith = ttsHarness('qwen-tts', async () => (server = await startQwenTtsServer()));
const qwen = (voice?: string) => new QwenRealtimeTtsEngine({ apiKey: 'sk-dash', url: server.url, voice });

test('one socket per reply: session.update after session.created, text appended, commit + finish; 24 kHz deltas come out as 48 kHz speech', async () => {
  const rec = await speak(pipelineWith(qwen('Cherry')), 's1', 'Hello there. ', 'How are ', 'you today?');
  assert.deepEqual(rec.errors, []);
  assert.equal(server.sessions.length, 1);
  const s = server.sessions[0]!;
  assert.equal(s.authorization, 'Bearer sk-dash');
  assert.equal(s.model, QWEN_TTS_MODEL);
  assert.equal(s.closedEarly, false);
  const types = s.events.map((e) => e.type);
  assert.equal(types[0], 'session.update', 'configured before any text');
  assert.deepEqual(s.events[0]!.session, { voice: 'Cherry', mode: 'server_commit', response_format: 'pcm', sample_rate: 24000 });
  assert.deepEqual(types.slice(-2), ['input_text_buffer.commit', 'session.finish']);
  const appended = s.events.filter((e) => e.type === 'input_text_buffer.append').map((e) => e.text).join('');
  assert.equal(appended, 'Hello there. How are you today?');
  assert.ok(s.events.every((e) => typeof e.event_id === 'string' && e.event_id), 'every client event has an event_id');
  assert.ok(rec.audio.every((a) => a.speechId === 's1' && a.format === 'pcm16-48k'));
  const out = rec.pcmFor('s1');
  const sent = s.responses.reduce((n, r) => n + r.audioBytes, 0);
  const ratio = out.length / sent;
  assert.ok(ratio > 1.98 && ratio < 2.02, `48k/24k size ratio was ${ratio}`);
  const source = Buffer.concat(await Promise.all(s.responses.map((r) => synthesizeSpeech(r.text, 24_000))));
  const level = rms(out) / rms(source);
  assert.ok(level > 0.8 && level < 1.25, `output/input level ratio was ${level}`);
});

test('the default voice is Momo', async () => {
  const rec = await speak(pipelineWith(qwen()), 'd', 'Default voice.');
  assert.deepEqual(rec.errors, []);
  assert.equal((server.sessions[0]!.events[0]!.session as { voice: string }).voice, 'Momo');
});

test('interrupt mid-reply: the socket is closed at once and no audio of the old id follows', async () => {
  server.deltaDelayMs = 40;
  const tts = pipelineWith(qwen());
  const rec = await interruptAfterFirstAudio(tts, 'old', 'This first sentence is long enough to take a while to stream. ');
  await waitFor('the server to see the socket close', () => server.sessions[0]?.closedEarly, 3_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(rec.sinceInterrupt().filter((a) => a.speechId === 'old'), []);
  assert.ok(!server.sessions[0]!.events.some((e) => e.type === 'session.finish'), 'the interrupted reply is not finished, it is cut');
  server.deltaDelayMs = 0;
  await speak(tts, 'new', 'Yes?');
  assert.ok(rec.pcmFor('new').length > 0);
  assert.equal(server.sessions.length, 2, 'the next reply opens its own session');
  assert.deepEqual(rec.errors, []);
});

test('failures: an error event → TTS_CONNECTION_FAILED, handshake 401 → API_KEY_REJECTED, handshake 500 → TTS_CONNECTION_FAILED', async () => {
  for (const [setup, code] of [
    [() => (server.sessionError = { code: 'invalid_value', message: 'voice not found' }), 'TTS_CONNECTION_FAILED'],
    [() => (server.rejectHandshake = 401), 'API_KEY_REJECTED'],
    [() => (server.rejectHandshake = 500), 'TTS_CONNECTION_FAILED'],
  ] as const) {
    server.sessionError = null;
    server.rejectHandshake = null;
    setup();
    const rec = await speak(pipelineWith(qwen()), 'e', 'This will fail.');
    assert.deepEqual(rec.errors.map((e) => e.code), [code], rec.errors[0]?.message);
    assert.equal(rec.audio.length, 0);
  }
});

test('FallbackTts: a failing Qwen session hands the reply to espeak-ng, reported once as TTS_CONNECTION_FAILED', async () => {
  server.sessionError = { code: 'Arrearage', message: 'account in arrears' };
  const rec = await speak(pipelineWith(new FallbackTts(qwen(), new EspeakEngine())), 's1', 'Spoken anyway.');
  assert.ok(rec.pcmFor('s1').length > 0);
  assert.deepEqual(rec.errors.map((e) => e.code), ['TTS_CONNECTION_FAILED']);
});
