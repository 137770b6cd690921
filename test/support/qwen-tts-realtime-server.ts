import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { serveWebSocket } from './loopback-server.js';

/**
 * A local server speaking DashScope's Qwen-TTS Realtime WebSocket protocol (`/api-ws/v1/realtime?model=…`,
 * `Authorization: Bearer <key>`): `session.created` on connect; client `session.update` → `session.updated`;
 * `input_text_buffer.append` adds text, and in `server_commit` mode each complete sentence is synthesized as
 * it arrives; `input_text_buffer.commit` → `input_text_buffer.committed` and synthesis of the rest;
 * `session.finish` → remaining audio, then `session.finished` and close. Audio is espeak-ng speech as base64
 * PCM16 24 kHz in `response.audio.delta` events inside `response.created` … `response.done`.
 */
export interface QwenSession {
  model: string | null;
  authorization: string | undefined;
  /** Every client event, in order. */
  events: { type: string; [key: string]: unknown }[];
  /** Text of each synthesized response, and its audio bytes. */
  responses: { text: string; audioBytes: number }[];
  /** Set when the client closed the socket before `session.finished` went out. */
  closedEarly: boolean;
}

export interface QwenTtsServer {
  url: string;
  sessions: QwenSession[];
  /** Refuse the handshake with this HTTP status. */
  rejectHandshake: number | null;
  /** Answer session.update with this `error` event instead of session.updated. */
  sessionError: { code: string; message: string } | null;
  deltaBytes: number;
  deltaDelayMs: number;
  /** Back to how it started: no sessions recorded, every handshake and session accepted, 4800-byte deltas without pauses. */
  reset(): void;
  close(): Promise<void>;
}

export async function startQwenTtsServer(): Promise<QwenTtsServer> {
  const initial = (): Omit<QwenTtsServer, 'url' | 'reset' | 'close'> => ({ sessions: [], rejectHandshake: null, sessionError: null, deltaBytes: 4800, deltaDelayMs: 0 });
  const state: QwenTtsServer = { url: '', ...initial(), reset: () => Object.assign(state, initial()), close: async () => undefined };
  const server = await serveWebSocket((req) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (state.rejectHandshake) return state.rejectHandshake;
    if (url.pathname !== '/api-ws/v1/realtime') return 404;
    if (!req.headers.authorization?.startsWith('Bearer ')) return 401;
    return (ws) => serve(ws, { model: url.searchParams.get('model'), authorization: req.headers.authorization, events: [], responses: [], closedEarly: false });
  });

  function serve(ws: WebSocket, session: QwenSession): void {
    state.sessions.push(session);
    const send = (event: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event_id: `event_${randomUUID()}`, ...event }));
    };
    let config = { voice: 'Cherry', mode: 'server_commit', response_format: 'pcm', sample_rate: 24_000 };
    let buffer = '';
    let finished = false;
    // Responses are produced one after another, in order.
    let work = Promise.resolve();
    const respond = (text: string) => {
      if (!text.trim()) return;
      work = work.then(async () => {
        if (ws.readyState !== ws.OPEN) return;
        const responseId = `resp_${randomUUID()}`;
        send({ type: 'response.created', response: { id: responseId, object: 'realtime.response', status: 'in_progress' } });
        const pcm = await synthesizeSpeech(text, config.sample_rate);
        const record = { text, audioBytes: 0 };
        session.responses.push(record);
        for (let i = 0; i < pcm.length; i += state.deltaBytes) {
          if (ws.readyState !== ws.OPEN) return;
          const delta = pcm.subarray(i, i + state.deltaBytes);
          record.audioBytes += delta.length;
          send({ type: 'response.audio.delta', response_id: responseId, item_id: `item_${responseId}`, delta: delta.toString('base64') });
          if (state.deltaDelayMs) await new Promise((r) => setTimeout(r, state.deltaDelayMs));
        }
        send({ type: 'response.audio.done', response_id: responseId });
        send({ type: 'response.done', response: { id: responseId, status: 'completed' } });
      });
    };
    ws.on('close', () => {
      if (!finished) session.closedEarly = true;
    });
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type: string; session?: Partial<typeof config>; text?: string };
      session.events.push(event);
      switch (event.type) {
        case 'session.update':
          if (state.sessionError) return send({ type: 'error', error: state.sessionError });
          config = { ...config, ...event.session };
          return send({ type: 'session.updated', session: { object: 'realtime.session', model: session.model, ...config } });
        case 'input_text_buffer.append': {
          buffer += event.text ?? '';
          if (config.mode !== 'server_commit') return;
          // server_commit: the service decides when to synthesize; here, at each complete sentence.
          const cut = buffer.search(/[.!?。!?][^.!?。!?]*$/);
          if (cut >= 0) {
            respond(buffer.slice(0, cut + 1));
            buffer = buffer.slice(cut + 1);
          }
          return;
        }
        case 'input_text_buffer.commit':
          respond(buffer);
          buffer = '';
          return send({ type: 'input_text_buffer.committed', item_id: `item_${randomUUID()}` });
        case 'session.finish':
          respond(buffer);
          buffer = '';
          void work.then(() => {
            finished = true;
            send({ type: 'session.finished' });
            ws.close(1000);
          });
          return;
        default:
          return send({ type: 'error', error: { code: 'invalid_value', message: `unknown event ${event.type}` } });
      }
    });
    send({ type: 'session.created', session: { object: 'realtime.session', id: `sess_${randomUUID()}`, model: session.model, ...config } });
  }

  state.url = `ws://127.0.0.1:${server.port}/api-ws/v1/realtime`;
  state.close = server.close;
  return state;
}
