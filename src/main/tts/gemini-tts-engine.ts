import { ClauseUtterance } from './clause-utterance.js';
import { asTtsError, TtsEngineError, ttsErrorForHttpStatus, type TtsChunk, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';

/**
 * Gemini TTS through the documented REST call `POST {base}/models/{model}:generateContent` with
 * `responseModalities: ["AUDIO"]` and a prebuilt voice; the answer carries base64 PCM16 24 kHz in
 * `candidates[0].content.parts[].inlineData.data`. Not streamed, so text goes per clause.
 */
export interface GeminiTtsOptions {
  apiKey: string;
  baseUrl?: string;
  model?: string;
  /** Prebuilt voice; the original uses `Leda`. */
  voice?: string;
  requestTimeoutMs?: number;
}

export const GEMINI_API_BASE = 'https://generativelanguage.googleapis.com/v1beta';
export const GEMINI_TTS_MODEL = 'gemini-2.5-flash-preview-tts';
/** Gemini TTS returns 24 kHz mono PCM16 (`audio/L16;codec=pcm;rate=24000`). */
const GEMINI_TTS_RATE = 24_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface GenerateContentAnswer {
  candidates?: Array<{ content?: { parts?: Array<{ inlineData?: { data?: string; mimeType?: string } }> } }>;
}

export class GeminiTtsEngine implements TtsEngine {
  readonly name = 'gemini-tts';
  constructor(private readonly opts: GeminiTtsOptions) {}

  async prepare(): Promise<void> {
    if (!this.opts.apiKey) throw new TtsEngineError('API_KEY_REJECTED', 'gemini-tts: no API key');
  }

  start(sink: TtsSink): TtsUtterance {
    return new ClauseUtterance(this.name, (text, signal) => this.synthesize(text, signal), sink);
  }

  async close(): Promise<void> {}

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<TtsChunk> {
    const base = (this.opts.baseUrl ?? GEMINI_API_BASE).replace(/\/+$/, '');
    const body = {
      contents: [{ parts: [{ text }] }],
      generationConfig: {
        responseModalities: ['AUDIO'],
        speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: this.opts.voice ?? 'Leda' } } },
      },
    };
    let answer: GenerateContentAnswer;
    try {
      const res = await fetch(`${base}/models/${encodeURIComponent(this.opts.model ?? GEMINI_TTS_MODEL)}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': this.opts.apiKey },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)]),
      });
      if (!res.ok) throw ttsErrorForHttpStatus(this.name, res.status, await res.text().catch(() => ''));
      answer = (await res.json()) as GenerateContentAnswer;
    } catch (err) {
      if (signal.aborted) return;
      throw asTtsError(this.name, err);
    }
    const parts = answer.candidates?.[0]?.content?.parts ?? [];
    let any = false;
    for (const part of parts) {
      const data = part.inlineData?.data;
      if (!data) continue;
      any = true;
      const rate = Number(/rate=(\d+)/.exec(part.inlineData?.mimeType ?? '')?.[1]) || GEMINI_TTS_RATE;
      yield { format: 'pcm16', sampleRate: rate, data: Buffer.from(data, 'base64') };
    }
    if (!any) throw new TtsEngineError('TTS_CONNECTION_FAILED', 'gemini-tts: the answer held no audio');
  }
}
