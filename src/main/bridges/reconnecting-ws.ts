import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from '../../shared/log.js';

export interface ReconnectingWebSocketOptions {
  url: string;
  headers?: Record<string, string>;
  log: Logger;
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Gives up on a connection attempt that has not completed its handshake after this long. */
  handshakeTimeoutMs?: number;
}

/** 250 ms: a restarting local service is usually back within a second or two. */
const DEFAULT_INITIAL_DELAY_MS = 250;
/** 5 s cap: a service that stays down costs one attempt per 5 s, and comes back within 5 s of returning. */
const DEFAULT_MAX_DELAY_MS = 5000;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
/** ±20 % jitter so several links to one restarted service do not reconnect in lock-step. */
const JITTER = 0.2;

type Events = { open: [socket: WebSocket]; close: [] };

/**
 * Keeps one WebSocket client connected: reconnects with capped exponential back-off after any close or failed
 * attempt, until close() is called. `current` is the open socket or undefined; callers decide what to do with
 * their messages while it is undefined. `checkAlive()` (called periodically by the owner) pings the peer and
 * drops a connection whose previous ping went unanswered, which catches half-open TCP connections.
 */
export class ReconnectingWebSocket extends EventEmitter<Events> {
  private socket: WebSocket | undefined;
  private open = false;
  private awaitingPong = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  connects = 0;
  /** Attempts that closed before opening (refused, unreachable, handshake timeout). */
  failedAttempts = 0;

  constructor(private readonly opts: ReconnectingWebSocketOptions) {
    super();
  }

  get current(): WebSocket | undefined {
    return this.open ? this.socket : undefined;
  }

  start(): void {
    this.stopped = false;
    if (!this.socket && !this.timer) this.connect();
  }

  /** Pings the open socket; terminates it if the previous ping got no pong (reconnect follows). */
  checkAlive(): void {
    const socket = this.current;
    if (!socket) return;
    if (this.awaitingPong) {
      this.opts.log.warn({ url: this.opts.url }, 'websocket peer stopped answering pings; reconnecting');
      socket.terminate();
      return;
    }
    this.awaitingPong = true;
    socket.ping();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.open = false;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => {}); // a late error on a socket we are discarding is not news
      socket.terminate();
    }
  }

  private connect(): void {
    this.timer = undefined;
    const socket = new WebSocket(this.opts.url, {
      headers: this.opts.headers,
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.open = true;
      this.awaitingPong = false;
      this.attempt = 0;
      this.connects += 1;
      this.opts.log.info({ url: this.opts.url }, 'websocket connected');
      this.emit('open', socket);
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('error', (err) => this.opts.log.debug({ url: this.opts.url, reason: err.message }, 'websocket error'));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const wasOpen = this.open;
      this.open = false;
      this.socket = undefined;
      if (wasOpen) {
        this.opts.log.warn({ url: this.opts.url }, 'websocket disconnected; reconnecting');
        this.emit('close');
      } else {
        this.failedAttempts += 1;
      }
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const initial = this.opts.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
    const max = this.opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    const base = Math.min(max, initial * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const delay = Math.round(base * (1 - JITTER + Math.random() * 2 * JITTER));
    this.timer = setTimeout(() => this.connect(), delay);
    this.timer.unref();
  }
}
