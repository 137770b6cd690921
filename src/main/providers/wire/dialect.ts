import type { ProviderCapabilities } from '../realtime.js';
import type { RealtimeQuirks } from './realtime-events.js';

export type Json = Record<string, unknown>;

export interface SessionParams {
  model: string;
  instructions: string;
  audioOutput: boolean;
  voice?: string;
}

/**
 * What differs between the OpenAI-style realtime providers. Everything here is pure: the shell sends what
 * these functions return and feeds what it receives to `mapRealtimeServerEvent`.
 */
export interface RealtimeDialect {
  /** Catalogue key of the provider this dialect normally talks to. */
  provider: string;
  capabilities: ProviderCapabilities;
  quirks: RealtimeQuirks;
  /** The one `session.update` sent after connecting. */
  sessionUpdate(p: SessionParams): Json;
  /** The event carrying one JPEG frame, or null when the provider has no native vision. */
  imageEvent(jpegBase64: string): Json | null;
  /** Events that put a user text turn into the conversation (`response.create` follows). */
  textTurn(text: string): Json[];
  /**
   * Events that give `text` as context for the next reply (`before`), and events that undo any session
   * change once that reply is over (`restore`), so a prime never extends the instructions for good.
   */
  contextPrime(text: string, p: SessionParams): { before: Json[]; restore: Json[] };
}

export function userTextItem(text: string, role: 'user' | 'system' = 'user'): Json {
  return { type: 'conversation.item.create', item: { type: 'message', role, content: [{ type: 'input_text', text }] } };
}

export const responseCreate = (): Json => ({ type: 'response.create' });
export const responseCancel = (): Json => ({ type: 'response.cancel' });
export const audioAppend = (pcm: Buffer): Json => ({ type: 'input_audio_buffer.append', audio: pcm.toString('base64') });
