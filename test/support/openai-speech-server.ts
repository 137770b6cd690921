import type { IncomingMessage } from 'node:http';
import { pcm16WavHeader } from '../../src/main/tts/wav-stream.js';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { serveHttp } from './loopback-server.js';
import { writeSlowly } from './tts-capture.js';

/**
 * A local server speaking OpenAI's `POST /v1/audio/speech`: JSON `{model, input, voice, response_format,
 * speed?, instructions?}` with `Authorization: Bearer <key>`; answers with espeak-ng speech of `input` as
 * `pcm` (headerless PCM16 LE mono, 24 kHz as OpenAI documents) or `wav` (streamed with a placeholder data
 * size), sent in pieces as it "synthesizes". Errors look like OpenAI's `{error: {message, type}}`.
 */
export interface SpeechRequest {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
  /** Bytes of audio the server had for this request. */
  audioBytes: number;
  /** True once the whole answer went out; false when the client closed the connection first. */
  completed: boolean | null;
}

export interface OpenAiSpeechServer {
  /** Base URL to give the engine (`…/v1`). */
  baseUrl: string;
  requests: SpeechRequest[];
  /** Mutable behaviour: answer every request with this HTTP status (and an OpenAI error body), or as `json` 200. */
  failWith: number | 'json-200' | null;
  /** Piece size and pause while streaming the answer (odd sizes split samples across pieces). */
  chunkBytes: number;
  chunkDelayMs: number;
  /** PCM rate for `pcm` and `wav` answers. */
  sampleRate: number;
  /** Back to how it started: no requests recorded, no scripted failure, 4801-byte pieces without pauses, 24 kHz. */
  reset(): void;
  close(): Promise<void>;
}

export async function startOpenAiSpeechServer(): Promise<OpenAiSpeechServer> {
  const initial = (): Omit<OpenAiSpeechServer, 'baseUrl' | 'reset' | 'close'> => ({ requests: [], failWith: null, chunkBytes: 4801, chunkDelayMs: 0, sampleRate: 24_000 });
  const state: OpenAiSpeechServer = { baseUrl: '', ...initial(), reset: () => Object.assign(state, initial()), close: async () => undefined };
  const server = await serveHttp(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/audio/speech') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const body = JSON.parse((await readBody(req)).toString()) as Record<string, unknown>;
    const record: SpeechRequest = { path: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body, audioBytes: 0, completed: null };
    state.requests.push(record);
    if (state.failWith === 'json-200') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":{"message":"quota","type":"insufficient_quota"}}');
      return;
    }
    if (state.failWith) {
      res.writeHead(state.failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const format = body.response_format ?? 'mp3';
    if (typeof body.input !== 'string' || !body.input || typeof body.model !== 'string' || typeof body.voice !== 'string' || (format !== 'pcm' && format !== 'wav')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad request', type: 'invalid_request_error' } }));
      return;
    }
    const pcm = await synthesizeSpeech(body.input, state.sampleRate);
    record.audioBytes = pcm.length;
    const payload = format === 'wav' ? Buffer.concat([streamingWavHeader(state.sampleRate), pcm]) : pcm;
    res.writeHead(200, { 'content-type': format === 'wav' ? 'audio/wav' : 'audio/pcm', 'transfer-encoding': 'chunked' });
    record.completed = await writeSlowly(res, payload, state.chunkBytes, state.chunkDelayMs);
  });
  state.baseUrl = `http://127.0.0.1:${server.port}/v1`;
  state.close = server.close;
  return state;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A 44-byte PCM16 mono WAV header whose sizes are the 0xFFFFFFFF placeholder streaming servers send. */
export function streamingWavHeader(sampleRate: number, dataBytes = 0xffffffff): Buffer {
  return pcm16WavHeader(sampleRate, dataBytes, dataBytes === 0xffffffff ? 0xffffffff : 36 + dataBytes);
}
