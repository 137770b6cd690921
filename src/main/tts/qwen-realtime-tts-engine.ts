import { randomUUID } from 'node:crypto';
import { TtsEngineError, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';
import { WsUtterance } from './ws-utterance.js';

/**
 * Qwen realtime TTS over DashScope's realtime WebSocket (sessions.md §8, Alibaba Model Studio "Qwen-TTS
 * Realtime" client/server events): `session.update` in `server_commit` mode, text as
 * `input_text_buffer.append`, `input_text_buffer.commit` + `session.finish` at the end of the reply, audio as
 * base64 PCM16 24 kHz in `response.audio.delta`, `session.finished` when all audio has been sent.
 */
export interface QwenRealtimeTtsOptions {
  apiKey: string;
  /** Default: DashScope's realtime endpoint. */
  url?: string;
  model?: string;
  /** Default `Momo` (the original's default voice). */
  voice?: string;
}

export const QWEN_TTS_PATH = '/api-ws/v1/realtime';
export const QWEN_TTS_URL = `wss://dashscope.aliyuncs.com${QWEN_TTS_PATH}`;
export const QWEN_TTS_MODEL = 'qwen3-tts-flash-realtime-2025-11-27';
/** The service's PCM output rate when `sample_rate` is 24000 (its default). */
const QWEN_TTS_RATE = 24_000;

export class QwenRealtimeTtsEngine implements TtsEngine {
  readonly name = 'qwen-tts';
  constructor(private readonly opts: QwenRealtimeTtsOptions) {}

  async prepare(): Promise<void> {
    if (!this.opts.apiKey) throw new TtsEngineError('API_KEY_REJECTED', 'qwen-tts: no API key');
  }

  start(sink: TtsSink): TtsUtterance {
    return new QwenTtsUtterance(this.opts, sink);
  }

  async close(): Promise<void> {}
}

class QwenTtsUtterance extends WsUtterance {
  constructor(
    private readonly opts: QwenRealtimeTtsOptions,
    sink: TtsSink,
  ) {
    super('qwen-tts', sink);
  }

  protected endpoint() {
    const url = new URL(this.opts.url ?? QWEN_TTS_URL);
    url.searchParams.set('model', this.opts.model ?? QWEN_TTS_MODEL);
    return { url: url.toString(), headers: { authorization: `Bearer ${this.opts.apiKey}` } };
  }

  protected onOpen(): void {
    // Wait for session.created before configuring (the documented order).
  }

  protected sendText(text: string): void {
    this.send({ event_id: randomUUID(), type: 'input_text_buffer.append', text });
  }

  protected sendEnd(): void {
    this.send({ event_id: randomUUID(), type: 'input_text_buffer.commit' });
    this.send({ event_id: randomUUID(), type: 'session.finish' });
  }

  protected onMessage(data: Buffer): void {
    const event = JSON.parse(data.toString()) as { type?: string; delta?: string; error?: { message?: string; code?: string } };
    switch (event.type) {
      case 'session.created':
        this.send({
          event_id: randomUUID(),
          type: 'session.update',
          session: { voice: this.opts.voice ?? 'Momo', mode: 'server_commit', response_format: 'pcm', sample_rate: QWEN_TTS_RATE },
        });
        return;
      case 'session.updated':
        this.accept();
        return;
      case 'response.audio.delta':
        if (event.delta) this.sink.audio({ format: 'pcm16', sampleRate: QWEN_TTS_RATE, data: Buffer.from(event.delta, 'base64') });
        return;
      case 'session.finished':
        this.done();
        return;
      case 'error':
        this.fail(new TtsEngineError('TTS_CONNECTION_FAILED', `qwen-tts: ${event.error?.code ?? ''} ${event.error?.message ?? 'error'}`.trim()));
        return;
      default:
        return;
    }
  }
}
