import { z } from 'zod';

/**
 * Page → main messages on `/ws/{character}` (shared/spec websocket.md §2). Every frame is a JSON text frame
 * with an `action`; any may carry `language`.
 */
export const INPUT_TYPES = ['audio', 'screen', 'camera', 'text'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** Largest audio frame accepted: 48 kHz × 1 s. Browsers send 480 (desktop) or 512 (mobile) samples. */
export const MAX_AUDIO_FRAME_SAMPLES = 48_000;
/** A JPEG data URL of up to 10 MiB of image (the original's cap), base64-expanded. */
export const MAX_IMAGE_DATA_URL_CHARS = Math.ceil((10 * 1024 * 1024 * 4) / 3) + 100;
/** A user text message (a long paste is fine; a megabyte of text is not a chat message). */
export const MAX_TEXT_CHARS = 100_000;
export const JPEG_DATA_URL_PREFIX = 'data:image/jpeg;base64,';

const Base = z.object({ language: z.string().max(35).optional() });

export const Int16Sample = z.number().int('audio samples must be integers').min(-32768, 'audio sample below -32768').max(32767, 'audio sample above 32767');

export const StartSessionSchema = Base.extend({
  action: z.literal('start_session'),
  input_type: z.string().default('audio'),
  new_session: z.boolean().optional().default(false),
});

export const StreamAudioSchema = Base.extend({
  action: z.literal('stream_data'),
  input_type: z.literal('audio'),
  data: z.array(Int16Sample).min(1, 'empty audio frame').max(MAX_AUDIO_FRAME_SAMPLES, `audio frame longer than ${MAX_AUDIO_FRAME_SAMPLES} samples`),
  /** neko extension: the frame's sample rate. Without it, 480 samples means 48 kHz and anything else 16 kHz (the original's rule). */
  sample_rate: z.union([z.literal(16000), z.literal(24000), z.literal(48000)]).optional(),
});

export const StreamTextSchema = Base.extend({
  action: z.literal('stream_data'),
  input_type: z.literal('text'),
  data: z.string().max(MAX_TEXT_CHARS, `text longer than ${MAX_TEXT_CHARS} characters`),
});

export const StreamImageSchema = Base.extend({
  action: z.literal('stream_data'),
  input_type: z.enum(['screen', 'camera']),
  data: z
    .string()
    .max(MAX_IMAGE_DATA_URL_CHARS, 'image larger than 10 MiB')
    .refine((s) => s.startsWith(JPEG_DATA_URL_PREFIX), 'images must be JPEG data URLs (data:image/jpeg;base64,…)'),
});

export const StreamDataSchema = z.discriminatedUnion('input_type', [StreamAudioSchema, StreamTextSchema, StreamImageSchema]);

export const EndSessionSchema = Base.extend({ action: z.literal('end_session') });
export const PauseSessionSchema = Base.extend({ action: z.literal('pause_session') });
export const ScreenshotResponseSchema = Base.extend({ action: z.literal('screenshot_response'), data: z.string().max(MAX_IMAGE_DATA_URL_CHARS) });
export const PingSchema = Base.extend({ action: z.literal('ping') });

export const CLIENT_ACTIONS = ['start_session', 'stream_data', 'end_session', 'pause_session', 'screenshot_response', 'ping'] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];

export type StartSession = z.infer<typeof StartSessionSchema>;
export type StreamData = z.infer<typeof StreamDataSchema>;
export type StreamAudio = z.infer<typeof StreamAudioSchema>;
export type ClientMessage =
  | StartSession
  | StreamData
  | z.infer<typeof EndSessionSchema>
  | z.infer<typeof PauseSessionSchema>
  | z.infer<typeof ScreenshotResponseSchema>
  | z.infer<typeof PingSchema>;

export type ParsedClientFrame =
  | { ok: true; message: ClientMessage }
  /** `code` is the status code to report: INVALID_JSON, UNKNOWN_ACTION, INVALID_INPUT_TYPE or INVALID_MESSAGE. */
  | { ok: false; code: string; details: Record<string, unknown> };

const BY_ACTION: Record<ClientAction, z.ZodType<ClientMessage>> = {
  start_session: StartSessionSchema,
  stream_data: StreamDataSchema,
  end_session: EndSessionSchema,
  pause_session: PauseSessionSchema,
  screenshot_response: ScreenshotResponseSchema,
  ping: PingSchema,
};

/** Parses one text frame; never throws. */
export function parseClientFrame(text: string): ParsedClientFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'INVALID_JSON', details: { error: (err as Error).message.slice(0, 200) } };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, code: 'INVALID_MESSAGE', details: { error: 'a message must be a JSON object with an "action"' } };
  }
  const action = (raw as { action?: unknown }).action;
  if (typeof action !== 'string' || !(CLIENT_ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, code: 'UNKNOWN_ACTION', details: { action: typeof action === 'string' ? action.slice(0, 100) : (action ?? null) } };
  }
  if (action === 'start_session' || action === 'stream_data') {
    const inputType = (raw as { input_type?: unknown }).input_type ?? (action === 'start_session' ? 'audio' : undefined);
    if (typeof inputType !== 'string' || !(INPUT_TYPES as readonly string[]).includes(inputType)) {
      return { ok: false, code: 'INVALID_INPUT_TYPE', details: { input_type: typeof inputType === 'string' ? inputType.slice(0, 100) : (inputType ?? null) } };
    }
  }
  const parsed = BY_ACTION[action as ClientAction].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'INVALID_MESSAGE', details: { action, error: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` } };
  }
  return { ok: true, message: parsed.data };
}
