import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventRecorder, replyAudio, spokenUtterance, streamPcm, TINY_JPEG_BASE64, until,
} from '../../../test/support/provider-recorder.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { pcm16DurationSec, pcm16Rms } from '../sim/wav.js';
import { ProviderError } from './errors.js';
import { GlmRealtimeClient } from './glm.js';
import { OpenAiRealtimeClient } from './openai-realtime.js';
import { QwenOmniClient } from './qwen-omni.js';
import type { RealtimeEndpoint } from './realtime-ws-client.js';
import type { RealtimeWsClient } from './realtime-ws-client.js';
import { StepRealtimeClient } from './step.js';

/**
 * Every OpenAI-style realtime client against the sim speaking its dialect (chosen by model name, as the
 * original did): text and voice turns with real speech, barge-in, silent primes, images, drops, bad keys.
 */
const INSTRUCTIONS = 'You are Neko, a cheerful cat girl.';

interface Case {
  name: string;
  model: string;
  vision: boolean;
  make(e: RealtimeEndpoint): RealtimeWsClient;
}

const CASES: Case[] = [
  { name: 'openai', model: 'gpt-realtime-mini-2025-12-15', vision: true, make: (e) => new OpenAiRealtimeClient(e) },
  { name: 'qwen', model: 'qwen3-omni-flash-realtime-2025-12-01', vision: true, make: (e) => new QwenOmniClient(e) },
  { name: 'glm', model: 'glm-realtime-air', vision: true, make: (e) => new GlmRealtimeClient(e) },
  { name: 'step', model: 'step-audio-2', vision: false, make: (e) => new StepRealtimeClient(e) },
];

let sim: SimServer;
before(async () => {
  // Deltas every 10 ms keep the suite quick while replies still stream over many events; replies go on
  // for 40 ms after response.cancel, so clients must drop in-flight deltas themselves.
  sim = await startSimServer({ badKeys: ['bad-key'], pacing: { audioIntervalMs: 10, textIntervalMs: 5, cancelDelayMs: 40 } });
});
after(() => sim.close());

/** Speech is 24 kHz PCM16: a spoken reply of `words` words lasts roughly 0.15–0.8 s per word. */
function assertRealSpeech(pcm: Buffer, text: string): void {
  const words = text.split(/\s+/).filter(Boolean).length;
  const seconds = pcm16DurationSec(pcm, 24000);
  assert.ok(pcm16Rms(pcm) > 1000, `reply audio is loud enough to be speech (rms ${pcm16Rms(pcm).toFixed(0)})`);
  assert.ok(seconds >= words * 0.15 && seconds <= words * 0.8 + 1, `${seconds.toFixed(2)} s of audio for ${words} words`);
}

