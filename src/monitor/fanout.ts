/**
 * The monitor's routing table (shared/spec monitor.md §4, with §6.4's weaknesses fixed): frames main sends for a
 * character go to that character's viewers only; heartbeats and tiny binary keep-alives go nowhere; the
 * subtitle overlay gets the assistant's text so far. Every client has a bounded send buffer: one that falls
 * behind is closed (1013) instead of making main wait or the monitor's memory grow.
 *
 * Transport-free: a "sink" is anything with ws's send/bufferedAmount/close, so this is testable without sockets.
 */

export interface FrameSink {
  send(data: string | Buffer): void;
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

export interface FanoutLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** ~40 s of 48 kHz 16-bit mono PCM: a viewer further behind than that is no longer watching live. */
export const VIEWER_BUFFER_LIMIT = 4 * 1024 * 1024;
/** Subtitle frames are small; this many unsent bytes means the overlay is stuck. */
export const SUBTITLE_BUFFER_LIMIT = 256 * 1024;
/** The original's keep-alive is 4 bytes (`00 01 02 03`); nothing that short is audio. */
export const KEEPALIVE_MAX_BYTES = 4;
/** Longest subtitle kept per character; older text is cut from the front (an overlay shows the tail anyway). */
export const MAX_SUBTITLE_CHARS = 4000;
/** WebSocket close code "try again later": the client may reconnect and start fresh. */
export const CLOSE_TOO_SLOW = 1013;

interface SubtitleState {
  text: string;
  /** Set by `turn end`; the overlay keeps the finished line visible until the next reply starts. */
  clearBeforeNext: boolean;
}

interface SubtitleClient {
  sink: FrameSink;
  /** Only this character's subtitles, or every character's when undefined (the original's behaviour). */
  character?: string;
}

export interface FanoutStats {
  viewers: number;
  subtitle_clients: number;
  frames_in: number;
  invalid_frames: number;
  heartbeats: number;
  keepalives: number;
  slow_clients_closed: number;
}

export class MonitorFanout {
  private readonly viewers = new Map<string, Set<FrameSink>>();
  private readonly subtitleClients = new Set<SubtitleClient>();
  private readonly subtitles = new Map<string, SubtitleState>();
  private readonly counters = { frames_in: 0, invalid_frames: 0, heartbeats: 0, keepalives: 0, slow_clients_closed: 0 };

  constructor(private readonly log: FanoutLog) {}

  /** Registers a viewer of `character`; returns the function that unregisters it (call it on close). */
  addViewer(character: string, sink: FrameSink): () => void {
    let set = this.viewers.get(character);
    if (!set) this.viewers.set(character, (set = new Set()));
    set.add(sink);
    return () => this.removeViewer(character, sink);
  }

  addSubtitleClient(sink: FrameSink, character?: string): () => void {
    const client: SubtitleClient = { sink, character };
    this.subtitleClients.add(client);
    return () => this.subtitleClients.delete(client);
  }

  /** A text frame main sent on /sync/{character}. Forwarded verbatim (no re-encoding) when it is useful. */
  syncText(character: string, raw: string): void {
    this.counters.frames_in += 1;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch (err) {
      this.counters.invalid_frames += 1;
      this.log.warn({ character, reason: (err as Error).message, bytes: raw.length }, 'invalid JSON from main dropped');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.counters.invalid_frames += 1;
      this.log.warn({ character }, 'non-object JSON from main dropped');
      return;
    }
    const msg = message as Record<string, unknown>;
    if (msg.type === 'heartbeat') {
      this.counters.heartbeats += 1;
      return;
    }
    this.toViewers(character, raw);
    this.updateSubtitle(character, msg);
  }

  /** A binary frame main sent on /sync_binary/{character} (TTS audio). */
  syncBinary(character: string, data: Buffer): void {
    this.counters.frames_in += 1;
    if (data.length <= KEEPALIVE_MAX_BYTES) {
      this.counters.keepalives += 1;
      return;
    }
    this.toViewers(character, data);
  }

  /** The subtitle text currently shown for `character` (for a newly connected overlay). */
  currentSubtitle(character: string): string {
    const state = this.subtitles.get(character);
    return state && !state.clearBeforeNext ? state.text : '';
  }

  stats(): FanoutStats {
    let viewers = 0;
    for (const set of this.viewers.values()) viewers += set.size;
    return { viewers, subtitle_clients: this.subtitleClients.size, ...this.counters };
  }

  private removeViewer(character: string, sink: FrameSink): void {
    const set = this.viewers.get(character);
    if (!set) return;
    set.delete(sink);
    if (set.size === 0) this.viewers.delete(character);
  }

  private toViewers(character: string, data: string | Buffer): void {
    const set = this.viewers.get(character);
    if (!set) return;
    for (const sink of [...set]) {
      if (!this.deliver(sink, data, VIEWER_BUFFER_LIMIT, `viewer of ${character}`)) this.removeViewer(character, sink);
    }
  }

  private updateSubtitle(character: string, msg: Record<string, unknown>): void {
    const isTurnEnd = msg.type === 'turn end' || (msg.type === 'system' && msg.data === 'turn end');
    if (isTurnEnd) {
      const state = this.subtitles.get(character);
      if (state) state.clearBeforeNext = true;
      return;
    }
    if (msg.type === 'response_discarded') {
      // The reply shown so far was thrown away (length guard): so is its subtitle.
      const state = this.subtitles.get(character);
      if (state) state.text = '';
      this.toSubtitleClients(character, JSON.stringify({ type: 'clear' }));
      return;
    }
    if (msg.type !== 'gemini_response' || typeof msg.text !== 'string' || msg.text === '') return;
    let state = this.subtitles.get(character);
    if (!state) this.subtitles.set(character, (state = { text: '', clearBeforeNext: false }));
    if (state.clearBeforeNext) {
      state.text = '';
      state.clearBeforeNext = false;
      this.toSubtitleClients(character, JSON.stringify({ type: 'clear' }));
    }
    state.text = (state.text + msg.text).slice(-MAX_SUBTITLE_CHARS);
    this.toSubtitleClients(character, JSON.stringify({ type: 'subtitle', text: state.text }));
  }

  private toSubtitleClients(character: string, frame: string): void {
    for (const client of [...this.subtitleClients]) {
      if (client.character !== undefined && client.character !== character) continue;
      if (!this.deliver(client.sink, frame, SUBTITLE_BUFFER_LIMIT, 'subtitle overlay')) this.subtitleClients.delete(client);
    }
  }

  /** Sends unless the client is too far behind (then closes it); false means "forget this client". */
  private deliver(sink: FrameSink, data: string | Buffer, limit: number, who: string): boolean {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (sink.bufferedAmount + size > limit) {
      this.counters.slow_clients_closed += 1;
      this.log.warn({ who, buffered: sink.bufferedAmount, limit }, 'client too slow, closing it');
      try {
        sink.close(CLOSE_TOO_SLOW, 'too slow: reconnect');
      } catch (err) {
        this.log.debug({ err }, 'closing a slow client failed');
      }
      return false;
    }
    try {
      sink.send(data);
      return true;
    } catch (err) {
      this.log.debug({ who, err }, 'send to a client failed; dropping it');
      return false;
    }
  }
}
