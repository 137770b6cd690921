import { randomUUID } from 'node:crypto';
import type { ResolvedCoreConfig } from '../../shared/config/core-config.js';
import { CHARACTERS_KEY } from '../../shared/config/characters.js';
import type { ConfigStore } from '../../shared/config/store.js';
import { isLegacyVoiceId, isRejectedVoice, LOCAL_TTS_BUCKET, voicesFor, type VoiceStorage } from '../../shared/config/voice-storage.js';
import type { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import { checkLoopbackHttpUrl } from '../net/loopback-url.js';
import { COSYVOICE_PATH, CosyVoiceEngine } from './cosyvoice-engine.js';
import { clonedVoiceKey } from './dashscope-voice-enrollment.js';
import type { TtsEngine } from './engine.js';
import { EspeakEngine, espeakVoiceFor } from './espeak-engine.js';
import { FallbackTts } from './fallback-tts.js';
import { GeminiTtsEngine } from './gemini-tts-engine.js';
import { GptSovitsEngine } from './gpt-sovits-engine.js';
import { QWEN_TTS_PATH, QwenRealtimeTtsEngine } from './qwen-realtime-tts-engine.js';
import { SpeechApiEngine } from './speech-api-engine.js';
import type { SpeechOutput } from './speech-output.js';
import { PooledSpeechResampler } from './speech-resampler.js';
import { TtsPipeline } from './tts-pipeline.js';

/** What engine choice depends on, read from the config files (kept plain so the rules are unit-testable). */
export interface TtsChoiceInput {
  resolved: ResolvedCoreConfig;
  /** core_config.json: custom TTS fields (`ttsModelUrl|Id|ApiKey`) and `enableCustomApi`. */
  coreFile: Record<string, unknown>;
  voices: VoiceStorage;
  /** The character's `_reserved.voice_id` ('' when none). */
  voiceId: string;
  character: string;
}

/** Which engine speaks and why (the reason goes to the log). */
export interface TtsChoice {
  engine: TtsEngine;
  reason: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** The user's own TTS server (`ttsModelUrl` with the custom API on), or '' when there is none. */
function customTtsUrl(coreFile: Record<string, unknown>): string {
  const url = coreFile.enableCustomApi === true ? str(coreFile.ttsModelUrl) : '';
  return /^https?:/i.test(url) ? url : '';
}

/** Where a character's own voice comes from, if it has one that can be used now. */
type OwnVoice = { kind: 'gpt-sovits'; url: string } | { kind: 'speech-server'; url: string } | { kind: 'cloned' };

/**
 * The character's own voice under the current config, or null. A stale binding (a legacy CosyVoice id, a voice
 * registered under another API key, `gsv:` without a local custom server) counts as none: the provider's
 * native voice speaks instead. The binding stays in the file, for when that key or server is back.
 */
function ownVoice(input: TtsChoiceInput): OwnVoice | null {
  const { resolved, coreFile, voiceId } = input;
  const customUrl = customTtsUrl(coreFile);
  if (customUrl) {
    if (!voiceId.startsWith('gsv:')) return { kind: 'speech-server', url: customUrl };
    const local = checkLoopbackHttpUrl(customUrl);
    if (local.ok) return { kind: 'gpt-sovits', url: local.url };
  }
  const cloudVoices = voicesFor({ ...input.voices, [LOCAL_TTS_BUCKET]: {} }, resolved.assistApiKey);
  const clone = voiceId && !voiceId.startsWith('gsv:') && !isLegacyVoiceId(voiceId) && Object.hasOwn(cloudVoices, voiceId) ? cloudVoices[voiceId] : undefined;
  if (clone && !isRejectedVoice(clone)) return { kind: 'cloned' };
  return null;
}

/**
 * The spec's rules (sessions.md §8), in order: a custom TTS server (GPT-SoVITS for `gsv:` voices, else an
 * OpenAI-compatible speech server); a cloned voice → CosyVoice; otherwise the core provider's own TTS;
 * otherwise espeak-ng. Every networked engine is wrapped in FallbackTts so espeak-ng speaks when it fails.
 */
export function chooseTtsEngine(input: TtsChoiceInput): TtsChoice {
  const espeak = new EspeakEngine(espeakVoiceFor(input.character));
  const withFallback = (engine: TtsEngine, reason: string): TtsChoice => ({ engine: new FallbackTts(engine, espeak), reason });
  const { resolved, coreFile, voiceId } = input;

  const own = ownVoice(input);
  if (own?.kind === 'gpt-sovits') return withFallback(new GptSovitsEngine({ baseUrl: own.url, voice: voiceId }), 'custom GPT-SoVITS server');
  if (own?.kind === 'speech-server') {
    const engine = new SpeechApiEngine({
      name: 'custom-tts',
      baseUrl: own.url,
      apiKey: str(coreFile.ttsModelApiKey) || 'local',
      model: str(coreFile.ttsModelId) || 'tts-1',
      voice: voiceId || str(coreFile.ttsVoiceId) || 'alloy',
      responseFormat: 'wav',
    });
    return withFallback(engine, 'custom OpenAI-compatible speech server');
  }
  if (own?.kind === 'cloned') {
    const key = clonedVoiceKey(coreFile, resolved.assistApiKey);
    return withFallback(new CosyVoiceEngine({ apiKey: key, voice: voiceId, url: `${resolved.dashscopeWsBase}${COSYVOICE_PATH}` }), 'cloned voice (CosyVoice)');
  }

  if (resolved.coreKeyMissing) return { engine: espeak, reason: 'no API key for the core provider' };
  const key = resolved.coreApiKey;
  switch (resolved.coreApi) {
    case 'qwen':
      return withFallback(new QwenRealtimeTtsEngine({ apiKey: key, url: `${resolved.dashscopeWsBase}${QWEN_TTS_PATH}` }), 'Qwen realtime TTS');
    case 'openai':
      return withFallback(
        new SpeechApiEngine({ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: key, model: 'gpt-4o-mini-tts', voice: 'marin', responseFormat: 'pcm' }),
        'OpenAI speech',
      );
    case 'step':
      return withFallback(
        new SpeechApiEngine({
          name: 'step', baseUrl: 'https://api.stepfun.com/v1', apiKey: key, model: 'step-tts-mini', voice: 'cixingnansheng',
          responseFormat: 'pcm', pcmSampleRate: 24_000, extraBody: { sample_rate: 24_000 },
        }),
        'StepFun speech',
      );
    case 'glm':
      return withFallback(
        new SpeechApiEngine({ name: 'glm', baseUrl: 'https://open.bigmodel.cn/api/paas/v4', apiKey: key, model: 'glm-tts', voice: 'tongtong', responseFormat: 'wav' }),
        'Zhipu GLM-TTS',
      );
    case 'gemini':
      return withFallback(new GeminiTtsEngine({ apiKey: key }), 'Gemini TTS');
    default:
      // sim, local, free (its TTS protocol is not public): the offline engine.
      return { engine: espeak, reason: `no documented TTS for provider "${resolved.coreApi}"` };
  }
}

/** What engine choice reads, for `character`, from the config files as they are now. */
function choiceInput(config: ConfigStore, character: string): TtsChoiceInput {
  return {
    resolved: config.resolvedCore(),
    coreFile: config.coreFile(),
    voices: config.voices(),
    voiceId: str(config.characters()[CHARACTERS_KEY][character]?._reserved?.voice_id),
    character,
  };
}

/**
 * Whether the character speaks with its own voice rather than the realtime model's (sessions.md §5.1 step 7):
 * a usable bound voice, or a custom TTS server. Then the realtime model runs text-only.
 */
export function speaksWithOwnVoice(input: TtsChoiceInput): boolean {
  return ownVoice(input) !== null;
}

export function hasCustomVoice(config: ConfigStore, character: string): boolean {
  return speaksWithOwnVoice(choiceInput(config, character));
}

/**
 * The SpeechOutput for one character's session: reads the config now (a session keeps the voice it started
 * with; voice changes restart the session), picks the engine, and converts its audio on the worker pool.
 */
export function createSpeechOutput(config: ConfigStore, character: string, pool: AudioWorkerPool, onWarning?: (message: string) => void): SpeechOutput {
  const { engine } = chooseTtsEngine(choiceInput(config, character));
  // A per-pipeline suffix keeps an ending session's streams apart from its successor's.
  return new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `${character}:${randomUUID().slice(0, 8)}`), onWarning });
}
