import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SpeechOutput } from '../../src/main/tts/speech-output.js';

/** Every audio event of a SpeechOutput with its bytes (not only its size), and every error, in order. */
export interface CapturedSpeech {
  audio: { speechId: string; audio: Buffer; format: string }[];
  errors: { code: string; message: string }[];
  /** All PCM of one speech id, concatenated. */
  pcmFor(speechId: string): Buffer;
}

export function captureSpeech(out: SpeechOutput): CapturedSpeech {
  const audio: CapturedSpeech['audio'] = [];
  const errors: CapturedSpeech['errors'] = [];
  out.on('audio', (a) => audio.push(a));
  out.on('error', (e) => errors.push(e));
  return { audio, errors, pcmFor: (id) => Buffer.concat(audio.filter((a) => a.speechId === id).map((a) => a.audio)) };
}

/** Root mean square of PCM16 LE samples: speech has a clear level; misaligned bytes read as loud noise. */
export function rms(pcm: Buffer): number {
  let sum = 0;
  const n = pcm.length >> 1;
  for (let i = 0; i < n; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return n ? Math.sqrt(sum / n) : 0;
}

/**
 * Writes `body` in `chunkBytes` pieces `delayMs` apart, like a server that synthesizes as it sends.
 * Resolves true when all was sent, false when the client went away first.
 */
export async function writeSlowly(res: ServerResponse, body: Buffer, chunkBytes: number, delayMs: number): Promise<boolean> {
  for (let i = 0; i < body.length; i += chunkBytes) {
    if (res.destroyed || res.socket?.destroyed) return false;
    res.write(body.subarray(i, i + chunkBytes));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  }
  if (res.destroyed || res.socket?.destroyed) return false;
  res.end();
  return true;
}

/** A protocol server listening on an ephemeral port of 127.0.0.1. */
export interface LoopbackServer {
  port: number;
  /** Drops every client and stops listening. */
  close(): Promise<void>;
}

/** Serves HTTP with `handle`; a handler that throws answers 500, or cuts an answer already under way. */
export function serveHttp(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): Promise<LoopbackServer> {
  const http = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500).end(err.message);
      else res.destroy();
    });
  });
  return listenOnLoopback(http, () => http.closeAllConnections());
}

/**
 * Serves WebSockets: `accept` answers each handshake with the HTTP status that refuses it, or with what to do
 * with the socket. Plain HTTP requests get 404.
 */
export function serveWebSocket(accept: (req: IncomingMessage) => number | ((ws: WebSocket) => void)): Promise<LoopbackServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const answer = accept(req);
    if (typeof answer === 'number') socket.end(`HTTP/1.1 ${answer} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    else wss.handleUpgrade(req, socket, head, answer);
  });
  return listenOnLoopback(http, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    http.closeAllConnections();
  });
}

async function listenOnLoopback(http: Server, dropClients: () => void): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        dropClients();
        http.close(() => resolve());
      }),
  };
}
