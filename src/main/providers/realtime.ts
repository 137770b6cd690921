import type { EventEmitter } from 'node:events';

/**
 * One interface for every model connection the chat core uses, realtime speech-to-speech or text-only.
 * Session logic imports only this file; each provider is a thin shell (socket, timers) over a pure wire
 * mapping (provider JSON → ProviderEvent) that is unit-tested with fixtures.
 */

/** What a provider can do, so the session decides where audio and images go without knowing who it talks to. */
export interface ProviderCapabilities {
  /** Accepts microphone audio (realtime); false for chat-completions (voice goes through STT first). */
  audioInput: boolean;
  /** Can speak by itself; false means replies are text and TTS voices them. */
  audioOutput: boolean;
  /** Accepts images (screen/camera frames). */
  vision: boolean;
  /** Detects turns on the server (speech_started/stopped events); false means the client decides. */
  serverVad: boolean;
  /** PCM16 mono rate of `sendAudio` input, e.g. 16000. */
  inputSampleRate: number;
  /** PCM16 mono rate of `audio` events, e.g. 24000. */
  outputSampleRate: number;
}

export interface ConnectOptions {
  /** System prompt: character prompt + memory context (+ turns since a hot-swap trigger). */
  instructions: string;
  /** Ask the provider for audio replies; false when TTS will voice the text. */
  audioOutput: boolean;
  /** Provider voice name, when the provider speaks. */
  voice?: string;
  /** Abort a connect that takes too long (the session counts it as a start failure). */
  signal?: AbortSignal;
}

/** Normalised events. Every event is emitted by exactly one connection; the session drops events from stale ones. */
export interface ProviderEvents {
  /** A reply started (response.created / first model content). */
  response_started: [{ responseId: string }];
  /** Streamed reply text (model text or transcript of its speech). `first` on the first chunk of a reply. */
  text: [{ text: string; first: boolean; source: 'text' | 'transcript' }];
  /** Reply audio, PCM16 LE mono at capabilities.outputSampleRate. */
  audio: [{ pcm: Buffer }];
  /** The user's recognised speech for this turn. */
  input_transcript: [{ text: string }];
  /** Server VAD: the user started speaking (barge-in point). */
  speech_started: [];
  /** Server VAD: the user stopped speaking (a new turn begins). */
  speech_stopped: [];
  /**
   * Text mode: the reply streamed so far broke the length guard and is void (websocket.md §3.7). With
   * `willRetry` a fresh reply follows in the same turn; otherwise the turn ends without one.
   */
  response_discarded: [{ responseId: string; reason: string; attempt: number; maxAttempts: number; willRetry: boolean }];
  /** A reply finished (or was cancelled); `text` is its full text when known. */
  response_done: [{ responseId: string; text: string; cancelled: boolean }];
  /** A provider error. `fatal` errors end the connection; codes follow the spec's status codes. */
  error: [{ code: string; message: string; fatal: boolean }];
  /** The connection is gone. `byServer` false after our own close(). */
  closed: [{ byServer: boolean; code?: number; reason?: string }];
}

export interface RealtimeProvider extends EventEmitter<ProviderEvents> {
  /** Unique per connection: the session tags and filters events by it. */
  readonly connectionId: string;
  /** Provider key from the catalogue (`openai`, `qwen`, `gemini`, `sim`, …). */
  readonly provider: string;
  readonly capabilities: ProviderCapabilities;
  connect(opts: ConnectOptions): Promise<void>;
  /** Microphone audio at capabilities.inputSampleRate. Ignored by providers without audio input. */
  sendAudio(pcm: Buffer): void;
  /** A user text turn; the provider answers it. */
  sendText(text: string): void;
  /** One JPEG frame (bare base64). Rate limiting is the session's job. */
  sendImage(jpegBase64: string): void;
  /**
   * Asks for a reply to `text` given as context (hot-swap prime, agent results). `silent` suppresses the
   * reply's output (the prime only loads context). Must not change the session's instructions permanently.
   */
  createResponse(text: string, opts: { silent: boolean }): void;
  /** Stops the reply in progress (barge-in). Output of that reply stops at once. */
  interrupt(): void;
  /**
   * Forgets the conversation so far, keeping the instructions (a model stuck repeating itself). Only
   * providers that hold the history themselves have it; realtime ones are renewed by a hot-swap instead.
   */
  resetHistory?(): void;
  close(): Promise<void>;
}

/** Error codes a provider reports; the same strings as the spec's `status` codes so they pass through unchanged. */
export const PROVIDER_ERROR_CODES = [
  'API_KEY_REJECTED', 'API_RATE_LIMIT', 'API_RATE_LIMIT_SESSION', 'API_ARREARS', 'API_QUOTA_TIME', 'API_POLICY_VIOLATION',
  'API_UNKNOWN_ERROR', 'SERVER_BUSY_THROTTLE', 'LLM_CONNECTION_FAILED', 'CONNECTION_CLOSED_ABNORMAL', 'CONNECTION_TIMEOUT',
  'RESPONSE_TIMEOUT', 'IMAGE_BLOCKED',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];
