import type { EventEmitter } from 'node:events';

/**
 * What the chat session needs from text-to-speech: reply text goes in as it streams, tagged with the
 * speech id it belongs to; 48 kHz audio (PCM16 LE, or Ogg/Opus pages where the engine makes them) comes
 * out tagged with the same id. Engines, clause segmentation, ready-gating and fallback live behind this.
 */
export interface SpeechOutputEvents {
  audio: [{ speechId: string; audio: Buffer; format: 'pcm16-48k' | 'ogg-opus' }];
  /** An engine failed; `code` is a spec status code such as TTS_CONNECTION_FAILED. Speech continues on the fallback. */
  error: [{ code: string; message: string }];
}

export interface SpeechOutput extends EventEmitter<SpeechOutputEvents> {
  /** Streamed reply text for `speechId`; a new id implicitly ends the previous one. */
  push(speechId: string, text: string): void;
  /** The reply for `speechId` is complete: speak the rest. */
  end(speechId: string): void;
  /** Stop now: drop queued text and audio, abort synthesis in progress. */
  interrupt(): void;
  close(): Promise<void>;
}
