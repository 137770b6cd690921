import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCoreConfig, type CoreConfigFile } from '../../shared/config/core-config.js';
import { LOCAL_TTS_BUCKET, type VoiceStorage } from '../../shared/config/voice-storage.js';
import { chooseTtsEngine, speaksWithOwnVoice, type TtsChoiceInput } from './select-engine.js';

const KEY = 'sk-qwen-test';

function input(file: CoreConfigFile, voiceId = '', voices: VoiceStorage = {}): TtsChoiceInput {
  return { resolved: resolveCoreConfig(file, {}), coreFile: file, voices, voiceId, character: 'Lan' };
}

/** The chosen engine's own name, looking through the espeak-ng fallback wrapper. */
function chosen(i: TtsChoiceInput): { engine: string; own: boolean } {
  const { engine } = chooseTtsEngine(i);
  return { engine: engine.name.split('→')[0]!, own: speaksWithOwnVoice(i) };
}

const qwen: CoreConfigFile = { coreApi: 'qwen', coreApiKey: KEY };
const cloned: VoiceStorage = { [KEY]: { 'cosyvoice-v2-prefix-abc': {}, 'voice-lan': { prefix: 'lan' } }, 'sk-other': { 'voice-other': {} } };

test('engine choice follows sessions.md §8: custom server, cloned voice, provider TTS, espeak-ng', () => {
  const custom = { ...qwen, enableCustomApi: true, ttsModelUrl: 'http://127.0.0.1:9880' };
  assert.deepEqual(chosen(input(custom, 'gsv:lan')), { engine: 'gpt-sovits', own: true });
  assert.deepEqual(chosen(input(custom)), { engine: 'custom-tts', own: true });
  assert.deepEqual(chosen(input(qwen, 'voice-lan', cloned)), { engine: 'cosyvoice', own: true });
  assert.deepEqual(chosen(input(qwen)), { engine: 'qwen-tts', own: false });
  assert.deepEqual(chosen(input({ coreApi: 'openai', coreApiKey: 'sk-o' })), { engine: 'openai', own: false });
  assert.deepEqual(chosen(input({ coreApi: 'qwen' })), { engine: 'espeak-ng', own: false }, 'no key: offline');
  assert.deepEqual(chosen(input({ coreApi: 'sim' })), { engine: 'espeak-ng', own: false });
});

test('a stale voice binding is no own voice: the provider speaks natively, and the realtime model keeps its audio', () => {
  // Registered under another API key, a legacy CosyVoice id, an id no library knows, gsv: without a local server.
  for (const stale of ['voice-other', 'cosyvoice-v2-prefix-abc', 'voice-gone']) {
    assert.deepEqual(chosen(input(qwen, stale, cloned)), { engine: 'qwen-tts', own: false }, stale);
  }
  assert.deepEqual(chosen(input(qwen, 'gsv:lan', cloned)), { engine: 'qwen-tts', own: false });
  const remote = { ...qwen, enableCustomApi: true, ttsModelUrl: 'http://192.0.2.7:9880' };
  assert.deepEqual(chosen(input(remote, 'gsv:lan')), { engine: 'qwen-tts', own: false }, 'GPT-SoVITS only on this machine');
  const rejected: VoiceStorage = { [KEY]: { 'voice-lan': { status: 'undeployed' }, 'voice-new': { status: 'deploying' } } };
  assert.deepEqual(chosen(input(qwen, 'voice-lan', rejected)), { engine: 'qwen-tts', own: false }, 'a clone DashScope rejected');
  assert.deepEqual(chosen(input(qwen, 'voice-new', rejected)), { engine: 'cosyvoice', own: true }, 'one still deploying may be ready');
  // A local-TTS voice is not a cloud clone either.
  assert.deepEqual(chosen(input(qwen, 'voice-local', { [LOCAL_TTS_BUCKET]: { 'voice-local': {} } })), { engine: 'qwen-tts', own: false });
});
