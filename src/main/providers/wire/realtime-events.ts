import { classifyProviderError } from '../errors.js';
import type { ProviderErrorCode } from '../realtime.js';

/**
 * Pure mapping of the OpenAI-style realtime server events (OpenAI GA and beta names, Qwen Omni, GLM, StepFun:
 * all four speak this family) to a small normalised vocabulary. The socket shell adds the stateful parts
 * (barge-in suppression, silent responses, transcript ordering).
 */
export type RealtimeWireEvent =
  | { kind: 'session_ready' }
  | { kind: 'response_created'; responseId: string }
  | { kind: 'text_delta'; responseId?: string; text: string; source: 'text' | 'transcript' }
  | { kind: 'transcript_done'; responseId?: string; text: string }
  | { kind: 'audio_delta'; responseId?: string; pcm: Buffer }
  | { kind: 'input_transcript'; text: string }
  | { kind: 'speech_started' }
  | { kind: 'speech_stopped' }
  | { kind: 'response_done'; responseId: string; status: string }
  | { kind: 'error'; code: ProviderErrorCode; message: string; fatal: boolean; providerCode: string };

export interface RealtimeQuirks {
  /** GLM streams text deltas that duplicate its audio transcript; the original dropped them. */
  ignoreTextDeltas?: boolean;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const optId = (e: Json): string | undefined => (typeof e.response_id === 'string' ? e.response_id : undefined);

/** Provider error codes that report a harmless race, not a failure (e.g. cancelling a reply that just ended). */
const BENIGN_ERROR_CODES = new Set(['response_cancel_not_active', 'conversation_already_has_active_response']);

export function mapRealtimeServerEvent(event: Json, quirks: RealtimeQuirks = {}): RealtimeWireEvent | null {
  switch (event.type) {
    case 'session.updated':
      return { kind: 'session_ready' };
    case 'response.created': {
      const response = obj(event.response);
      return { kind: 'response_created', responseId: str(response.id) };
    }
    case 'response.output_text.delta':
    case 'response.text.delta':
      if (quirks.ignoreTextDeltas) return null;
      return { kind: 'text_delta', responseId: optId(event), text: str(event.delta), source: 'text' };
    case 'response.output_audio_transcript.delta':
    case 'response.audio_transcript.delta':
      return { kind: 'text_delta', responseId: optId(event), text: str(event.delta), source: 'transcript' };
    case 'response.output_audio_transcript.done':
    case 'response.audio_transcript.done':
      return { kind: 'transcript_done', responseId: optId(event), text: str(event.transcript) };
    case 'response.output_audio.delta':
    case 'response.audio.delta':
      return { kind: 'audio_delta', responseId: optId(event), pcm: Buffer.from(str(event.delta), 'base64') };
    case 'conversation.item.input_audio_transcription.completed':
      return { kind: 'input_transcript', text: str(event.transcript) };
    case 'input_audio_buffer.speech_started':
      return { kind: 'speech_started' };
    case 'input_audio_buffer.speech_stopped':
      return { kind: 'speech_stopped' };
    case 'response.done': {
      const response = obj(event.response);
      return { kind: 'response_done', responseId: str(response.id), status: str(response.status) || 'completed' };
    }
    case 'error': {
      const error = obj(event.error);
      const providerCode = error.code === undefined || error.code === null ? '' : String(error.code);
      if (BENIGN_ERROR_CODES.has(providerCode)) return null;
      const status = typeof error.status === 'number' ? error.status : undefined;
      const classified = classifyProviderError({ code: providerCode, type: str(error.type), httpStatus: status });
      return { kind: 'error', ...classified, message: str(error.message) || providerCode || 'provider error', providerCode };
    }
    default:
      return null;
  }
}
