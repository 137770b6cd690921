import WebSocket from 'ws';
import { waitFor } from './wait.js';

/** A page as the server sees it: one `/ws/{character}` connection that records every frame. */
export class ChatClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, any>[] = [];
  /** Audio frames paired with the header that preceded each, as the page pairs them. */
  readonly audio: { speechId: string; bytes: Buffer }[] = [];
  /** Binary frames that arrived without a header right before them (must never happen). */
  orphanBinary = 0;
  closeCode?: number;
  private lastHeader?: string;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) {
        if (this.lastHeader === undefined) this.orphanBinary++;
        else this.audio.push({ speechId: this.lastHeader, bytes: data as Buffer });
        this.lastHeader = undefined;
        return;
      }
      const message = JSON.parse(data.toString()) as Record<string, any>;
      if (this.lastHeader !== undefined) this.orphanBinary++; // a header not followed by its binary frame
      this.lastHeader = message.type === 'audio_chunk' ? (message.speech_id as string) : undefined;
      this.messages.push(message);
    });
    this.ws.on('close', (code) => (this.closeCode = code));
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<ChatClient> {
    const c = new ChatClient(url, headers);
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
    });
    return c;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  ofType(type: string): Record<string, any>[] {
    return this.messages.filter((m) => m.type === type);
  }

  statusCodes(): string[] {
    return this.ofType('status').map((m) => {
      try {
        return JSON.parse(m.message).code as string;
      } catch {
        return m.message as string;
      }
    });
  }

  /** Joined text of the assistant's replies. */
  replyText(): string {
    return this.ofType('gemini_response').map((m) => m.text).join('');
  }

  waitFor(what: string, check: (c: ChatClient) => unknown, timeoutMs = 15_000) {
    return waitFor(what, () => check(this), timeoutMs);
  }

  waitForType(type: string, count = 1, timeoutMs = 15_000) {
    return this.waitFor(`${count} × ${type}`, (c) => c.ofType(type).length >= count, timeoutMs);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** PCM16 mono WAV bytes → int16 frames of `size` samples (the last one zero-padded). */
export function pcmFrames(pcm: Buffer, size: number): number[][] {
  const samples = pcm.length / 2;
  const frames: number[][] = [];
  for (let start = 0; start < samples; start += size) {
    const frame: number[] = [];
    for (let i = 0; i < size; i++) frame.push(start + i < samples ? pcm.readInt16LE((start + i) * 2) : 0);
    frames.push(frame);
  }
  return frames;
}
