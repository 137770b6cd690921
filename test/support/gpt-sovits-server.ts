import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { readBody, streamingWavHeader } from './openai-speech-server.js';
import { serveHttp } from './loopback-server.js';
import { writeSlowly } from './tts-capture.js';

/**
 * A local server speaking GPT-SoVITS `api_v2.py` `POST /tts`: JSON with the required `text`, `text_lang`,
 * `ref_audio_path`, `prompt_lang` (400 `{message}` when one is missing or a language is unsupported, as
 * api_v2 checks). With `streaming_mode` and `media_type: wav` it answers like api_v2: first a WAV header
 * with no frames (data size 0), then raw PCM16 pieces as they are "synthesized" (32 kHz, the v2 model rate).
 * Without streaming it sends one whole WAV.
 */
export interface SovitsRequest {
  body: Record<string, unknown>;
  audioBytes: number;
  completed: boolean | null;
}

export interface GptSovitsServer {
  url: string;
  requests: SovitsRequest[];
  failWith: number | null;
  chunkBytes: number;
  chunkDelayMs: number;
  sampleRate: number;
  /** Back to how it started: no requests recorded, no scripted failure, 6401-byte pieces without pauses, 32 kHz. */
  reset(): void;
  close(): Promise<void>;
}

const LANGS = new Set(['zh', 'en', 'ja', 'ko', 'yue', 'all_zh', 'all_ja', 'all_ko', 'all_yue', 'auto', 'auto_yue']);

export async function startGptSovitsServer(): Promise<GptSovitsServer> {
  const initial = (): Omit<GptSovitsServer, 'url' | 'reset' | 'close'> => ({ requests: [], failWith: null, chunkBytes: 6401, chunkDelayMs: 0, sampleRate: 32_000 });
  const state: GptSovitsServer = { url: '', ...initial(), reset: () => Object.assign(state, initial()), close: async () => undefined };
  const server = await serveHttp(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/tts') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    const body = JSON.parse((await readBody(req)).toString()) as Record<string, unknown>;
    const record: SovitsRequest = { body, audioBytes: 0, completed: null };
    state.requests.push(record);
    const fail = (status: number, message: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
    if (state.failWith) return fail(state.failWith, 'tts failed');
    if (!body.text) return fail(400, 'text is required');
    if (!body.ref_audio_path) return fail(400, 'ref_audio_path is required');
    if (!LANGS.has(String(body.text_lang).toLowerCase())) return fail(400, `text_lang: ${String(body.text_lang)} is not supported in version v2`);
    if (!LANGS.has(String(body.prompt_lang).toLowerCase())) return fail(400, `prompt_lang: ${String(body.prompt_lang)} is not supported in version v2`);
    const mediaType = body.media_type ?? 'wav';
    if (mediaType !== 'wav') return fail(400, `media_type: ${String(mediaType)} is not supported`);
    const pcm = await synthesizeSpeech(String(body.text), state.sampleRate);
    record.audioBytes = pcm.length;
    const streaming = body.streaming_mode === true || body.streaming_mode === 1;
    const payload = Buffer.concat([streamingWavHeader(state.sampleRate, streaming ? 0 : pcm.length), pcm]);
    res.writeHead(200, { 'content-type': 'audio/wav' });
    record.completed = await writeSlowly(res, payload, streaming ? state.chunkBytes : payload.length, state.chunkDelayMs);
  });
  state.url = `http://127.0.0.1:${server.port}`;
  state.close = server.close;
  return state;
}
