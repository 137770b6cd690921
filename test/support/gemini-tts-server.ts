import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { readBody } from './openai-speech-server.js';
import { serveHttp } from './loopback-server.js';

/**
 * A local server speaking the Gemini API's speech generation call: `POST /v1beta/models/{model}:generateContent`
 * with `x-goog-api-key`, `contents[].parts[].text` and `generationConfig.responseModalities: ["AUDIO"]` +
 * `speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName`. It answers (not streamed) with espeak-ng speech
 * as base64 PCM16 24 kHz in `candidates[0].content.parts[0].inlineData` (`audio/L16;codec=pcm;rate=24000`).
 * Errors use Google's `{error: {code, message, status}}`.
 */
export interface GeminiRequest {
  path: string;
  apiKey: string | undefined;
  body: {
    contents?: { parts?: { text?: string }[] }[];
    generationConfig?: { responseModalities?: string[]; speechConfig?: { voiceConfig?: { prebuiltVoiceConfig?: { voiceName?: string } } } };
  };
  audioBytes: number;
  /** True once the answer went out; false when the client closed the connection while waiting. */
  completed: boolean | null;
}

export interface GeminiTtsServer {
  /** Base URL to give the engine (`…/v1beta`). */
  baseUrl: string;
  requests: GeminiRequest[];
  failWith: number | 'no-audio' | null;
  /** When set, any other key is refused the way Google refuses it. */
  validKey: string | null;
  /** "Synthesis" time before the answer, per request index (default 0). */
  delayMs: (index: number) => number;
  /** Back to how it started: no requests recorded, no scripted failure, any key, no delay. */
  reset(): void;
  close(): Promise<void>;
}

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export async function startGeminiTtsServer(): Promise<GeminiTtsServer> {
  const initial = (): Omit<GeminiTtsServer, 'baseUrl' | 'reset' | 'close'> => ({ requests: [], failWith: null, validKey: null, delayMs: () => 0 });
  const state: GeminiTtsServer = { baseUrl: '', ...initial(), reset: () => Object.assign(state, initial()), close: async () => undefined };
  const server = await serveHttp(async (req, res) => {
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(value));
    const fail = (code: number, message: string) => json(code, { error: { code, message, status: STATUS[code] ?? 'UNKNOWN' } });
    const match = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return fail(404, 'not found');
    const body = JSON.parse((await readBody(req)).toString()) as GeminiRequest['body'];
    const record: GeminiRequest = { path: req.url!, apiKey: req.headers['x-goog-api-key'] as string | undefined, body, audioBytes: 0, completed: null };
    const index = state.requests.push(record) - 1;
    if (typeof state.failWith === 'number') return fail(state.failWith, 'scripted failure');
    if (!record.apiKey) return fail(403, 'Method doesn\'t allow unregistered callers');
    // Google answers a wrong key with 400 INVALID_ARGUMENT and the reason in an ErrorInfo detail.
    if (state.validKey && record.apiKey !== state.validKey) {
      return json(400, {
        error: {
          code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } }],
        },
      });
    }
    const text = body.contents?.[0]?.parts?.map((p) => p.text ?? '').join('') ?? '';
    const config = body.generationConfig;
    if (!text || !config?.responseModalities?.includes('AUDIO') || !config.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName) {
      return fail(400, 'Model tts requires AUDIO response modality, a voice and text');
    }
    const delay = state.delayMs(index);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed || req.socket.destroyed) {
      record.completed = false;
      return;
    }
    if (state.failWith === 'no-audio') {
      record.completed = true;
      return json(200, { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'OTHER' }] });
    }
    const pcm = await synthesizeSpeech(text, 24_000);
    record.audioBytes = pcm.length;
    json(200, {
      candidates: [{ content: { role: 'model', parts: [{ inlineData: { mimeType: 'audio/L16;codec=pcm;rate=24000', data: pcm.toString('base64') } }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 100, totalTokenCount: 105 },
      modelVersion: decodeURIComponent(match[1]!),
    });
    record.completed = true;
  });
  state.baseUrl = `http://127.0.0.1:${server.port}/v1beta`;
  state.close = server.close;
  return state;
}
