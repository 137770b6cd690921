import type { Logger } from '../../shared/log.js';
import { ReconnectingWebSocket } from './reconnecting-ws.js';

/** JSON messages kept while the monitor is away; older ones are dropped first (viewers want the recent past). */
export const DEFAULT_QUEUE_LIMIT = 200;
/** Byte cap on the same queue, so 200 large messages cannot pin much memory either. */
export const DEFAULT_QUEUE_BYTES_LIMIT = 1024 * 1024;
/** Heartbeat period (the original sent one every ~20 ms loop iteration; monitor tolerates 25 s of silence). */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** Unsent bytes on an open socket beyond which new frames are dropped: a stalled monitor must not grow main. */
export const SEND_BUFFER_LIMIT = 4 * 1024 * 1024;

export interface MonitorLinkOptions {
  /** Monitor base URL, http(s):// or ws(s)://, e.g. http://127.0.0.1:48913. */
  baseUrl: string;
  character: string;
  log: Logger;
  /** NEKO_ACCESS_TOKEN, sent as a bearer token when set. */
  token?: string;
  queueLimit?: number;
  queueBytesLimit?: number;
  heartbeatIntervalMs?: number;
  /** Reconnect back-off bounds (see ReconnectingWebSocket). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface MonitorLinkStats {
  connected: { json: boolean; binary: boolean };
  queued: number;
  queued_bytes: number;
  sent: { json: number; binary: number };
  dropped: {
    /** JSON pushed out of the full queue while the monitor was away. */
    json_queue_full: number;
    /** JSON dropped because the open socket had SEND_BUFFER_LIMIT bytes unsent. */
    json_backpressure: number;
    /** Audio while disconnected or backed up: stale audio is useless, so it is never queued. */
    binary: number;
  };
  reconnects: number;
  /** Connection attempts (both sockets) that failed before opening. */
  failed_attempts: number;
}

function wsBase(url: string): string {
  return url.replace(/^http/, 'ws').replace(/\/+$/, '');
}

/**
 * Main's feed of one character to the monitor (monitor.md §4): JSON frames on /sync/{name}, audio on
 * /sync_binary/{name}. Either side may restart at any time: the link reconnects on its own, holds a bounded
 * queue of JSON while down (audio is dropped), counts every drop, and never blocks or throws at the caller.
 */
export class MonitorLink {
  private readonly json: ReconnectingWebSocket;
  private readonly binary: ReconnectingWebSocket;
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly queueLimit: number;
  private readonly queueBytesLimit: number;
  private readonly counts = { sentJson: 0, sentBinary: 0, queueFull: 0, backpressure: 0, binaryDropped: 0 };

  constructor(private readonly opts: MonitorLinkOptions) {
    this.queueLimit = opts.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    this.queueBytesLimit = opts.queueBytesLimit ?? DEFAULT_QUEUE_BYTES_LIMIT;
    const base = wsBase(opts.baseUrl);
    const name = encodeURIComponent(opts.character);
    const common = {
      log: opts.log,
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : undefined,
      initialDelayMs: opts.initialDelayMs,
      maxDelayMs: opts.maxDelayMs,
    };
    this.json = new ReconnectingWebSocket({ ...common, url: `${base}/sync/${name}` });
    this.binary = new ReconnectingWebSocket({ ...common, url: `${base}/sync_binary/${name}` });
    this.json.on('open', () => this.flush());
  }

  start(): void {
    this.json.start();
    this.binary.start();
    this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** Sends a JSON message (a frontend message, `turn end`, `user_activity`…), or queues it while disconnected. */
  sendJson(message: unknown): void {
    const frame = JSON.stringify(message);
    if (this.queue.length === 0 && this.trySend(frame)) return;
    if (this.json.current) {
      // Connected but backed up: queueing would only postpone the same problem.
      this.counts.backpressure += 1;
      return;
    }
    this.enqueue(frame);
  }

  /** Sends a TTS audio chunk; dropped (and counted) unless the binary socket is open and keeping up. */
  sendAudio(chunk: Buffer): void {
    const socket = this.binary.current;
    if (!socket || socket.bufferedAmount + chunk.length > SEND_BUFFER_LIMIT) {
      this.counts.binaryDropped += 1;
      return;
    }
    socket.send(chunk);
    this.counts.sentBinary += 1;
  }

  stats(): MonitorLinkStats {
    return {
      connected: { json: this.json.current !== undefined, binary: this.binary.current !== undefined },
      queued: this.queue.length,
      queued_bytes: this.queuedBytes,
      sent: { json: this.counts.sentJson, binary: this.counts.sentBinary },
      dropped: { json_queue_full: this.counts.queueFull, json_backpressure: this.counts.backpressure, binary: this.counts.binaryDropped },
      reconnects: Math.max(0, this.json.connects - 1),
      failed_attempts: this.json.failedAttempts + this.binary.failedAttempts,
    };
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.json.close();
    this.binary.close();
  }

  private trySend(frame: string): boolean {
    const socket = this.json.current;
    if (!socket || socket.bufferedAmount + Buffer.byteLength(frame) > SEND_BUFFER_LIMIT) return false;
    socket.send(frame);
    this.counts.sentJson += 1;
    return true;
  }

  private enqueue(frame: string): void {
    const size = Buffer.byteLength(frame);
    if (size > this.queueBytesLimit) {
      this.counts.queueFull += 1;
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += size;
    while (this.queue.length > this.queueLimit || this.queuedBytes > this.queueBytesLimit) {
      const oldest = this.queue.shift()!;
      this.queuedBytes -= Buffer.byteLength(oldest);
      this.counts.queueFull += 1;
    }
  }

  /** Sends what was queued while disconnected, oldest first, before anything newer. */
  private flush(): void {
    while (this.queue.length > 0) {
      if (!this.trySend(this.queue[0]!)) break;
      this.queuedBytes -= Buffer.byteLength(this.queue.shift()!);
    }
    if (this.queue.length === 0) this.queuedBytes = 0;
    this.opts.log.info({ character: this.opts.character, queue_drops_total: this.counts.queueFull, still_queued: this.queue.length }, 'monitor link connected; queue flushed');
  }

  private beat(): void {
    this.json.checkAlive();
    this.binary.checkAlive();
    // Heartbeats are only worth sending live: a queued heartbeat says nothing about now.
    this.trySend(JSON.stringify({ type: 'heartbeat', timestamp: Date.now() / 1000 }));
  }
}
