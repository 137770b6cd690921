import { spawn } from 'node:child_process';
import type { WebSocket } from 'ws';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { serveWebSocket } from './loopback-server.js';

/**
 * A local server speaking DashScope's duplex inference WebSocket for CosyVoice (`/api-ws/v1/inference`,
 * `Authorization: bearer <key>`): `run-task` → `task-started`; `continue-task` text is synthesized sentence by
 * sentence as it arrives; `finish-task` → the rest, then `task-finished`. Audio is one Ogg/Opus stream per task,
 * 48 kHz mono at the requested bit rate, made by opus-tools' `opusenc` from espeak-ng speech and sent as binary
 * frames as the encoder writes them. `failTask` answers `run-task` with `task-failed`.
 */
export interface CosyTask {
  authorization: string | undefined;
  /** Every client message, in order. */
  messages: { header: { action: string; task_id: string; streaming?: string }; payload: Record<string, any> }[];
  /** Every binary frame sent, in order: together they are the task's Ogg/Opus stream. */
  frames: Buffer[];
  /** The sentences synthesized. */
  sentences: string[];
  closedEarly: boolean;
}

export interface CosyVoiceServer {
  /** ws://127.0.0.1:port (the engine's base; the path is added from DashScope's layout). */
  base: string;
  url: string;
  tasks: CosyTask[];
  rejectHandshake: number | null;
  failTask: { code: string; message: string } | null;
  /** Back to how it started: no tasks recorded, every handshake and task accepted. */
  reset(): void;
  close(): Promise<void>;
}

/** Streams PCM16 48 kHz mono into `opusenc` and hands out its Ogg pages as they are written. */
function opusEncoder(bitrateKbps: number, onPages: (pages: Buffer) => void): { write(pcm: Buffer): void; end(): Promise<void>; kill(): void } {
  const enc = spawn('opusenc', ['--quiet', '--raw', '--raw-rate', '48000', '--raw-chan', '1', '--raw-bits', '16', '--bitrate', String(bitrateKbps), '--max-delay', '60', '-', '-'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  enc.stdout.on('data', (d: Buffer) => onPages(d));
  const exited = new Promise<void>((resolve, reject) => {
    enc.once('error', reject);
    enc.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`opusenc exited with ${code}`))));
  });
  exited.catch(() => undefined);
  return {
    write: (pcm) => {
      if (enc.stdin.writable) enc.stdin.write(pcm);
    },
    kill: () => {
      enc.stdin.destroy();
      enc.kill();
    },
    end: async () => {
      enc.stdin.end();
      await exited;
    },
  };
}

export async function startCosyVoiceServer(): Promise<CosyVoiceServer> {
  const initial = (): Omit<CosyVoiceServer, 'base' | 'url' | 'reset' | 'close'> => ({ tasks: [], rejectHandshake: null, failTask: null });
  const state: CosyVoiceServer = { base: '', url: '', ...initial(), reset: () => Object.assign(state, initial()), close: async () => undefined };
  const server = await serveWebSocket((req) => {
    if (state.rejectHandshake) return state.rejectHandshake;
    if (new URL(req.url ?? '/', 'http://local').pathname !== '/api-ws/v1/inference') return 404;
    if (!/^bearer \S+/i.test(req.headers.authorization ?? '')) return 401;
    return (ws) => serve(ws, { authorization: req.headers.authorization, messages: [], frames: [], sentences: [], closedEarly: false });
  });

  function serve(ws: WebSocket, task: CosyTask): void {
    state.tasks.push(task);
    let taskId = '';
    let finished = false;
    let encoder: ReturnType<typeof opusEncoder> | undefined;
    let buffer = '';
    // Sentences are synthesized and encoded one after another, in order.
    let work = Promise.resolve();
    const event = (name: string, extra: Record<string, unknown> = {}) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ header: { task_id: taskId, event: name, attributes: {}, ...extra }, payload: {} }));
    };
    const speak = (text: string) => {
      if (!text.trim()) return;
      work = work.then(async () => {
        task.sentences.push(text.trim());
        encoder?.write(await synthesizeSpeech(text, 48_000));
      });
    };
    ws.on('close', () => {
      if (finished) return;
      task.closedEarly = true;
      encoder?.kill(); // a cut task synthesizes no more
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as CosyTask['messages'][number];
      task.messages.push(message);
      switch (message.header.action) {
        case 'run-task': {
          taskId = message.header.task_id;
          if (state.failTask) {
            event('task-failed', { error_code: state.failTask.code, error_message: state.failTask.message });
            return;
          }
          const params = message.payload.parameters as { format?: string; sample_rate?: number; bit_rate?: number };
          if (params.format !== 'opus' || params.sample_rate !== 48_000) {
            event('task-failed', { error_code: 'InvalidParameter', error_message: 'this server speaks opus at 48000 Hz only' });
            return;
          }
          encoder = opusEncoder(params.bit_rate ?? 64, (pages) => {
            task.frames.push(pages);
            if (ws.readyState === ws.OPEN) ws.send(pages, { binary: true });
          });
          event('task-started');
          return;
        }
        case 'continue-task': {
          buffer += String(message.payload.input?.text ?? '');
          const cut = buffer.search(/[.!?。!?][^.!?。!?]*$/);
          if (cut >= 0) {
            speak(buffer.slice(0, cut + 1));
            buffer = buffer.slice(cut + 1);
          }
          return;
        }
        case 'finish-task':
          speak(buffer);
          buffer = '';
          void work
            .then(() => encoder?.end())
            .then(() => {
              finished = true;
              event('task-finished');
            });
          return;
        default:
          event('task-failed', { error_code: 'InvalidParameter', error_message: `unknown action ${message.header.action}` });
      }
    });
  }

  state.base = `ws://127.0.0.1:${server.port}`;
  state.url = `${state.base}/api-ws/v1/inference`;
  state.close = server.close;
  return state;
}