for (const c of CASES) {
  describe(`${c.name} realtime client against the sim`, () => {
    const open = async (apiKey = 'test-key') => {
      const client = c.make({ url: sim.realtimeUrl, model: c.model, apiKey, connectTimeoutMs: 5_000 });
      const rec = new EventRecorder(client);
      await client.connect({ instructions: INSTRUCTIONS, audioOutput: true });
      return { client, rec };
    };

    it('answers a text turn with streamed text and real 24 kHz speech', async (t) => {
      const { client, rec } = await open();
      try {
        assert.equal(client.provider, c.name);
        assert.equal(client.capabilities.outputSampleRate, 24000);
        const sentAt = Date.now();
        client.sendText('what time is it');
        const started = await rec.waitFor('response_started');
        const done = await rec.waitFor('response_done');
        const firstAudio = rec.of('audio')[0]!;
        t.diagnostic(`${c.name}: first audio ${firstAudio.at - sentAt} ms after sendText, reply done after ${done.at - sentAt} ms`);
        assert.equal(done.payload.responseId, started.payload.responseId);
        assert.equal(done.payload.cancelled, false);
        assert.match(done.payload.text, /^It's \d{1,2}:\d{2}/);
        const texts = rec.of('text');
        assert.equal(texts.map((e) => e.payload.text).join(''), done.payload.text);
        assert.deepEqual(texts.map((e) => e.payload.first), texts.map((_, i) => i === 0));
        assert.ok(rec.of('audio').length >= 3, 'audio arrives as several deltas');
        assertRealSpeech(replyAudio(rec, done.payload.responseId), done.payload.text);
        const session = sim.sessions().find((s) => s.model === c.model)!;
        assert.equal(String(session.config.instructions).startsWith(INSTRUCTIONS), true, 'session.update reached the provider');
      } finally {
        await client.close();
      }
    });

    it('hears a spoken turn: speech_started, speech_stopped, transcript, then the reply', async () => {
      const { client, rec } = await open();
      try {
        streamPcm(client, await spokenUtterance('what time is it', client.capabilities.inputSampleRate), client.capabilities.inputSampleRate);
        const transcript = await rec.waitFor('input_transcript');
        assert.equal(transcript.payload.text, 'what time is it');
        const done = await rec.waitFor('response_done');
        assert.match(done.payload.text, /^It's /);
        const order = rec.events.filter((e) => e.type !== 'audio' && e.type !== 'text').map((e) => e.type);
        assert.deepEqual(order, ['speech_started', 'speech_stopped', 'input_transcript', 'response_started', 'response_done']);
        const firstText = rec.events.findIndex((e) => e.type === 'text');
        assert.ok(rec.indexOf(transcript) < firstText, 'the user transcript comes before the reply text');
        assertRealSpeech(replyAudio(rec, done.payload.responseId), done.payload.text);
      } finally {
        await client.close();
      }
    });

    it('barge-in: speaking during a reply stops its output and ends it as cancelled', async () => {
      const { client, rec } = await open();
      try {
        client.sendText('tell me a joke');
        const first = await rec.waitFor('response_started');
        await rec.waitFor('audio');
        streamPcm(client, await spokenUtterance('hello neko', client.capabilities.inputSampleRate), client.capabilities.inputSampleRate);
        const speech = await rec.waitFor('speech_started');
        const cancelled = await rec.waitFor('response_done', (p) => p.responseId === first.payload.responseId);
        assert.equal(cancelled.payload.cancelled, true);
        const next = await rec.waitFor('response_started', (p) => p.responseId !== first.payload.responseId);
        const afterBargeIn = rec.events.slice(rec.indexOf(speech), rec.indexOf(next));
        assert.deepEqual(afterBargeIn.filter((e) => e.type === 'audio' || e.type === 'text'), [], 'no output of the cancelled reply after speech_started');
        assert.ok(!cancelled.payload.text.includes('mouse'), 'the joke was cut short');
        assert.equal((await rec.waitFor('input_transcript')).payload.text, 'hello neko');
        const answer = await rec.waitFor('response_done', (p) => p.responseId === next.payload.responseId);
        assert.match(answer.payload.text, /^Hello!/);
      } finally {
        await client.close();
      }
    });

    it('interrupt() drops the rest of the reply at once', async () => {
      const { client, rec } = await open();
      try {
        client.sendText('tell me a joke');
        await rec.waitFor('audio');
        client.interrupt();
        const cut = rec.events.length;
        const done = await rec.waitFor('response_done');
        assert.equal(done.payload.cancelled, true);
        assert.deepEqual(rec.events.slice(cut, rec.indexOf(done)).map((e) => e.type), []);
      } finally {
        await client.close();
      }
    });

    it('a silent createResponse produces no events and leaves the instructions as they were', async () => {
      const { client, rec } = await open();
      try {
        const completedBefore = sim.stats.responsesCompleted;
        client.createResponse('The user likes cats.', { silent: true });
        await until(() => sim.stats.responsesCompleted === completedBefore + 1, 10_000, 'the prime reply to finish');
        const session = () => sim.sessions().find((s) => s.model === c.model)!;
        await until(() => String(session().config.instructions).startsWith(INSTRUCTIONS) && !String(session().config.instructions).includes('cats'), 5_000, 'instructions restored');
        client.sendText('hello');
        const done = await rec.waitFor('response_done');
        assert.equal(rec.events[0]!.type, 'response_started', `nothing before the real reply (saw ${rec.summary()})`);
        assert.match(done.payload.text, /^Hello!/);
      } finally {
        await client.close();
      }
    });

    it(c.vision ? 'forwards camera frames in its own image event' : 'has no native vision and sends no image event', async () => {
      const { client, rec } = await open();
      try {
        const before = sim.stats.imagesReceived;
        client.sendImage(TINY_JPEG_BASE64);
        client.sendText('hello');
        const done = await rec.waitFor('response_done');
        assert.equal(sim.stats.imagesReceived - before, c.vision ? 1 : 0);
        assert.equal(done.payload.text.includes('picture'), c.vision);
        assert.equal(client.capabilities.vision, c.vision);
      } finally {
        await client.close();
      }
    });

    it('reports a dropped provider socket as a fatal error and closed{byServer:true}', async () => {
      const { client, rec } = await open();
      sim.dropConnections();
      const closed = await rec.waitFor('closed');
      assert.equal(closed.payload.byServer, true);
      assert.equal(closed.payload.code, 1006);
      const errors = rec.of('error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.payload.code, 'CONNECTION_CLOSED_ABNORMAL');
      assert.equal(errors[0]!.payload.fatal, true);
      await client.close(); // closing again is harmless
      assert.equal(rec.of('closed').length, 1);
    });

    it('rejects a bad key with API_KEY_REJECTED', async () => {
      const client = c.make({ url: sim.realtimeUrl, model: c.model, apiKey: 'bad-key', connectTimeoutMs: 5_000 });
      await assert.rejects(client.connect({ instructions: INSTRUCTIONS, audioOutput: true }), (err: unknown) => {
        assert.ok(err instanceof ProviderError);
        assert.equal(err.code, 'API_KEY_REJECTED');
        assert.equal(err.fatal, true);
        return true;
      });
    });
  });
}
