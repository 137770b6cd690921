import { EventEmitter } from 'node:events';
import type { ConnectOptions, ProviderCapabilities, ProviderEvents, RealtimeProvider } from '../providers/realtime.js';
import { EnergyVad, type VoiceActivityDetector } from './energy-vad.js';
import type { Transcriber } from './transcriber.js';

/** Events of the inner (text) provider that pass through unchanged. */
const FORWARDED = ['response_started', 'text', 'audio', 'input_transcript', 'response_done', 'error', 'closed'] as const satisfies readonly (keyof ProviderEvents)[];
/** The rate the session sends microphone audio at when a provider asks for it (and the rate STT servers expect). */
const STT_SAMPLE_RATE = 16_000;

export interface VoicePipelineOptions {
  transcriber: Transcriber;
  vad?: VoiceActivityDetector;
}

/**
 * Voice input for a text-only model: wraps a provider such as ChatCompletionsClient and gives it ears.
 * Microphone audio (16 kHz) → VAD (`speech_started` / `speech_stopped`) → speech-to-text →
 * `input_transcript` → inner.sendText(transcript). Speaking while the model replies interrupts it
 * (barge-in). Everything else is the inner provider's.
 */
export class VoicePipelineProvider extends EventEmitter<ProviderEvents> implements RealtimeProvider {
  readonly capabilities: ProviderCapabilities;
  private readonly vad: VoiceActivityDetector;
  private readonly transcriber: Transcriber;
  private readonly controller = new AbortController();
  /** Turns are transcribed one after another, so transcripts reach the model in the order they were spoken. */
  private transcribing: Promise<void> = Promise.resolve();
  private replying = false;

  constructor(
    private readonly inner: RealtimeProvider,
    opts: VoicePipelineOptions,
  ) {
    super();
    this.transcriber = opts.transcriber;
    this.vad = opts.vad ?? new EnergyVad({ sampleRate: STT_SAMPLE_RATE });
    this.capabilities = { ...inner.capabilities, audioInput: true, audioOutput: false, serverVad: true, inputSampleRate: STT_SAMPLE_RATE };
    for (const name of FORWARDED) {
      inner.on(name, (...args: unknown[]) => (this.emit as (n: string, ...a: unknown[]) => boolean)(name, ...args));
    }
    inner.on('response_started', () => (this.replying = true));
    inner.on('response_done', () => (this.replying = false));
  }

  get connectionId(): string {
    return this.inner.connectionId;
  }

  get provider(): string {
    return this.inner.provider;
  }

  connect(opts: ConnectOptions): Promise<void> {
    // Replies are voiced by TTS: the inner model only ever writes text.
    return this.inner.connect({ ...opts, audioOutput: false });
  }

  sendAudio(pcm: Buffer): void {
    if (this.controller.signal.aborted) return;
    for (const event of this.vad.push(pcm)) {
      if (event.type === 'speech_started') {
        if (this.replying) this.inner.interrupt();
        this.emit('speech_started');
      } else {
        this.emit('speech_stopped');
        this.transcribeTurn(event.audio);
      }
    }
  }

  sendText(text: string): void {
    this.inner.sendText(text);
  }

  sendImage(jpegBase64: string): void {
    this.inner.sendImage(jpegBase64);
  }

  createResponse(text: string, opts: { silent: boolean }): void {
    this.inner.createResponse(text, opts);
  }

  interrupt(): void {
    this.inner.interrupt();
  }

  async close(): Promise<void> {
    this.controller.abort();
    this.vad.reset();
    await this.inner.close();
  }

  private transcribeTurn(audio: Buffer): void {
    const signal = this.controller.signal;
    this.transcribing = this.transcribing.then(async () => {
      if (signal.aborted) return;
      let text: string;
      try {
        text = (await this.transcriber.transcribe(audio, signal)).trim();
      } catch (err) {
        if (!signal.aborted) this.emit('error', { code: 'API_UNKNOWN_ERROR', message: `speech recognition failed: ${(err as Error).message}`, fatal: false });
        return;
      }
      if (!text || signal.aborted) return;
      this.emit('input_transcript', { text });
      this.inner.sendText(text);
    });
  }
}
