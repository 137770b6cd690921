import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { brainReply } from './brain.js';
import { splitReply } from './reply-chunks.js';
import { dialectForModel } from './realtime-session.js';
import { startSimServer, type SimServer } from './server.js';
import { synthesizeSpeech } from './speech.js';
import { transcribeUtterance } from './transcribe.js';
import { EnergyVad, type VadEvent } from './vad.js';
import { pcm16DurationSec, pcm16Rms } from './wav.js';

const silence = (rate: number, seconds: number) => Buffer.alloc(Math.round(rate * seconds) * 2);

describe('sim building blocks', () => {
  it('espeak-ng + sox give real speech at the requested rate', async () => {
    const pcm = await synthesizeSpeech('hello neko, what time is it', 24000);
    const seconds = pcm16DurationSec(pcm, 24000);
    assert.ok(seconds > 1 && seconds < 4, `${seconds} s`);
    assert.ok(pcm16Rms(pcm) > 1000);
    const at16k = await synthesizeSpeech('hello neko, what time is it', 16000);
    assert.ok(Math.abs(pcm16DurationSec(at16k, 16000) - seconds) < 0.05, 'same speech, other rate');
  });

  it('the energy VAD finds one utterance with its edges, independent of chunking', async () => {
    const rate = 16000;
    const speech = await synthesizeSpeech('what time is it', rate);
    const audio = Buffer.concat([silence(rate, 0.5), speech, silence(rate, 1)]);
    for (const chunk of [320, 1000, audio.length]) {
      const vad = new EnergyVad(rate);
      const events: VadEvent[] = [];
      for (let i = 0; i < audio.length; i += chunk) events.push(...vad.push(audio.subarray(i, i + chunk)));
      assert.deepEqual(events.map((e) => e.kind), ['speech_started', 'speech_stopped'], `chunk ${chunk}`);
      const stopped = events[1] as Extract<VadEvent, { kind: 'speech_stopped' }>;
      assert.ok(Math.abs(events[0]!.atMs - 500) <= 60, `starts near 500 ms (${events[0]!.atMs})`);
      const speechSeconds = pcm16DurationSec(speech, rate);
      assert.ok(Math.abs(stopped.speechSeconds - speechSeconds) < 0.35, `${stopped.speechSeconds} vs ${speechSeconds}`);
      assert.ok(stopped.utterance.length >= speech.length, 'the utterance keeps the prefix and all speech');
    }
    const quiet = new EnergyVad(rate);
    assert.deepEqual(quiet.push(silence(rate, 2)), []);
  });

  it('pocketsphinx recognises known phrases and says honestly when it cannot', async () => {
    const known = await synthesizeSpeech('can you hear me', 16000);
    assert.equal(await transcribeUtterance(known, 16000, pcm16DurationSec(known, 16000)), 'can you hear me');
    const at24k = await synthesizeSpeech('what time is it', 24000);
    assert.equal(await transcribeUtterance(at24k, 24000, pcm16DurationSec(at24k, 24000)), 'what time is it');
    const unknown = await synthesizeSpeech('the quick brown fox jumps over the lazy dog near the river bank', 16000);
    const seconds = pcm16DurationSec(unknown, 16000);
    assert.equal(await transcribeUtterance(unknown, 16000, seconds), `(${seconds.toFixed(1)} s of speech)`);
  });

  it('the brain is short, honest and answers what it knows', () => {
    const now = new Date(2025, 0, 1, 15, 4);
    assert.equal(brainReply({ heard: 'What time is it?', via: 'text', newImages: 0, now }), "It's 3:04 PM.");
    assert.match(brainReply({ heard: 'hello neko', via: 'speech', newImages: 0 }), /^Hello! I'm neko's offline demo; a real model provider is not configured\.$/);
    assert.match(brainReply({ heard: 'Explain quantum physics', via: 'text', newImages: 0 }), /^You wrote: Explain quantum physics\. I'm neko's offline demo/);
    assert.match(brainReply({ heard: '(2.4 s of speech)', via: 'speech', newImages: 0 }), /^I heard you speak 2\.4 s, but I could not make out the words/);
    assert.match(brainReply({ heard: 'hi', via: 'text', newImages: 3 }), /I received 3 pictures, but I can't look at them\.$/);
    assert.equal(brainReply({ heard: null, via: 'text', newImages: 0 }), 'Okay, noted.');
  });

  it('reply chunks cover the audio and the text exactly once, in order', () => {
    const pcm = Buffer.alloc(24000 * 2 * 1.05); // 1.05 s
    const chunks = splitReply(pcm, 'one two three four five', 24000, 100);
    assert.equal(chunks.length, 11);
    assert.equal(Buffer.concat(chunks.map((c) => c.pcm)).length, pcm.length);
    assert.equal(chunks.map((c) => c.text).join(''), 'one two three four five');
    assert.ok(chunks[0]!.text.length > 0 && chunks.at(-1)!.pcm.length === 2400);
  });

  it('picks the dialect by model name in the original order', () => {
    assert.deepEqual(
      ['glm-realtime-air', 'qwen3-omni-flash-realtime', 'gpt-realtime', 'step-audio-2', 'free-model', 'sim-realtime', 'qwen-gpt-mix'].map(dialectForModel),
      ['glm', 'qwen', 'gpt', 'step', 'qwen', 'gpt', 'qwen'],
    );
  });
});

describe('sim HTTP and WebSocket endpoints', () => {
  let sim: SimServer;
  before(async () => {
    sim = await startSimServer({ badKeys: ['bad-key'], pacing: { audioIntervalMs: 5 } });
  });
  after(() => sim.close());

  it('lists its models and answers non-streaming chat completions', async () => {
    const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(models.data.map((m) => m.id), ['sim-chat', 'gpt-sim-realtime']);
    const res = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'thank you' }] }),
    });
    const body = (await res.json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0]!.message.content, "You're welcome!");
    assert.equal(body.choices[0]!.finish_reason, 'stop');
  });

  it('rejects bad or missing keys the way OpenAI does', async () => {
    for (const headers of [{ authorization: 'Bearer bad-key' }, {}] as Array<Record<string, string>>) {
      const res = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers, body: '{}' });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    }
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${sim.realtimeUrl}?model=qwen3-omni-flash-realtime`, { headers: { Authorization: 'Bearer bad-key' } });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => {});
    });
    assert.equal(status, 401);
  });

  it('speaks each dialect’s event names: GA for gpt, beta for qwen', async () => {
    const firstAudioEvent = (model: string) =>
      new Promise<string[]>((resolve, reject) => {
        const ws = new WebSocket(`${sim.realtimeUrl}?model=${model}`, { headers: { Authorization: 'Bearer k' } });
        const types: string[] = [];
        ws.on('message', (data) => {
          const event = JSON.parse(data.toString()) as { type: string };
          types.push(event.type);
          if (event.type === 'session.created') {
            ws.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } }));
            ws.send(JSON.stringify({ type: 'response.create' }));
          }
          if (event.type === 'response.done') {
            ws.close();
            resolve(types);
          }
        });
        ws.on('error', reject);
      });
    const ga = await firstAudioEvent('gpt-realtime');
    assert.ok(ga.includes('conversation.item.added') && ga.includes('response.output_audio.delta') && ga.includes('response.output_audio_transcript.done'));
    assert.ok(!ga.includes('response.audio.delta'));
    const beta = await firstAudioEvent('qwen3-omni-flash-realtime');
    assert.ok(beta.includes('conversation.item.created') && beta.includes('response.audio.delta') && beta.includes('response.audio_transcript.delta'));
    assert.ok(!beta.includes('response.output_audio.delta'));
  });
});
