import { z } from 'zod';

/** Main → page messages on `/ws/{character}` (shared/spec websocket.md §3). Binary audio frames follow `audio_chunk`. */
export const InputModeSchema = z.enum(['audio', 'text']);
export type InputMode = z.infer<typeof InputModeSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session_preparing'), input_mode: InputModeSchema }),
  z.object({ type: z.literal('session_started'), input_mode: InputModeSchema }),
  z.object({ type: z.literal('session_failed'), input_mode: InputModeSchema }),
  z.object({ type: z.literal('session_ended_by_server'), input_mode: InputModeSchema }),
  z.object({ type: z.literal('auto_close_mic'), message: z.string() }),
  z.object({ type: z.literal('gemini_response'), text: z.string(), isNewMessage: z.boolean() }),
  z.object({ type: z.literal('audio_chunk'), speech_id: z.string() }),
  z.object({ type: z.literal('user_transcript'), text: z.string() }),
  z.object({ type: z.literal('user_activity'), interrupted_speech_id: z.string().nullable() }),
  z.object({ type: z.literal('system'), data: z.string() }),
  /** `message` is a JSON string `{"code", "details"?}` (sometimes plain text). */
  z.object({ type: z.literal('status'), message: z.string() }),
  z.object({
    type: z.literal('response_discarded'), reason: z.string(), attempt: z.number(), max_attempts: z.number(), will_retry: z.boolean(), message: z.string(),
  }),
  z.object({ type: z.literal('repetition_warning'), name: z.string() }),
  z.object({ type: z.literal('request_screenshot') }),
  z.object({ type: z.literal('catgirl_switched'), new_catgirl: z.string(), old_catgirl: z.string() }),
  z.object({ type: z.literal('reload_page'), message: z.string() }),
  z.object({ type: z.literal('agent_status_update'), snapshot: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('agent_task_update'), task: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('agent_notification'), text: z.string(), source: z.string(), status: z.string(), error_message: z.string().optional(),
  }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** The spec's `status` message: `message` is the JSON text of `{code, details}` (clients parse it). */
export function statusMessage(code: string, details?: Record<string, unknown>): ServerMessage {
  return { type: 'status', message: JSON.stringify(details === undefined ? { code } : { code, details }) };
}

/** Parses a `status` message body; plain-text messages come back as `{code: undefined, text}`. */
export function parseStatus(message: string): { code?: string; details?: Record<string, unknown>; text: string } {
  try {
    const v = JSON.parse(message) as { code?: unknown; details?: unknown };
    if (v && typeof v === 'object' && typeof v.code === 'string') {
      return { code: v.code, details: (v.details as Record<string, unknown> | undefined) ?? undefined, text: message };
    }
  } catch {
    // plain text status
  }
  return { text: message };
}
