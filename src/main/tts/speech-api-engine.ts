import { ClauseUtterance } from './clause-utterance.js';
import { asTtsError, TtsEngineError, ttsErrorForHttpStatus, type TtsChunk, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';
import { WavStreamReader } from './wav-stream.js';

/**
 * OpenAI-compatible `POST {baseUrl}/audio/speech`: OpenAI itself, StepFun and Zhipu (same request shape),
 * and the local servers users run (Kokoro-FastAPI, openedai-speech, Piper HTTP). One request per clause,
 * the response body streamed as it arrives.
 */
export interface SpeechApiOptions {
  /** Name in logs/status (`openai`, `step`, `glm`, `local`). */
  name: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  voice: string;
  /** `pcm` = headerless PCM16 mono at `pcmSampleRate` (OpenAI: 24 kHz); `wav` carries its own rate. */
  responseFormat: 'pcm' | 'wav';
  pcmSampleRate?: number;
  speed?: number;
  /** Style prompt (gpt-4o-mini-tts `instructions`). */
  instructions?: string;
  /** Provider-specific fields merged into the body (StepFun `sample_rate`, Zhipu `watermark_enabled`). */
  extraBody?: Record<string, unknown>;
  requestTimeoutMs?: number;
}

/** OpenAI documents `pcm` as 24 kHz 16-bit mono. */
const OPENAI_PCM_RATE = 24_000;
/** A clause takes well under this; a hung server must not stall the reply forever. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class SpeechApiEngine implements TtsEngine {
  readonly name: string;

  constructor(private readonly opts: SpeechApiOptions) {
    this.name = opts.name;
  }

  /** Nothing to connect: the first request shows whether the server is there (failures go to the fallback). */
  async prepare(): Promise<void> {
    if (!this.opts.baseUrl) throw new TtsEngineError('TTS_CONNECTION_FAILED', `${this.name}: no base URL configured`);
  }

  start(sink: TtsSink): TtsUtterance {
    return new ClauseUtterance(this.name, (text, signal) => this.synthesize(text, signal), sink);
  }

  async close(): Promise<void> {}

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<TtsChunk> {
    const o = this.opts;
    const body: Record<string, unknown> = { model: o.model, input: text, voice: o.voice, response_format: o.responseFormat, ...o.extraBody };
    if (o.speed !== undefined) body.speed = o.speed;
    if (o.instructions) body.instructions = o.instructions;
    let res: Response;
    try {
      res = await fetch(`${o.baseUrl.replace(/\/+$/, '')}/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o.apiKey}` },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)]),
      });
    } catch (err) {
      if (signal.aborted) return;
      throw asTtsError(this.name, err);
    }
    if (!res.ok) throw ttsErrorForHttpStatus(this.name, res.status, await res.text().catch(() => ''));
    if (!res.body) throw new TtsEngineError('TTS_CONNECTION_FAILED', `${this.name}: empty response body`);
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      throw new TtsEngineError('TTS_CONNECTION_FAILED', `${this.name}: expected audio, got ${(await res.text()).slice(0, 200)}`);
    }
    const wav = o.responseFormat === 'wav' ? new WavStreamReader() : null;
    let carry: Buffer | null = null;
    for await (const part of res.body as AsyncIterable<Uint8Array>) {
      let bytes = Buffer.from(part);
      if (wav) {
        const pcm = wav.push(bytes);
        if (pcm.length) yield { format: 'pcm16', sampleRate: wav.wavFormat!.sampleRate, data: pcm };
        continue;
      }
      if (carry) bytes = Buffer.concat([carry, bytes]);
      const whole = bytes.length & ~1;
      carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : null;
      if (whole) yield { format: 'pcm16', sampleRate: o.pcmSampleRate ?? OPENAI_PCM_RATE, data: bytes.subarray(0, whole) };
    }
  }
}
