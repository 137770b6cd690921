import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveCoreConfig } from '../../shared/config/core-config.js';
import { EventRecorder } from '../../../test/support/provider-recorder.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { ChatCompletionsClient } from './chat-completions.js';
import { GeminiLiveClient } from './gemini-live.js';
import { GlmRealtimeClient } from './glm.js';
import { probeLocalServers } from './local-servers.js';
import { OpenAiRealtimeClient } from './openai-realtime.js';
import { QwenOmniClient } from './qwen-omni.js';
import { createProvider, type SelectOptions } from './select.js';
import { StepRealtimeClient } from './step.js';

let sim: SimServer;
let fakeLocal: Server;
let fakeLocalUrl: string;
let modelsHits = 0;

before(async () => {
  sim = await startSimServer({ pacing: { audioIntervalMs: 5, textIntervalMs: 2 } });
  // A stand-in for Ollama/LM Studio: answers /v1/models like they do.
  fakeLocal = createServer((req, res) => {
    if (req.url === '/v1/models') {
      modelsHits += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'llama3.2:3b', object: 'model' }] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => fakeLocal.listen(0, '127.0.0.1', r));
  fakeLocalUrl = `http://127.0.0.1:${(fakeLocal.address() as AddressInfo).port}/v1`;
});
after(async () => {
  await sim.close();
  await new Promise<void>((r) => fakeLocal.close(() => r()));
});

const noLocal: SelectOptions['probeLocal'] = async () => null;
const opts = (extra: Partial<SelectOptions> = {}): SelectOptions => ({ sim: async () => sim, probeLocal: noLocal, ...extra });

describe('provider selection', () => {
  it('audio mode with a keyed provider and no key falls back to the sim, says so, and the sim answers', async () => {
    const resolved = resolveCoreConfig({ coreApi: 'qwen' }, {});
    assert.equal(resolved.coreKeyMissing, true);
    const { provider, notice } = await createProvider(resolved, 'audio', opts());
    assert.equal(provider.provider, 'sim');
    assert.match(notice ?? '', /No API key is set for Qwen-Omni.*offline demo \(sim\)/);
    const rec = new EventRecorder(provider);
    await provider.connect({ instructions: 'You are Neko.', audioOutput: true });
    provider.sendText('hello');
    const done = await rec.waitFor('response_done');
    assert.match(done.payload.text, /offline demo/);
    assert.ok(rec.of('audio').length > 0);
    await provider.close();
  });

  it('choosing sim is not a fallback: no notice; text mode gets the chat client on the sim', async () => {
    const resolved = resolveCoreConfig({ coreApi: 'sim' }, {});
    const audio = await createProvider(resolved, 'audio', opts());
    assert.deepEqual([audio.provider.provider, audio.notice, audio.provider instanceof OpenAiRealtimeClient], ['sim', null, true]);
    const text = await createProvider(resolved, 'text', opts());
    assert.deepEqual([text.provider.provider, text.notice, text.provider instanceof ChatCompletionsClient], ['sim', null, true]);
    const rec = new EventRecorder(text.provider);
    await text.provider.connect({ instructions: 'x', audioOutput: false });
    text.provider.sendText('what time is it');
    assert.match((await rec.waitFor('response_done')).payload.text, /^It's/);
    await text.provider.close();
  });

  it('keyed realtime providers get the client of their dialect', async () => {
    const cases: Array<[string, new (...a: never[]) => unknown]> = [
      ['openai', OpenAiRealtimeClient], ['qwen', QwenOmniClient], ['glm', GlmRealtimeClient], ['step', StepRealtimeClient], ['gemini', GeminiLiveClient],
    ];
    for (const [coreApi, cls] of cases) {
      const { provider, notice } = await createProvider(resolveCoreConfig({ coreApi, coreApiKey: 'sk-test' }, {}), 'audio', opts());
      assert.ok(provider instanceof cls, coreApi);
      assert.equal(provider.provider, coreApi);
      assert.equal(notice, null);
    }
  });

  it('text mode with a key uses the assist provider conversation model', async () => {
    const resolved = resolveCoreConfig({ coreApi: 'openai', assistApi: 'openai', coreApiKey: 'sk-test' }, {});
    const { provider, notice } = await createProvider(resolved, 'text', opts());
    assert.ok(provider instanceof ChatCompletionsClient);
    assert.equal(provider.provider, 'openai');
    assert.equal(notice, null);
  });

  it('text mode without a key finds a local OpenAI-compatible server and says which', async () => {
    const resolved = resolveCoreConfig({ coreApi: 'qwen', assistApi: 'qwen' }, {});
    const hitsBefore = modelsHits;
    const { provider, notice } = await createProvider(resolved, 'text', opts({
      probeLocal: () => probeLocalServers([{ name: 'Fake Ollama', baseUrl: fakeLocalUrl }], 500),
    }));
    assert.ok(provider instanceof ChatCompletionsClient);
    assert.equal(provider.provider, 'local');
    assert.match(notice ?? '', new RegExp(`No API key is set for .*; using Fake Ollama at ${fakeLocalUrl.replace(/[.]/g, '\\.')} \\(model llama3\\.2:3b\\)`));
    assert.equal(modelsHits, hitsBefore + 1);
  });

  it('text mode without a key and no local server falls back to the sim with a notice', async () => {
    const resolved = resolveCoreConfig({ coreApi: 'qwen', assistApi: 'qwen' }, {});
    const { provider, notice } = await createProvider(resolved, 'text', opts());
    assert.equal(provider.provider, 'sim');
    assert.match(notice ?? '', /no local model server answered; using the offline demo \(sim\)/);
  });

  it('the text-mode length guard from the config reaches the chat client, the sim\'s too', async () => {
    const { provider } = await createProvider(resolveCoreConfig({ coreApi: 'sim', textGuardMaxLength: 3 }, {}), 'text', opts());
    const rec = new EventRecorder(provider);
    await provider.connect({ instructions: 'You are Neko.', audioOutput: false });
    provider.sendText('who are you');
    const done = await rec.waitFor('response_done');
    assert.equal(done.payload.text, '', 'every attempt was longer than 3 units');
    assert.deepEqual(rec.of('response_discarded').map((e) => e.payload.reason), ['length>3', 'length>3', 'length>3']);
    await provider.close();
  });

  it('probing takes the first candidate that answers, in priority order, within the timeout', async () => {
    const dead = 'http://127.0.0.1:9/v1'; // discard port: nothing listens
    const found = await probeLocalServers([{ name: 'Dead', baseUrl: dead }, { name: 'Fake', baseUrl: fakeLocalUrl }, { name: 'Sim', baseUrl: `${sim.url}/v1` }], 500);
    assert.deepEqual(found, { name: 'Fake', baseUrl: fakeLocalUrl, model: 'llama3.2:3b' });
    assert.equal(await probeLocalServers([{ name: 'Dead', baseUrl: dead }], 300), null);
  });
});
