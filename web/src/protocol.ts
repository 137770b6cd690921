/**
 * The wire types, shared with the server. Type-only imports: nothing of the server (nor zod) ends up in
 * the bundle.
 */
import type { z } from 'zod';
import type {
  EndSessionSchema,
  PauseSessionSchema,
  PingSchema,
  ScreenshotResponseSchema,
  StartSessionSchema,
  StreamAudioSchema,
  StreamImageSchema,
  StreamTextSchema,
} from '../../src/shared/protocol/ws-client';
import type { ServerMessage } from '../../src/shared/protocol/ws-server';

export type { ServerMessage };
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** What the page sends, as the page writes it (defaults may be left out). */
export type OutgoingMessage =
  | z.input<typeof StartSessionSchema>
  | z.input<typeof StreamAudioSchema>
  | z.input<typeof StreamTextSchema>
  | z.input<typeof StreamImageSchema>
  | z.input<typeof EndSessionSchema>
  | z.input<typeof PauseSessionSchema>
  | z.input<typeof ScreenshotResponseSchema>
  | z.input<typeof PingSchema>;
