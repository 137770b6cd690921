/**
 * The contract every text-to-speech engine implements. An engine turns one reply's streamed text (an
 * "utterance") into audio chunks, in order. The pipeline above it does queueing, speech ids, resampling to
 * 48 kHz and fallback; an engine only speaks and stops when told.
 */

/** One piece of synthesized audio: raw PCM16 LE mono at its own rate, or Ogg/Opus pages passed to the page as they are. */
export type TtsChunk = { format: 'pcm16'; sampleRate: number; data: Buffer } | { format: 'ogg-opus'; data: Buffer };

/** A problem an engine survived (FallbackTts switched engines); `code` is a spec status code. */
export interface TtsProblem {
  code: string;
  message: string;
}

export interface TtsSink {
  audio(chunk: TtsChunk): void;
  /** Reported at most once per failover; the utterance continues on another engine. */
  problem(problem: TtsProblem): void;
}

/** One reply being spoken. */
export interface TtsUtterance {
  /** More reply text (any size: a token, a clause, a paragraph). */
  write(text: string): void;
  /** No more text: speak the rest, then settle `finished`. */
  end(): void;
  /** Stop now: drop unspoken text, cancel synthesis in flight (kill the process, close the socket, abort the request). */
  abort(): void;
  /** Resolves after the last chunk (or right after abort); rejects with TtsEngineError when synthesis failed. */
  readonly finished: Promise<void>;
}

export interface TtsEngine {
  /** Short name for logs and status messages (`espeak-ng`, `openai`, `cosyvoice`, …). */
  readonly name: string;
  /** Resolves once the engine can speak (program found, server reachable); rejects with TtsEngineError when it cannot. */
  prepare(onProblem: (problem: TtsProblem) => void): Promise<void>;
  start(sink: TtsSink): TtsUtterance;
  close(): Promise<void>;
}

/** Status codes an engine failure maps to (websocket.md §3.6). */
export type TtsErrorCode = 'TTS_CONNECTION_FAILED' | 'API_KEY_REJECTED' | 'API_RATE_LIMIT' | 'API_ARREARS';

export class TtsEngineError extends Error {
  constructor(
    readonly code: TtsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TtsEngineError';
  }
}

/**
 * HTTP status of a failed TTS request → status code the page understands. Google answers a wrong key with
 * 400 INVALID_ARGUMENT and the reason `API_KEY_INVALID` in the body, not with 401.
 */
export function ttsErrorForHttpStatus(engine: string, status: number, body: string): TtsEngineError {
  const keyRefused = status === 401 || status === 403 || (status === 400 && body.includes('API_KEY_INVALID'));
  const code: TtsErrorCode = keyRefused ? 'API_KEY_REJECTED' : status === 429 ? 'API_RATE_LIMIT' : status === 402 ? 'API_ARREARS' : 'TTS_CONNECTION_FAILED';
  return new TtsEngineError(code, `${engine} answered HTTP ${status}: ${body.slice(0, 200)}`);
}

/** Any thrown value as a TtsEngineError (network errors become TTS_CONNECTION_FAILED). */
export function asTtsError(engine: string, err: unknown): TtsEngineError {
  if (err instanceof TtsEngineError) return err;
  const e = err as { message?: string; cause?: { message?: string } };
  return new TtsEngineError('TTS_CONNECTION_FAILED', `${engine}: ${e?.cause?.message ?? e?.message ?? String(err)}`);
}
