import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ConnectOptions, ProviderCapabilities, ProviderEvents, RealtimeProvider } from './realtime.js';

/**
 * A provider whose side of the conversation a test scripts by hand: it records everything the session
 * sends and emits whatever events the test asks for. For unit tests of session logic; integration tests
 * use the real clients against the `sim` server.
 */
export class ScriptedProvider extends EventEmitter<ProviderEvents> implements RealtimeProvider {
  readonly connectionId = randomUUID();
  readonly provider = 'scripted';
  readonly audioIn: Buffer[] = [];
  readonly textsIn: string[] = [];
  readonly imagesIn: string[] = [];
  readonly responsesCreated: { text: string; silent: boolean }[] = [];
  interrupts = 0;
  connectedWith?: ConnectOptions;
  closed = false;
  /** Set to make connect() fail (or hang, with `'hang'`). */
  failConnect?: Error | 'hang';

  constructor(readonly capabilities: ProviderCapabilities = { audioInput: true, audioOutput: true, vision: true, serverVad: true, inputSampleRate: 16_000, outputSampleRate: 24_000 }) {
    super();
  }

  async connect(opts: ConnectOptions): Promise<void> {
    this.connectedWith = opts;
    if (this.failConnect === 'hang') {
      await new Promise<void>((_, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (this.failConnect) throw this.failConnect;
  }

  sendAudio(pcm: Buffer): void {
    if (this.closed) throw new Error('sendAudio after close');
    this.audioIn.push(pcm);
  }

  sendText(text: string): void {
    this.textsIn.push(text);
  }

  sendImage(jpegBase64: string): void {
    this.imagesIn.push(jpegBase64);
  }

  createResponse(text: string, opts: { silent: boolean }): void {
    this.responsesCreated.push({ text, silent: opts.silent });
  }

  interrupt(): void {
    this.interrupts++;
  }

  /** How often the session asked to forget the conversation (repetition reset). */
  historyResets = 0;

  resetHistory(): void {
    this.historyResets++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Emits one whole reply: started, text, audio chunks, done. */
  reply(text: string, audioChunks: Buffer[] = []): void {
    const responseId = randomUUID();
    this.emit('response_started', { responseId });
    this.emit('text', { text, first: true, source: 'transcript' });
    for (const pcm of audioChunks) this.emit('audio', { pcm });
    this.emit('response_done', { responseId, text, cancelled: false });
  }

  /** The server drops the connection. */
  drop(reason = 'server went away'): void {
    this.closed = true;
    this.emit('closed', { byServer: true, code: 1006, reason });
  }
}
