import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import { validateCharacterName } from '../../shared/config/names.js';
import type { Logger } from '../../shared/log.js';
import type { MonitorFanout } from '../fanout.js';

/** WebSocket close code for a request we refuse (bad character name). */
const CLOSE_POLICY = 1008;

export interface SyncRoutesOptions {
  fanout: MonitorFanout;
  log: Logger;
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The character in the path, or undefined after closing the socket with a reason. */
function characterOf(socket: WebSocket, req: FastifyRequest, log: Logger): string | undefined {
  const raw = (req.params as { name?: string }).name;
  try {
    return validateCharacterName(raw);
  } catch (err) {
    log.warn({ path: req.url, reason: (err as Error).message }, 'websocket refused: invalid character name');
    socket.close(CLOSE_POLICY, 'invalid character name');
    return undefined;
  }
}

/**
 * The monitor's four sockets (monitor.md §4): main feeds /sync and /sync_binary; viewers (/ws) and the
 * subtitle overlay (/subtitle_ws) only listen, anything they send is ignored. Routing lives in MonitorFanout.
 */
export async function syncRoutes(app: FastifyInstance, opts: SyncRoutesOptions): Promise<void> {
  const { fanout, log } = opts;

  app.get('/sync/:name', { websocket: true }, (socket, req) => {
    const character = characterOf(socket, req, log);
    if (!character) return;
    log.info({ character }, 'main connected to /sync');
    socket.on('message', (data, isBinary) => {
      if (isBinary) return log.debug({ character }, 'binary frame on /sync ignored (audio belongs on /sync_binary)');
      fanout.syncText(character, asBuffer(data).toString('utf8'));
    });
    socket.on('error', (err) => log.warn({ err, character }, '/sync socket error'));
    socket.on('close', () => log.info({ character }, 'main disconnected from /sync'));
  });

  app.get('/sync_binary/:name', { websocket: true }, (socket, req) => {
    const character = characterOf(socket, req, log);
    if (!character) return;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) return log.debug({ character }, 'text frame on /sync_binary ignored');
      fanout.syncBinary(character, asBuffer(data));
    });
    socket.on('error', (err) => log.warn({ err, character }, '/sync_binary socket error'));
  });

  app.get('/ws/:name', { websocket: true }, (socket, req) => {
    const character = characterOf(socket, req, log);
    if (!character) return;
    const remove = fanout.addViewer(character, socket);
    socket.on('close', remove);
    socket.on('error', (err) => log.debug({ err, character }, 'viewer socket error'));
    // Viewers are read-only: their messages are read (so buffers drain) and discarded.
    socket.on('message', () => {});
  });

  app.get('/subtitle_ws', { websocket: true }, (socket, req) => {
    // Optional ?lanlan_name= limits the overlay to one character; without it, every character's text (original).
    const requested = (req.query as { lanlan_name?: unknown }).lanlan_name;
    let character: string | undefined;
    if (requested !== undefined && requested !== '') {
      try {
        character = validateCharacterName(requested);
      } catch {
        socket.close(CLOSE_POLICY, 'invalid lanlan_name');
        return;
      }
    }
    const remove = fanout.addSubtitleClient(socket, character);
    socket.on('close', remove);
    socket.on('error', (err) => log.debug({ err }, 'subtitle socket error'));
    socket.on('message', () => {});
    const current = character ? fanout.currentSubtitle(character) : '';
    if (current) socket.send(JSON.stringify({ type: 'subtitle', text: current }));
  });
}
