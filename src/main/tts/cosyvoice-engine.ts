import { randomUUID } from 'node:crypto';
import { contentLength } from './clause-segmenter.js';
import { TtsEngineError, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';
import { detectScript } from './script.js';
import { WsUtterance } from './ws-utterance.js';

/**
 * CosyVoice (cloned voices) over DashScope's duplex inference WebSocket (Alibaba Model Studio "CosyVoice
 * WebSocket API"): `run-task` → `task-started`, text as `continue-task`, `finish-task` at the end of the
 * reply, audio as binary frames, `task-finished` / `task-failed`. Output is Ogg/Opus 48 kHz mono 64 kbps,
 * which goes to the page as it is (sessions.md §8).
 */
export interface CosyVoiceOptions {
  apiKey: string;
  voice: string;
  url?: string;
  model?: string;
  /** The original speaks cloned voices slightly fast. */
  rate?: number;
}

export const COSYVOICE_PATH = '/api-ws/v1/inference';
export const COSYVOICE_URL = `wss://dashscope.aliyuncs.com${COSYVOICE_PATH}`;
export const COSYVOICE_MODEL = 'cosyvoice-v3.5-plus';
/** The task starts once this much text is there, so the language hint (Japanese kana) can be chosen from it. */
const MIN_START_CHARS = 6;

export class CosyVoiceEngine implements TtsEngine {
  readonly name = 'cosyvoice';
  constructor(private readonly opts: CosyVoiceOptions) {}

  async prepare(): Promise<void> {
    if (!this.opts.apiKey) throw new TtsEngineError('API_KEY_REJECTED', 'cosyvoice: no API key');
    if (!this.opts.voice) throw new TtsEngineError('TTS_CONNECTION_FAILED', 'cosyvoice: no voice id');
  }

  start(sink: TtsSink): TtsUtterance {
    return new CosyVoiceUtterance(this.opts, sink);
  }

  async close(): Promise<void> {}
}

class CosyVoiceUtterance extends WsUtterance {
  private readonly taskId = randomUUID();
  private buffered = '';
  private opened = false;

  constructor(
    private readonly opts: CosyVoiceOptions,
    sink: TtsSink,
  ) {
    super('cosyvoice', sink);
  }

  override write(text: string): void {
    if (this.opened) return super.write(text);
    this.buffered += text;
    if (contentLength(this.buffered) >= MIN_START_CHARS) this.flushBuffered();
  }

  override end(): void {
    if (!this.opened) this.flushBuffered();
    super.end();
  }

  private flushBuffered(): void {
    this.opened = true;
    const text = this.buffered;
    this.buffered = '';
    if (text) super.write(text);
  }

  protected endpoint() {
    return { url: this.opts.url ?? COSYVOICE_URL, headers: { authorization: `bearer ${this.opts.apiKey}` } };
  }

  protected onOpen(firstText: string): void {
    const parameters: Record<string, unknown> = {
      text_type: 'PlainText',
      voice: this.opts.voice,
      format: 'opus',
      sample_rate: 48_000,
      bit_rate: 64,
      rate: this.opts.rate ?? 1.05,
    };
    if (detectScript(firstText) === 'ja') parameters.language_hints = ['ja'];
    this.send({
      header: { action: 'run-task', task_id: this.taskId, streaming: 'duplex' },
      payload: { task_group: 'audio', task: 'tts', function: 'SpeechSynthesizer', model: this.opts.model ?? COSYVOICE_MODEL, parameters, input: {} },
    });
  }

  protected sendText(text: string): void {
    this.send({ header: { action: 'continue-task', task_id: this.taskId, streaming: 'duplex' }, payload: { input: { text } } });
  }

  protected sendEnd(): void {
    this.send({ header: { action: 'finish-task', task_id: this.taskId, streaming: 'duplex' }, payload: { input: {} } });
  }

  protected onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.sink.audio({ format: 'ogg-opus', data: Buffer.from(data) });
      return;
    }
    const event = JSON.parse(data.toString()) as { header?: { event?: string; error_code?: string; error_message?: string } };
    switch (event.header?.event) {
      case 'task-started':
        this.accept();
        return;
      case 'task-finished':
        this.done();
        return;
      case 'task-failed':
        this.fail(new TtsEngineError('TTS_CONNECTION_FAILED', `cosyvoice: ${event.header.error_code ?? ''} ${event.header.error_message ?? 'task failed'}`.trim()));
        return;
      default:
        return;
    }
  }
}
