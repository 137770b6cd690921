/**
 * worker_threads entry: hosts named audio streams so AGC and resampling never run on the main event loop.
 * Requests are handled strictly in arrival order (opening a stream is async), which keeps every stream's
 * chunks in order. Built as its own bundle (dist/audio-worker.mjs) next to dist/main.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { AudioStream } from './audio-stream.js';
import type { AudioWorkerReply, AudioWorkerRequest } from './audio-worker-protocol.js';

if (!parentPort) throw new Error('audio-worker.ts must run in a worker thread');
const port = parentPort;
const streams = new Map<string, AudioStream>();

function streamFor(id: string): AudioStream {
  const stream = streams.get(id);
  if (!stream) throw new Error(`no open audio stream "${id}"`);
  return stream;
}

/** Exactly the bytes of a Buffer, in an ArrayBuffer this thread may give away. */
function ownedArrayBuffer(bytes: Buffer): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return new Uint8Array(bytes).buffer;
}

async function handle(request: AudioWorkerRequest): Promise<Buffer | undefined> {
  switch (request.op) {
    case 'open': {
      if (streams.has(request.streamId)) throw new Error(`audio stream "${request.streamId}" is already open`);
      streams.set(request.streamId, await AudioStream.create(request.spec));
      return undefined;
    }
    case 'process':
      return streamFor(request.streamId).process(new Uint8Array(request.pcm));
    case 'flush':
      return streamFor(request.streamId).flush();
    case 'reset':
      streamFor(request.streamId).reset();
      return undefined;
    case 'close':
      streams.get(request.streamId)?.destroy();
      streams.delete(request.streamId);
      return undefined;
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: AudioWorkerRequest) => {
  queue = queue.then(async () => {
    let reply: AudioWorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const output = await handle(request);
      if (output) {
        const pcm = ownedArrayBuffer(output);
        transfer.push(pcm);
        reply = { requestId: request.requestId, ok: true, pcm };
      } else {
        reply = { requestId: request.requestId, ok: true };
      }
    } catch (error) {
      reply = { requestId: request.requestId, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply, transfer);
  });
});
