import type { RealtimeProvider } from '../providers/realtime.js';
import { OpenAiTranscriber } from './openai-transcriber.js';
import { PocketsphinxTranscriber, type PocketsphinxOptions } from './pocketsphinx-transcriber.js';
import { FallbackTranscriber, type Transcriber } from './transcriber.js';
import { VoicePipelineProvider } from './voice-pipeline-provider.js';

/** Where speech-to-text happens. Without `baseUrl`, recognition is offline (pocketsphinx) only. */
export interface SttConfig {
  /** OpenAI-compatible base URL (`https://api.openai.com/v1`, `http://127.0.0.1:8000/v1` for a local whisper). */
  baseUrl?: string;
  apiKey?: string;
  /** Default `whisper-1`. */
  model?: string;
  language?: string;
  pocketsphinx?: PocketsphinxOptions;
  /** Told when the configured server failed and pocketsphinx answered instead. */
  onFallback?: (message: string) => void;
}

export function transcriberFor(config: SttConfig): Transcriber {
  const offline = new PocketsphinxTranscriber(config.pocketsphinx);
  if (!config.baseUrl) return offline;
  const server = new OpenAiTranscriber({ baseUrl: config.baseUrl, apiKey: config.apiKey ?? '', model: config.model ?? 'whisper-1', language: config.language });
  return new FallbackTranscriber(server, offline, config.onFallback);
}

/**
 * A text-only provider made to listen: the lead's provider selection calls this when the session is in voice
 * mode and `inner.capabilities.audioInput` is false. Providers that already hear are returned as they are.
 */
export function withVoiceInput(inner: RealtimeProvider, sttConfig: SttConfig): RealtimeProvider {
  if (inner.capabilities.audioInput) return inner;
  return new VoicePipelineProvider(inner, { transcriber: transcriberFor(sttConfig) });
}

/**
 * STT settings from core_config.json (`sttModelUrl|Id|ApiKey`, `sttLanguage`) with `NEKO_STT_URL`,
 * `NEKO_STT_MODEL`, `NEKO_STT_API_KEY` overriding; nothing configured → offline pocketsphinx.
 */
export function sttConfigFrom(coreFile: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): SttConfig {
  const pick = (envName: string, field: string): string | undefined => {
    const v = env[envName]?.trim() || (typeof coreFile[field] === 'string' ? (coreFile[field] as string).trim() : '');
    return v || undefined;
  };
  return { baseUrl: pick('NEKO_STT_URL', 'sttModelUrl'), model: pick('NEKO_STT_MODEL', 'sttModelId'), apiKey: pick('NEKO_STT_API_KEY', 'sttModelApiKey'), language: pick('NEKO_STT_LANGUAGE', 'sttLanguage') };
}
