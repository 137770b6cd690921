import { createServer, type IncomingMessage } from 'node:http';
import { handleAgentChatCompletions, SIM_AGENT_CHAT_PATH } from './agent-routes.js';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerKey, handleChatCompletions, handleModels, type ChatFaults } from './chat-routes.js';
import { GEMINI_BAD_KEY_CLOSE, SimGeminiSession } from './gemini-session.js';
import { dialectForModel, realtimeAuthErrorBody, SimRealtimeSession } from './realtime-session.js';
import { DEFAULT_PACING, type ReplyPacing } from './reply-stream.js';
import { emptyStats, type SimSessionSnapshot, type SimStats } from './stats.js';

export interface SimServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Keys the sim rejects the way each provider does (HTTP 401 / Gemini close 1007). A missing key is rejected too. */
  badKeys?: readonly string[];
  pacing?: Partial<ReplyPacing>;
}

export interface SimServer {
  /** `http://host:port` — chat base URL is `${url}/v1`. */
  url: string;
  /** `ws://host:port/v1/realtime` (dialect by `?model=`); Gemini Live is at `geminiUrl`. */
  realtimeUrl: string;
  geminiUrl: string;
  port: number;
  stats: SimStats;
  /** Live connections' effective configuration. */
  sessions(): SimSessionSnapshot[];
  /** The next `count` chat requests fail with `status` (exercise retries). */
  failChatRequests(count: number, status: number): void;
  /** Drops every open WebSocket without a close frame, as a crashed provider would. */
  dropConnections(): void;
  close(): Promise<void>;
}

const GEMINI_PATH = '/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent';

function rejectUpgrade(socket: Duplex, status: number, statusText: string, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/**
 * neko's offline provider: one local HTTP server speaking the real wire protocols of the OpenAI-style
 * realtime providers (dialect by model name, like the original), Gemini Live, and OpenAI chat completions.
 * Every provider client is tested against it, and it is the no-key, no-network demo.
 */
export async function startSimServer(opts: SimServerOptions = {}): Promise<SimServer> {
  const stats = emptyStats();
  const pacing: ReplyPacing = { ...DEFAULT_PACING, ...opts.pacing };
  const badKeys = new Set(opts.badKeys ?? []);
  const isBadKey = (key: string | null) => !key || badKeys.has(key);
  const faults: ChatFaults = { remaining: 0, status: 503 };
  const live = new Map<WebSocket, { snapshot(): SimSessionSnapshot }>();

  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/v1/models') return handleModels(res);
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      handleChatCompletions(req, res, { stats, isBadKey, faults, textIntervalMs: pacing.textIntervalMs }).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
      return;
    }
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', service: 'neko-sim' }));
      return;
    }
    // The agent's tool-calling model for the offline demo.
    if (req.method === 'POST' && path === SIM_AGENT_CHAT_PATH) return void handleAgentChatCompletions(req, res).catch(() => res.writeHead(500).end());
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error', code: 'not_found' } }));
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.includes('BidiGenerateContent')) {
      const key = url.searchParams.get('key') ?? (typeof req.headers['x-goog-api-key'] === 'string' ? req.headers['x-goog-api-key'] : null);
      return wss.handleUpgrade(req, socket, head, (ws) => {
        if (isBadKey(key)) return ws.close(GEMINI_BAD_KEY_CLOSE.code, GEMINI_BAD_KEY_CLOSE.reason);
        stats.connections += 1;
        track(ws, new SimGeminiSession(ws, { pacing, stats, model: '' }));
      });
    }
    if (url.pathname.endsWith('/realtime')) {
      const model = url.searchParams.get('model') ?? '';
      const dialect = dialectForModel(model);
      if (isBadKey(bearerKey(req))) return rejectUpgrade(socket, 401, 'Unauthorized', realtimeAuthErrorBody(dialect));
      return wss.handleUpgrade(req, socket, head, (ws) => {
        stats.connections += 1;
        track(ws, new SimRealtimeSession(ws, { dialect, model, pacing, stats }));
      });
    }
    rejectUpgrade(socket, 404, 'Not Found', { error: { message: 'Not found', code: 'not_found' } });
  });

  function track(ws: WebSocket, session: { snapshot(): SimSessionSnapshot }): void {
    live.set(ws, session);
    ws.on('close', () => live.delete(ws));
    ws.on('error', () => ws.terminate());
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const origin = `${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: `http://${origin}`,
    realtimeUrl: `ws://${origin}/v1/realtime`,
    geminiUrl: `ws://${origin}${GEMINI_PATH}`,
    port,
    stats,
    sessions: () => [...live.values()].map((s) => s.snapshot()),
    failChatRequests(count, status) {
      faults.remaining = count;
      faults.status = status;
    },
    dropConnections() {
      for (const ws of live.keys()) ws.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
