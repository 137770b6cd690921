import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { classifyProviderError, ProviderError } from './errors.js';
import type { ConnectOptions, ProviderCapabilities, ProviderErrorCode, ProviderEvents, RealtimeProvider } from './realtime.js';

/** How long connect() may take (socket + session handshake) before it counts as a start failure. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** close() waits this long for the provider's close frame before dropping the socket. */
const CLOSE_GRACE_MS = 2_000;

type Json = Record<string, unknown>;

/**
 * The socket plumbing every WebSocket provider shares: connect with a handshake deadline, classified
 * handshake failures (HTTP 401 → API_KEY_REJECTED…), JSON send/receive, and exactly one `closed` event.
 * Subclasses supply the session handshake (`onOpen`), call `markReady()` when the provider confirmed it,
 * and map incoming messages in `onMessage`. A failed connect() only rejects (with a ProviderError carrying
 * the status code); `error`/`closed` events belong to connections that were established.
 */
export abstract class WsProviderBase extends EventEmitter<ProviderEvents> implements RealtimeProvider {
  readonly connectionId = randomUUID();
  abstract readonly provider: string;
  abstract readonly capabilities: ProviderCapabilities;

  protected ws: WebSocket | null = null;
  /** Set after a fatal provider error: further sends are pointless and are dropped. */
  protected failed = false;
  private closingByUs = false;
  private closedEmitted = false;
  private ready = false;
  private settleConnect: ((err?: ProviderError) => void) | null = null;

  constructor(protected readonly connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
    super();
  }

  abstract connect(opts: ConnectOptions): Promise<void>;
  abstract sendAudio(pcm: Buffer): void;
  abstract sendText(text: string): void;
  abstract sendImage(jpegBase64: string): void;
  abstract createResponse(text: string, opts: { silent: boolean }): void;
  abstract interrupt(): void;

  /** Sends the session setup once the socket is open. */
  protected abstract onOpen(): void;
  protected abstract onMessage(message: Json): void;

  /** The provider confirmed the session (connect() resolved). */
  protected get isReady(): boolean {
    return this.ready;
  }

  protected get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && !this.failed;
  }

  /** Opens the socket and resolves once the subclass calls markReady(); rejects with a classified ProviderError. */
  protected openSocket(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    if (this.ws) return Promise.reject(new Error('connect() called twice on one provider connection'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.failConnect({ code: 'CONNECTION_TIMEOUT', fatal: true }, `no session handshake within ${this.connectTimeoutMs} ms`),
        this.connectTimeoutMs,
      );
      const onAbort = () => this.failConnect({ code: 'CONNECTION_TIMEOUT', fatal: true }, 'connect aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.settleConnect = (err) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.settleConnect = null;
        if (err) {
          this.ws?.terminate();
          reject(err);
        } else resolve();
      };
      if (signal?.aborted) return onAbort();

      const ws = new WebSocket(url, { headers, handshakeTimeout: this.connectTimeoutMs });
      this.ws = ws;
      ws.on('unexpected-response', (_req, res) => this.onHandshakeRejected(res));
      ws.on('open', () => this.onOpen());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          return; // providers only send JSON text frames; anything else is noise
        }
        if (message && typeof message === 'object') this.onMessage(message as Json);
      });
      // 'error' precedes 'close'; the close handler reports. A listener must exist or ws would throw.
      ws.on('error', (err) => {
        if (!this.ready) this.failConnect({ code: 'LLM_CONNECTION_FAILED', fatal: true }, err.message);
      });
      ws.on('close', (code, reasonBuf) => this.onSocketClosed(code, reasonBuf.toString()));
    });
  }

  /** The provider accepted the session: connect() resolves. */
  protected markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.settleConnect?.();
  }

  /** Ends a pending connect() with a classified failure; after connect it is an ordinary error. */
  protected failConnect(classified: { code: ProviderErrorCode; fatal: boolean }, message: string): void {
    if (this.settleConnect) this.settleConnect(new ProviderError(classified, message));
  }

  private onHandshakeRejected(res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      let code: string | undefined;
      let type: string | undefined;
      let message = `handshake rejected with HTTP ${res.statusCode}`;
      try {
        const parsed = JSON.parse(body) as { error?: { code?: unknown; type?: unknown; message?: unknown }; code?: unknown; message?: unknown };
        const err = parsed.error ?? parsed;
        code = err.code === undefined || err.code === null ? undefined : String(err.code);
        type = typeof (err as { type?: unknown }).type === 'string' ? String((err as { type?: unknown }).type) : undefined;
        if (typeof err.message === 'string') message = err.message;
      } catch {
        if (body) message = `${message}: ${body.slice(0, 200)}`;
      }
      const classified = classifyProviderError({ httpStatus: res.statusCode, code, type });
      this.failConnect({ ...classified, fatal: true }, message);
    });
  }

  private onSocketClosed(code: number, reason: string): void {
    const byServer = !this.closingByUs;
    if (!this.ready) {
      this.failConnect(classifyProviderError({ closeCode: code, closeReason: reason }), `closed during handshake (${code}${reason ? `: ${reason}` : ''})`);
    } else if (!this.closingByUs && !this.failed && code !== 1000 && code !== 1001) {
      const classified = classifyProviderError({ closeCode: code, closeReason: reason });
      this.reportError({ ...classified, fatal: true }, reason || `provider closed the connection (${code})`);
    }
    this.onClosed();
    if (this.closedEmitted || !this.ready) return;
    this.closedEmitted = true;
    this.emit('closed', { byServer, code, reason: reason || undefined });
  }

  /** Hook for subclasses to drop per-connection state when the socket is gone. */
  protected onClosed(): void {}

  protected sendJson(event: Json): boolean {
    if (!this.isOpen) return false;
    this.ws!.send(JSON.stringify(event));
    return true;
  }

  /** Emits `error` safely (an EventEmitter throws on an unheard 'error'); fatal errors end the connection. */
  protected reportError(classified: { code: ProviderErrorCode; fatal: boolean }, message: string): void {
    if (this.listenerCount('error') > 0) this.emit('error', { code: classified.code, message, fatal: classified.fatal });
    if (classified.fatal && !this.failed) {
      this.failed = true;
      this.closingByUs = true;
      this.ws?.close(1000);
    }
  }

  async close(): Promise<void> {
    const ws = this.ws;
    this.closingByUs = true;
    if (!ws || ws.readyState === WebSocket.CLOSED) {
      if (ws && !this.closedEmitted && this.ready) {
        this.closedEmitted = true;
        this.emit('closed', { byServer: false });
      }
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }
}
