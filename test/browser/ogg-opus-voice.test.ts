import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChatModelServer, type ChatModelServer } from '../support/chat-model-server.js';
import { startCosyVoiceServer, type CosyVoiceServer } from '../support/cosyvoice-server.js';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, startNeko, type Services, type TestBrowser } from '../support/browser.js';
import { http, waitFor } from '../support/services.js';

/**
 * A cloned voice speaks through CosyVoice, whose audio is an Ogg/Opus stream: main passes the pages through and
 * the page decodes them (WASM, in a worker) and plays them. The reply comes from a local OpenAI-compatible model
 * server (text, so TTS speaks it), CosyVoice from a local server speaking DashScope's protocol with real Opus.
 */
let neko: Services;
let chromium: TestBrowser;
let model: ChatModelServer;
let cosy: CosyVoiceServer;
const VOICE = 'cosyvoice-v3.5-plus-neko-4f2a9c';

before(async () => {
  ensureWebBuilt();
  model = await startChatModelServer(() => ({ content: 'Hello! I am speaking with a cloned voice today. Can you hear me?' }));
  cosy = await startCosyVoiceServer();
  neko = await startNeko({ NEKO_DASHSCOPE_WS_BASE: cosy.base });
  const origin = { origin: neko.main.url };
  const core = await http(`${neko.main.url}/api/config/core_api`, {
    method: 'POST',
    headers: origin,
    json: { coreApi: 'local', assistApi: 'qwen', assistApiKeyQwen: 'sk-cosy-test', enableCustomApi: true, conversationModelUrl: model.baseUrl, conversationModelId: 'test-chat' },
  });
  assert.equal(core.status, 200, JSON.stringify(core.body));
  const voice = await http(`${neko.main.url}/api/characters/voices`, { method: 'POST', headers: origin, json: { voice_id: VOICE, voice_data: { prefix: 'neko', provider: 'cosyvoice' } } });
  assert.equal(voice.status, 200, JSON.stringify(voice.body));
  const current = (await http(`${neko.main.url}/api/characters/current_catgirl`)).body.current_catgirl as string;
  const bound = await http(`${neko.main.url}/api/characters/catgirl/voice_id/${encodeURIComponent(current)}`, { method: 'PUT', headers: origin, json: { voice_id: VOICE } });
  assert.equal(bound.status, 200, JSON.stringify(bound.body));
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
  await cosy?.close();
  await model?.close();
});

test('Ogg/Opus speech from CosyVoice is decoded and played: the whole stream is scheduled and the mouth moves', { timeout: 90_000 }, async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const { page, problems } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
  await page.fill('#message-input', 'Say something in your new voice');
  await page.click('.send-button');

  await waitFor('CosyVoice to finish the task', () => cosy.tasks.some((t) => t.messages.some((m) => m.header.action === 'finish-task') && t.frames.length > 0), 40_000);
  const task = cosy.tasks.at(-1)!;
  assert.equal(task.messages[0]!.payload.parameters.voice, VOICE);
  assert.match(task.authorization ?? '', /sk-cosy-test/);

  // Every page the server made was decoded: the scheduled audio is as long as what was said.
  let maxMouth = 0;
  await waitFor('the decoded speech to be scheduled', async () => {
    const s = await nekoState(page);
    maxMouth = Math.max(maxMouth, s.avatar.mouthOpen);
    return s.audio.oggChunks > 0 && s.audio.scheduledSeconds > 2;
  }, 30_000);
  const spoken = task.sentences.join(' ');
  assert.match(spoken, /cloned voice/);
  await waitFor('the mouth to move with the decoded speech', async () => {
    maxMouth = Math.max(maxMouth, (await nekoState(page)).avatar.mouthOpen);
    return maxMouth > 0.1;
  }, 15_000);
  const state = await nekoState(page);
  assert.equal(state.audio.skippedChunks, 0, 'no frame failed to decode');
  assert.ok(state.audio.contextState === 'running', `AudioContext is ${state.audio.contextState}`);
  assert.deepEqual(problems.problems, []);
  await context.close();
});
