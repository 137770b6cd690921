import type { OutgoingMessage, ServerMessage } from './protocol';

/** The original page waits 3 s before reconnecting (websocket.md §1.7). */
export const RECONNECT_DELAY_MS = 3000;
const HEARTBEAT_MS = 30_000;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatSocketEvents {
  message(message: ServerMessage): void;
  /** A binary PCM frame and the speech id from the `audio_chunk` header right before it. */
  audio(speechId: string, data: ArrayBuffer): void;
  state(state: ConnectionState, reconnected: boolean): void;
}

/**
 * One character's chat socket, `/ws/{character}`. Reconnects by itself 3 s after a drop, pings every 30 s,
 * and pairs each binary audio frame with the `audio_chunk` header that announced it.
 */
export class ChatSocket {
  private ws?: WebSocket;
  private pendingSpeechId?: string;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private heartbeat?: ReturnType<typeof setInterval>;
  private wanted = false;
  private everOpened = false;
  state: ConnectionState = 'closed';

  constructor(
    public character: string,
    private readonly events: ChatSocketEvents,
  ) {}

  get url(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/${encodeURIComponent(this.character)}`;
  }

  connect(): void {
    this.wanted = true;
    clearTimeout(this.reconnectTimer);
    this.open();
  }

  /** Closes for good (no reconnect) until `connect` is called again. */
  close(): void {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    this.teardown();
    this.setState('closed');
  }

  /** Leaves this character's socket and opens the other's. */
  switchTo(character: string): void {
    this.close();
    this.character = character;
    this.everOpened = false;
    this.connect();
  }

  /** Sends if open; returns false when the message could not go out (the caller decides whether that matters). */
  send(message: OutgoingMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private open(): void {
    this.teardown();
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.heartbeat = setInterval(() => this.send({ action: 'ping' }), HEARTBEAT_MS);
      this.setState('open', reconnected);
    };
    ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => this.receive(event.data);
    ws.onclose = () => {
      if (this.ws !== ws) return; // an old socket we already replaced
      this.teardown();
      if (!this.wanted) return;
      this.setState('reconnecting');
      this.reconnectTimer = setTimeout(() => this.open(), RECONNECT_DELAY_MS);
    };
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      const speechId = this.pendingSpeechId;
      this.pendingSpeechId = undefined;
      // A frame without its header cannot be attributed (and so not interrupted): drop it.
      if (speechId !== undefined) this.events.audio(speechId, data);
      return;
    }
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return; // not ours to understand; the protocol only sends JSON text frames
    }
    this.pendingSpeechId = message.type === 'audio_chunk' ? message.speech_id : undefined;
    if (message.type !== 'audio_chunk') this.events.message(message);
  }

  private teardown(): void {
    clearInterval(this.heartbeat);
    this.pendingSpeechId = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    }
  }

  private setState(state: ConnectionState, reconnected = false): void {
    this.state = state;
    this.events.state(state, reconnected);
  }
}
