import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder, replyAudio, spokenUtterance, streamPcm, TINY_JPEG_BASE64, until } from '../../../test/support/provider-recorder.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { pcm16DurationSec, pcm16Rms } from '../sim/wav.js';
import { ProviderError } from './errors.js';
import { GeminiLiveClient } from './gemini-live.js';

const MODEL = 'gemini-2.5-flash-native-audio-preview-12-2025';
const INSTRUCTIONS = 'You are Neko, a cheerful cat girl.';

let sim: SimServer;
before(async () => {
  sim = await startSimServer({ badKeys: ['bad-key'], pacing: { audioIntervalMs: 10, textIntervalMs: 5 } });
});
after(() => sim.close());

async function open(apiKey = 'test-key') {
  const client = new GeminiLiveClient({ url: sim.geminiUrl, model: MODEL, apiKey, connectTimeoutMs: 5_000 });
  const rec = new EventRecorder(client);
  await client.connect({ instructions: INSTRUCTIONS, audioOutput: true });
  return { client, rec };
}

describe('Gemini Live client against the sim', () => {
  it('sends the setup and answers a text turn with transcript text and real 24 kHz speech', async (t) => {
    const { client, rec } = await open();
    try {
      const session = sim.sessions().find((s) => s.protocol === 'gemini')!;
      assert.equal(session.config.model, `models/${MODEL}`);
      assert.deepEqual(session.config.systemInstruction, { parts: [{ text: INSTRUCTIONS }] });
      const sentAt = Date.now();
      client.sendText('what time is it');
      const done = await rec.waitFor('response_done');
      t.diagnostic(`gemini: first audio ${rec.of('audio')[0]!.at - sentAt} ms after sendText`);
      assert.equal(done.payload.cancelled, false);
      assert.match(done.payload.text, /^It's \d{1,2}:\d{2}/);
      const texts = rec.of('text');
      assert.ok(texts.every((e) => e.payload.source === 'transcript'));
      assert.deepEqual(texts.map((e) => e.payload.first), texts.map((_, i) => i === 0));
      const pcm = replyAudio(rec, done.payload.responseId);
      assert.ok(pcm16Rms(pcm) > 1000);
      const seconds = pcm16DurationSec(pcm, 24000);
      assert.ok(seconds > 0.5 && seconds < 4, `${seconds} s`);
    } finally {
      await client.close();
    }
  });

  it('hears a spoken turn and releases the transcript before the reply starts', async () => {
    const { client, rec } = await open();
    try {
      streamPcm(client, await spokenUtterance('what time is it', 16000), 16000);
      const done = await rec.waitFor('response_done');
      assert.match(done.payload.text, /^It's /);
      const order = rec.events.filter((e) => e.type !== 'audio' && e.type !== 'text').map((e) => e.type);
      assert.deepEqual(order, ['input_transcript', 'response_started', 'response_done'], 'Gemini has no speech events of its own');
      assert.equal(rec.of('input_transcript')[0]!.payload.text, 'what time is it');
    } finally {
      await client.close();
    }
  });

  it('barge-in: the server interrupts the reply, which ends cancelled with no more output', async () => {
    const { client, rec } = await open();
    try {
      client.sendText('tell me a joke');
      const first = await rec.waitFor('response_started');
      await rec.waitFor('audio');
      streamPcm(client, await spokenUtterance('hello neko', 16000), 16000);
      const cancelled = await rec.waitFor('response_done', (p) => p.responseId === first.payload.responseId);
      assert.equal(cancelled.payload.cancelled, true);
      const next = await rec.waitFor('response_started', (p) => p.responseId !== first.payload.responseId);
      const between = rec.events.slice(rec.indexOf(cancelled), rec.indexOf(next));
      assert.deepEqual(between.filter((e) => e.type === 'audio' || e.type === 'text'), []);
      assert.equal((await rec.waitFor('input_transcript')).payload.text, 'hello neko');
      assert.match((await rec.waitFor('response_done', (p) => p.responseId === next.payload.responseId)).payload.text, /^Hello!/);
    } finally {
      await client.close();
    }
  });

  it('interrupt() ends the reply at once and drops what the server still sends for it', async () => {
    const { client, rec } = await open();
    try {
      const completedBefore = sim.stats.responsesCompleted;
      client.sendText('tell me a joke');
      await rec.waitFor('audio');
      client.interrupt();
      const done = rec.events.at(-1)!;
      assert.equal(done.type, 'response_done');
      assert.equal(done.type === 'response_done' && done.payload.cancelled, true);
      await until(() => sim.stats.responsesCompleted === completedBefore + 1, 10_000, 'the sim to finish the joke');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(rec.events.at(-1), done, 'nothing of the dropped turn arrived after interrupt()');
    } finally {
      await client.close();
    }
  });

  it('a silent prime only adds context; a non-silent one gets a reply', async () => {
    const { client, rec } = await open();
    try {
      const startedBefore = sim.stats.responsesStarted;
      client.createResponse('The user likes cats.', { silent: true });
      client.createResponse('The agent finished the task.', { silent: false });
      const done = await rec.waitFor('response_done');
      assert.match(done.payload.text, /agent finished the task/i);
      assert.equal(sim.stats.responsesStarted, startedBefore + 1, 'the silent prime generated nothing');
      assert.equal(rec.events[0]!.type, 'response_started');
    } finally {
      await client.close();
    }
  });

  it('forwards camera frames as realtime video input', async () => {
    const { client, rec } = await open();
    try {
      const before = sim.stats.imagesReceived;
      client.sendImage(TINY_JPEG_BASE64);
      client.sendText('hello');
      const done = await rec.waitFor('response_done');
      assert.equal(sim.stats.imagesReceived, before + 1);
      assert.match(done.payload.text, /picture/);
    } finally {
      await client.close();
    }
  });

  it('reports a dropped socket as a fatal error and closed{byServer:true}', async () => {
    const { client, rec } = await open();
    sim.dropConnections();
    const closed = await rec.waitFor('closed');
    assert.deepEqual([closed.payload.byServer, closed.payload.code], [true, 1006]);
    assert.deepEqual(rec.of('error').map((e) => [e.payload.code, e.payload.fatal]), [['CONNECTION_CLOSED_ABNORMAL', true]]);
    await client.close();
  });

  it('rejects a bad key (close 1007 "API key not valid") with API_KEY_REJECTED', async () => {
    const client = new GeminiLiveClient({ url: sim.geminiUrl, model: MODEL, apiKey: 'bad-key', connectTimeoutMs: 5_000 });
    await assert.rejects(client.connect({ instructions: INSTRUCTIONS, audioOutput: true }), (err: unknown) => {
      assert.ok(err instanceof ProviderError);
      assert.equal(err.code, 'API_KEY_REJECTED');
      return true;
    });
  });
});
