import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A protocol server listening on a port of 127.0.0.1 (an ephemeral one unless asked otherwise). */
export interface LoopbackServer {
  port: number;
  /** Drops every client and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves HTTP with `handle`; a handler that throws answers 500, or cuts an answer already under way.
 * `port` 0 (the default) takes any free port; a port already taken rejects.
 */
export function serveHttp(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>, port = 0): Promise<LoopbackServer> {
  const http = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500).end(err.message);
      else res.destroy();
    });
  });
  return listenOnLoopback(http, port, () => http.closeAllConnections());
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
  return listenOnLoopback(http, 0, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    http.closeAllConnections();
  });
}

async function listenOnLoopback(http: Server, port: number, dropClients: () => void): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        dropClients();
        http.close(() => resolve());
      }),
  };
}
