import { encodeWav } from '../tts/wav-stream.js';
import { SttError, type Transcriber } from './transcriber.js';

/**
 * OpenAI-compatible `POST {baseUrl}/audio/transcriptions` (OpenAI, or a local whisper server the user runs):
 * multipart `file` (WAV) + `model` (+ `language`), JSON answer `{text}`. User audio goes only to the URL the
 * user configured.
 */
export interface OpenAiTranscriberOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** ISO-639-1 hint, e.g. `en`, `zh`, `ja`. */
  language?: string;
  requestTimeoutMs?: number;
}

/** A turn is at most 30 s; a server taking longer than this is treated as down. */
const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export class OpenAiTranscriber implements Transcriber {
  readonly name: string;
  constructor(private readonly opts: OpenAiTranscriberOptions) {
    this.name = `transcriptions@${new URL(opts.baseUrl).host}`;
  }

  async transcribe(pcm16k: Buffer, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([encodeWav(pcm16k, 16_000)], { type: 'audio/wav' }), 'speech.wav');
    form.append('model', this.opts.model);
    form.append('response_format', 'json');
    if (this.opts.language) form.append('language', this.opts.language);
    const res = await fetch(`${this.opts.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.opts.apiKey}` },
      body: form,
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)]),
    });
    const body = await res.text();
    if (!res.ok) throw new SttError(`HTTP ${res.status}: ${body.slice(0, 200)}`);
    try {
      const parsed = JSON.parse(body) as { text?: unknown };
      if (typeof parsed.text !== 'string') throw new SttError('answer has no text');
      return parsed.text.trim();
    } catch (err) {
      if (err instanceof SttError) throw err;
      return body.trim(); // response_format ignored by the server: plain text
    }
  }
}
