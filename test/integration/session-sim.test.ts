import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createLogger } from '../../src/shared/log.js';
import { AudioWorkerPool } from '../../src/main/audio/audio-worker-pool.js';
import { MemoryClient } from '../../src/main/bridges/memory-client.js';
import { MemoryOutbox } from '../../src/main/bridges/memory-outbox.js';
import { createSimProvider } from '../../src/main/providers/select.js';
import { startSimServer, type SimServer } from '../../src/main/sim/server.js';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { CharacterSession } from '../../src/main/session/character-session.js';
import { PooledSessionAudio } from '../../src/main/session/pooled-audio.js';
import { RecordingSocket } from '../support/session-harness.js';
import { tempDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

/**
 * The session with real parts: the OpenAI-dialect realtime client, the sim server, the audio worker pool
 * and the on-disk outbox. Only the page socket is a recorder.
 */
let sim: SimServer;
let pool: AudioWorkerPool;
let data: ReturnType<typeof tempDataDir>;
const log = createLogger('test', 'silent');

before(async () => {
  sim = await startSimServer({ port: 0 });
  pool = new AudioWorkerPool(1);
  data = tempDataDir();
});

after(async () => {
  await pool.terminate();
  await sim.close();
  data.cleanup();
});

function makeSession(name: string) {
  const outbox = new MemoryOutbox(join(data.dir, `${name}.sqlite`), new MemoryClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }), log);
  const socket = new RecordingSocket(name);
  const session = new CharacterSession({
    character: name,
    log,
    profile: () => ({ prompt: `You are ${name}.`, names: { character: name, master: 'Master' }, language: 'en' }),
    memoryContext: async () => 'Master likes green tea.',
    outbox,
    createProvider: async (mode) => ({ provider: await createSimProvider(mode, sim) }),
    audio: new PooledSessionAudio(pool, name),
  });
  session.attachSocket(socket);
  return { session, socket, close: () => outbox.close() };
}

/** 16 kHz mobile-style frames of 512 samples: the input stream then keeps their length, so bytes can be counted. */
function frames16k(pcm: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < pcm.length; o += 1024) {
    const f = Buffer.alloc(1024);
    pcm.copy(f, 0, o, Math.min(o + 1024, pcm.length));
    out.push(f);
  }
  return out;
}

test('voice turn through the real client and sim: transcript, reply audio at 48 kHz, turn end', { timeout: 60_000 }, async (t) => {
  const { session, socket, close } = makeSession('voice');
  t.after(close);
  await session.start('audio');
  const speech = await synthesizeSpeech('good morning neko', 16_000);
  for (const f of frames16k(Buffer.concat([speech, Buffer.alloc(16_000 * 2)]))) session.pushAudio(f, 16_000);
  await waitFor('turn end', () => socket.ofType('system').length > 0, 30_000);
  await waitFor('reply audio', () => socket.audio.length > 0);
  assert.ok(socket.ofType('user_transcript').length === 1);
  const seconds = socket.audio.reduce((n, a) => n + a.audio.length, 0) / 2 / 48_000;
  assert.ok(seconds > 0.3, `reply of ${seconds.toFixed(2)} s`);
  await session.endSession({ byClient: true, reason: 'test' });
});

test('provider connection dropped: the session reconnects with the conversation as context', { timeout: 60_000 }, async (t) => {
  const { session, socket, close } = makeSession('dropper');
  t.after(close);
  await session.start('audio');
  const speech = await synthesizeSpeech('tell me something nice', 16_000);
  for (const f of frames16k(Buffer.concat([speech, Buffer.alloc(16_000 * 2)]))) session.pushAudio(f, 16_000);
  await waitFor('first reply', () => socket.ofType('system').length === 1, 30_000);
  const reply = socket.ofType('gemini_response').map((m) => m.text).join('').trim();
  assert.ok(reply.length > 10);
  const connections = sim.stats.connections;
  sim.dropConnections();
  await waitFor('reconnected', () => socket.statusCodes().includes('PROVIDER_RECONNECTED'), 20_000);
  assert.equal(sim.stats.connections, connections + 1);
  const instructions = sim.sessions().map((s) => String(s.config.instructions ?? ''));
  assert.ok(instructions.some((c) => c.includes(reply.slice(0, 30))), 'the new connection carries the earlier turns');
  assert.equal(session.phase.value, 'live');
  assert.equal(session.counters.reconnects, 1);
  await session.endSession({ byClient: true, reason: 'test' });
});

test('20 hot-swaps under continuous audio against the sim: every byte reaches exactly one provider', { timeout: 120_000 }, async (t) => {
  const { session, socket, close } = makeSession('swapper');
  t.after(close);
  await session.start('audio');
  const startBytes = sim.stats.audioBytesReceived;
  // Frames at the provider's own input rate pass through the resampler with their length unchanged, so bytes
  // can be counted end to end. Silence: the sim's VAD never starts a turn, so nothing is cancelled.
  const rate = (await createSimProvider('audio', sim)).capabilities.inputSampleRate;
  const quiet = Buffer.alloc((rate / 50) * 2, 0);
  let sent = 0;
  for (let i = 0; i < 20; i++) {
    for (let k = 0; k < 5; k++) {
      session.pushAudio(quiet, rate);
      sent += quiet.length;
    }
    const swapping = session.forceSwap();
    for (let k = 0; k < 5; k++) {
      session.pushAudio(quiet, rate);
      sent += quiet.length;
    }
    await swapping;
  }
  await waitFor('all audio delivered', () => sim.stats.audioBytesReceived - startBytes >= sent, 20_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(sim.stats.audioBytesReceived - startBytes, sent, 'no byte lost or sent twice');
  assert.equal(session.counters.swaps, 20);
  assert.equal(session.counters.audioFramesDropped, 0);
  assert.equal(socket.ofType('session_failed').length, 0);
  await session.endSession({ byClient: true, reason: 'test' });
});
