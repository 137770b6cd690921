import WebSocket from 'ws';
import { TtsEngineError, type TtsSink, type TtsUtterance } from './engine.js';

/** A socket that does not open within this long counts as unreachable (then the fallback speaks). */
export const WS_CONNECT_TIMEOUT_MS = 8_000;

/**
 * Base of the streaming (WebSocket) engines: one socket per utterance, opened when the first text arrives.
 * Text written before the service is ready to take it is queued; abort() closes the socket at once, which
 * is how these services cancel synthesis.
 */
export abstract class WsUtterance implements TtsUtterance {
  readonly finished: Promise<void>;
  protected socket: WebSocket | null = null;
  private queued: string[] = [];
  private accepting = false;
  private ended = false;
  private endSent = false;
  private aborted = false;
  private settle!: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    protected readonly engineName: string,
    protected readonly sink: TtsSink,
  ) {
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.finished.catch(() => undefined);
  }

  write(text: string): void {
    if (this.ended || this.aborted || !text) return;
    this.queued.push(text);
    this.open();
    this.drain();
  }

  end(): void {
    if (this.ended || this.aborted) return;
    this.ended = true;
    if (!this.socket && this.queued.length === 0) return this.settle.resolve(); // nothing was said
    this.open();
    this.drain();
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.queued = [];
    this.socket?.terminate();
    this.settle.resolve();
  }

  /** URL and headers of the service. */
  protected abstract endpoint(): { url: string; headers: Record<string, string> };
  /** Right after the socket opens: the session/task set-up message(s). Call accept() once the service may take text. */
  protected abstract onOpen(firstText: string): void;
  protected abstract sendText(text: string): void;
  protected abstract sendEnd(): void;
  /** A message from the service; call done() / fail() / sink.audio() as it says. */
  protected abstract onMessage(data: Buffer, isBinary: boolean): void;

  /** The service takes text now: flush the queue. */
  protected accept(): void {
    this.accepting = true;
    this.drain();
  }

  protected send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  protected done(): void {
    this.socket?.close();
    this.settle.resolve();
  }

  protected fail(err: TtsEngineError): void {
    this.socket?.terminate();
    if (!this.aborted) this.settle.reject(err);
  }

  private open(): void {
    if (this.socket || this.aborted) return;
    const { url, headers } = this.endpoint();
    const socket = new WebSocket(url, { headers, handshakeTimeout: WS_CONNECT_TIMEOUT_MS });
    this.socket = socket;
    socket.on('open', () => this.onOpen(this.queued.join('')));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.aborted) return;
      try {
        this.onMessage(data, isBinary);
      } catch (err) {
        this.fail(new TtsEngineError('TTS_CONNECTION_FAILED', `${this.engineName}: bad message: ${(err as Error).message}`));
      }
    });
    socket.on('unexpected-response', (_req, res) => {
      const code = res.statusCode === 401 || res.statusCode === 403 ? 'API_KEY_REJECTED' : 'TTS_CONNECTION_FAILED';
      this.fail(new TtsEngineError(code, `${this.engineName}: handshake answered HTTP ${res.statusCode}`));
    });
    socket.on('error', (err) => this.fail(new TtsEngineError('TTS_CONNECTION_FAILED', `${this.engineName}: ${err.message}`)));
    socket.on('close', (code, reason) => {
      this.fail(new TtsEngineError('TTS_CONNECTION_FAILED', `${this.engineName}: socket closed (${code} ${reason.toString()})`));
    });
  }

  private drain(): void {
    if (!this.accepting || this.aborted) return;
    for (const text of this.queued.splice(0)) this.sendText(text);
    if (this.ended && !this.endSent) {
      this.endSent = true;
      this.sendEnd();
    }
  }
}
