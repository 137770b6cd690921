import { z } from 'zod';

/**
 * Memory service wire shapes (shared/spec memory.md §1.3–1.4). `input_history` is a JSON string inside JSON,
 * holding LangChain-style messages; kept exactly for compatibility.
 */
export const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });
export const HistoryMessageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(TextPartSchema)]),
});
export type HistoryMessage = z.infer<typeof HistoryMessageSchema>;

export const HistoryRequestSchema = z.object({ input_history: z.string() });
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export function encodeHistory(messages: readonly HistoryMessage[]): HistoryRequest {
  return { input_history: JSON.stringify(messages) };
}

/** `/cache`, `/process`, `/renew` answer 200 even on failure; the body's status tells. */
export const HistoryResultSchema = z.object({
  status: z.string(),
  count: z.number().optional(),
  message: z.string().optional(),
});
export type HistoryResult = z.infer<typeof HistoryResultSchema>;

/** neko's character-lifecycle routes on the memory service (the original had none: rename orphaned history). */
export const RenameCharacterBodySchema = z.object({ new_name: z.string() });
export const CharacterFilesResultSchema = z.object({
  status: z.enum(['renamed', 'deleted']),
  files: z.array(z.string()),
});
export type CharacterFilesResult = z.infer<typeof CharacterFilesResultSchema>;
