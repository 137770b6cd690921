import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { JPEG_DATA_URL_PREFIX, parseClientFrame, type ClientMessage, type StreamData } from '../../shared/protocol/ws-client.js';
import { statusMessage } from '../../shared/protocol/ws-server.js';
import type { Logger } from '../../shared/log.js';
import type { CharacterSession } from '../session/character-session.js';
import type { SessionRegistry } from '../session/session-registry.js';
import { SocketWriter } from './socket-writer.js';
import { decodeAudioFrame, inspectJpeg } from './frame-decode.js';

/** The page reads `catgirl_switched` before the close arrives (the original waits the same). */
const UNKNOWN_CHARACTER_CLOSE_DELAY_MS = 500;
/** Text frames above this are refused with a status (the socket allows more, so it can answer instead of dropping the connection). */
export const MAX_TEXT_FRAME_BYTES = 16 * 1024 * 1024;

export interface ChatSocketDeps {
  log: Logger;
  registry: SessionRegistry;
  /** The character's session, or undefined when no such character exists. */
  sessionFor(character: string): CharacterSession | undefined;
  /** Where an unknown character's page is sent (`catgirl_switched`). */
  fallbackCharacter(): string | undefined;
  /** Copies of the page traffic for the monitor. */
  mirrorFor?(character: string): import('./socket-writer.js').SocketMirror | undefined;
  /** Answers a pending `request_screenshot`. */
  onScreenshot?(character: string, base64: string): void;
}

/**
 * `WS /ws/{character}`: validates every frame and dispatches it to the character's session. A second
 * connection for a character takes over; the first is told and closed on its next message, and the
 * session (which belongs to the character, not the socket) carries on.
 */
export function registerChatSocket(app: FastifyInstance, deps: ChatSocketDeps): void {
  app.get<{ Params: { character: string } }>('/ws/:character', { websocket: true }, (ws, req) => {
    const character = req.params.character;
    const session = deps.sessionFor(character);
    if (!session) {
      const fallback = deps.fallbackCharacter();
      if (fallback !== undefined) ws.send(JSON.stringify({ type: 'catgirl_switched', new_catgirl: fallback, old_catgirl: character }));
      setTimeout(() => ws.close(1000), UNKNOWN_CHARACTER_CLOSE_DELAY_MS).unref();
      return;
    }
    new ChatConnection(ws, character, session, deps).open();
  });
}

class ChatConnection {
  private readonly writer: SocketWriter;
  private readonly log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly character: string,
    private readonly session: CharacterSession,
    private readonly deps: ChatSocketDeps,
  ) {
    this.writer = new SocketWriter(character, ws);
    this.writer.mirror = deps.mirrorFor?.(character);
    this.log = deps.log.child({ character });
  }

  private get superseded(): boolean {
    return this.deps.registry.socketOf(this.character) !== this.writer;
  }

  open(): void {
    this.deps.registry.attachSocket(this.writer);
    this.session.attachSocket(this.writer);
    this.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.ws.on('close', () => {
      const current = !this.superseded;
      this.deps.registry.detachSocket(this.writer);
      if (current) this.session.detachSocket(this.writer);
    });
    this.ws.on('error', (err) => this.log.debug({ err: err.message }, 'page socket error'));
  }

  private status(code: string, details?: Record<string, unknown>): void {
    this.writer.send(statusMessage(code, details));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    try {
      if (this.superseded) {
        // Told on its own socket (the original sent this to the new socket by mistake).
        this.status('CHARACTER_SWITCHING_TERMINAL', { name: this.character });
        this.writer.close(1000, 'superseded by a newer connection');
        return;
      }
      if (!this.deps.sessionFor(this.character)) {
        this.writer.close(1000, 'character renamed or deleted');
        return;
      }
      if (isBinary) {
        this.status('INVALID_MESSAGE', { error: 'binary frames are not accepted; send JSON text frames' });
        return;
      }
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
      if (size > MAX_TEXT_FRAME_BYTES) {
        this.status('INVALID_MESSAGE', { error: `frame of ${size} bytes is larger than ${MAX_TEXT_FRAME_BYTES}` });
        return;
      }
      const parsed = parseClientFrame(data.toString());
      if (!parsed.ok) {
        this.status(parsed.code, parsed.details);
        return;
      }
      this.dispatch(parsed.message);
    } catch (err) {
      // Nothing a page sends may take the connection or the process down.
      this.log.error({ err }, 'error handling a page frame');
      this.status('SERVER_ERROR', { error: (err as Error).message });
    }
  }

  private dispatch(message: ClientMessage): void {
    if (message.language) this.session.setUserLanguage(message.language);
    switch (message.action) {
      case 'ping':
        this.writer.send({ type: 'pong' });
        return;
      case 'start_session':
        void this.session.start(message.input_type === 'text' ? 'text' : 'audio', { newSession: message.new_session });
        return;
      case 'end_session':
        void this.session.endSession({ byClient: true, reason: 'end_session' });
        return;
      case 'pause_session':
        void this.session.endSession({ byClient: true, reason: 'pause_session' });
        return;
      case 'screenshot_response': {
        const comma = message.data.indexOf(',');
        this.deps.onScreenshot?.(this.character, comma >= 0 ? message.data.slice(comma + 1) : message.data);
        return;
      }
      case 'stream_data':
        this.streamData(message);
        return;
    }
  }

  private streamData(message: StreamData): void {
    switch (message.input_type) {
      case 'audio': {
        const { pcm, rate } = decodeAudioFrame(message.data, message.sample_rate);
        this.session.pushAudio(pcm, rate);
        return;
      }
      case 'text':
        if (message.data.trim() === '') return;
        this.session.pushText(message.data);
        return;
      case 'screen':
      case 'camera': {
        const base64 = message.data.slice(JPEG_DATA_URL_PREFIX.length);
        const problem = inspectJpeg(base64);
        if (problem) {
          this.status('INVALID_IMAGE', { error: problem });
          return;
        }
        this.session.pushImage(base64);
        return;
      }
    }
  }
}
