import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/protocol/ws-server.js';
import type { PageSocket } from '../session/session-registry.js';

/**
 * Above this many queued bytes a page is not keeping up: audio for it is dropped (stale audio is worse than
 * a gap) while text and control messages still go out. 4 MiB ≈ 40 s of 48 kHz PCM16.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Where a page's traffic is copied for the monitor's viewers. */
export interface SocketMirror {
  json(message: Record<string, unknown>): void;
  binary(data: Buffer): void;
}

export interface SocketWriterStats {
  jsonSent: number;
  audioFramesSent: number;
  audioFramesDropped: number;
}

/**
 * All sends to one page socket. `ws` sends in call order, and an audio header and its binary frame are sent
 * in one synchronous call here, so no other message can ever fall between them (the page pairs each binary
 * frame with the header before it).
 */
export class SocketWriter implements PageSocket {
  readonly stats: SocketWriterStats = { jsonSent: 0, audioFramesSent: 0, audioFramesDropped: 0 };
  /** Copies of everything sent, for the monitor (viewers mirror the page). */
  mirror?: SocketMirror;

  constructor(
    readonly character: string,
    private readonly ws: WebSocket,
  ) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(message: ServerMessage | Record<string, unknown>): void {
    if (!this.open) return;
    this.ws.send(JSON.stringify(message));
    this.stats.jsonSent++;
    this.mirror?.json(message as Record<string, unknown>);
  }

  /** One `audio_chunk{speech_id}` header immediately followed by its binary frame. */
  sendAudio(speechId: string, audio: Buffer): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.stats.audioFramesDropped++;
      return false;
    }
    this.ws.send(JSON.stringify({ type: 'audio_chunk', speech_id: speechId }));
    this.ws.send(audio, { binary: true });
    this.stats.audioFramesSent++;
    this.mirror?.binary(audio);
    return true;
  }

  close(code = 1000, reason = ''): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason);
  }
}
