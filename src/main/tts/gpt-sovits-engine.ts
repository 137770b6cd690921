import { ClauseUtterance } from './clause-utterance.js';
import { asTtsError, TtsEngineError, ttsErrorForHttpStatus, type TtsChunk, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';
import { detectScript, type TextScript } from './script.js';
import { WavStreamReader } from './wav-stream.js';

/**
 * A local GPT-SoVITS server through its `api_v2.py` HTTP API: `POST {base}/tts` with the text, its language
 * and the reference clip, `streaming_mode` on and `media_type: wav`, so audio streams back per clause with
 * its rate in the WAV header. The base URL is checked to be loopback before this engine is built.
 */
export interface GptSovitsOptions {
  baseUrl: string;
  /**
   * The character's voice: `gsv:<reference audio path on the server>`, optionally followed by
   * `|<JSON object>` with further api_v2 fields (`prompt_text`, `prompt_lang`, `speed_factor`, `top_k`, …).
   */
  voice: string;
  requestTimeoutMs?: number;
}

const TEXT_LANG: Record<TextScript, string> = { zh: 'zh', ja: 'ja', ko: 'ko', latin: 'en' };
/** Local inference on CPU can be slow; this bounds one clause. */
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** `gsv:ref.wav|{"prompt_text":"…"}` → reference path + extra request fields. */
export function parseGptSovitsVoice(voice: string): { refAudioPath: string; extra: Record<string, unknown> } {
  const raw = voice.startsWith('gsv:') ? voice.slice(4) : voice;
  const bar = raw.indexOf('|');
  const refAudioPath = (bar < 0 ? raw : raw.slice(0, bar)).trim();
  let extra: Record<string, unknown> = {};
  if (bar >= 0) {
    const parsed = JSON.parse(raw.slice(bar + 1)) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('GPT-SoVITS voice options must be a JSON object');
    extra = parsed as Record<string, unknown>;
  }
  return { refAudioPath, extra };
}

export class GptSovitsEngine implements TtsEngine {
  readonly name = 'gpt-sovits';
  private readonly refAudioPath: string;
  private readonly extra: Record<string, unknown>;

  constructor(private readonly opts: GptSovitsOptions) {
    const parsed = parseGptSovitsVoice(opts.voice);
    this.refAudioPath = parsed.refAudioPath;
    this.extra = parsed.extra;
  }

  async prepare(): Promise<void> {
    if (!this.refAudioPath) throw new TtsEngineError('TTS_CONNECTION_FAILED', 'gpt-sovits: the voice names no reference audio');
  }

  start(sink: TtsSink): TtsUtterance {
    return new ClauseUtterance(this.name, (text, signal) => this.synthesize(text, signal), sink);
  }

  async close(): Promise<void> {}

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<TtsChunk> {
    const lang = TEXT_LANG[detectScript(text)];
    const body = {
      text,
      text_lang: lang,
      ref_audio_path: this.refAudioPath,
      prompt_lang: lang,
      prompt_text: '',
      ...this.extra,
      media_type: 'wav',
      streaming_mode: true,
    };
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/tts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)]),
      });
    } catch (err) {
      if (signal.aborted) return;
      throw asTtsError(this.name, err);
    }
    if (!res.ok || !res.body) throw ttsErrorForHttpStatus(this.name, res.status, await res.text().catch(() => ''));
    const wav = new WavStreamReader();
    for await (const part of res.body as AsyncIterable<Uint8Array>) {
      const pcm = wav.push(Buffer.from(part));
      if (pcm.length) yield { format: 'pcm16', sampleRate: wav.wavFormat!.sampleRate, data: pcm };
    }
  }
}
