import type { Readable } from 'zeromq';
import type { Logger } from '../log.js';

/**
 * Reads single-frame messages from `socket` until it is closed, handing each first frame to `onFrame`.
 * A throwing handler is logged and the loop goes on: one bad message must never stop the bridge.
 * Resolves when the socket closes.
 */
export async function receiveFrames(
  socket: Readable & { closed: boolean },
  label: string,
  log: Logger,
  onFrame: (frame: Buffer) => void,
): Promise<void> {
  try {
    for await (const parts of socket) {
      const frame = parts[0];
      if (!frame) continue;
      if (parts.length > 1) log.debug({ socket: label, parts: parts.length }, `zmq ${label}: multipart message, using the first frame`);
      try {
        onFrame(frame);
      } catch (err) {
        log.error({ err, socket: label }, `zmq ${label}: handler failed`);
      }
    }
  } catch (err) {
    if (!socket.closed) log.error({ err, socket: label }, `zmq ${label}: receive loop stopped`);
  }
}
