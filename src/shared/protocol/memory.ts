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

/** neko's structured memory API (issue 6): ingest, recall, browse, edit, forget. */
const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'must be an ISO 8601 time' });

/** One call stores at most this many turns (larger imports are split by the client). */
export const MAX_INGEST_TURNS = 5000;

export const IngestTurnSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string().max(100_000),
  speaker: z.string().min(1).max(100).optional(),
  timestamp: isoTime.optional(),
  /** A client-chosen id makes retries idempotent. */
  id: z.string().min(1).max(200).optional(),
  /** Groups turns into one conversation; without it, turns more than 30 minutes apart start a new one. */
  session_id: z.string().min(1).max(200).optional(),
});
export type IngestTurn = z.infer<typeof IngestTurnSchema>;
export const IngestBodySchema = z.object({ turns: z.array(IngestTurnSchema).min(1).max(MAX_INGEST_TURNS) });
export type IngestBody = z.infer<typeof IngestBodySchema>;
export const IngestResultSchema = z.object({ status: z.literal('stored'), ids: z.array(z.string()) });

export const RecallQuerySchema = z.object({
  q: z.string().trim().min(1).max(2000),
  k: z.coerce.number().int().min(1).max(100).default(10),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** Reference time for relative words such as "yesterday" (default: now). */
  now: isoTime.optional(),
  /** Force the LLM rerank off (0) or on (1, only when an assist model is configured); default from the settings. */
  rerank: z.enum(['0', '1', 'false', 'true']).transform((v) => v === '1' || v === 'true').optional(),
});
export const RecallItemSchema = z.object({
  id: z.string(),
  text: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  speaker: z.string(),
  timestamp: z.string(),
  score: z.number(),
  kind: z.enum(['turn', 'summary', 'fact']),
});
export const RecallResultSchema = z.object({
  results: z.array(RecallItemSchema),
  /** Whether the assist model's rerank ordered the results (absent from older servers). */
  reranked: z.boolean().optional(),
});
export type RecallResult = z.infer<typeof RecallResultSchema>;

export const HistoryQuerySchema = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  before_id: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Words that must all occur in a turn (case-insensitive substring): the memory browser's search. */
  q: z.string().trim().max(500).optional(),
});
export const HistoryItemSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  speaker: z.string(),
  text: z.string(),
  timestamp: z.string(),
  session_id: z.string(),
  source: z.string(),
});
export type HistoryItem = z.infer<typeof HistoryItemSchema>;
export const HistoryPageSchema = z.object({ items: z.array(HistoryItemSchema), next_before_id: z.string().nullable() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

export const EditItemBodySchema = z.object({ text: z.string().max(100_000) });
export const ItemChangeResultSchema = z.object({ status: z.enum(['updated', 'forgotten']), id: z.string(), kind: z.enum(['turn', 'summary', 'fact']) });

export const FactBodySchema = z.object({ subject: z.string().min(1).max(100), key: z.string().min(1).max(200), value: z.string().max(10_000) });

/** A stored fact as the memory service answers it (`ts`: epoch milliseconds of the observation or the edit). */
export const StoredFactSchema = z.object({
  id: z.string(),
  subject: z.string(),
  key: z.string(),
  value: z.string(),
  ts: z.number(),
  source: z.string(),
});
export const FactsResultSchema = z.object({ facts: z.array(StoredFactSchema) });
export const EditFactBodySchema = z.object({ value: z.string().max(10_000) });
export const FactChangeResultSchema = z.object({ status: z.enum(['updated', 'forgotten']), id: z.string() });

/**
 * One message of the character's recent window (what the next conversation starts from), structured for the
 * memory browser: `summary` is the compressed memo of older messages; `id` links a message to its history turn.
 */
export const RecentItemSchema = z.object({
  position: z.number().int(),
  kind: z.enum(['summary', 'message']),
  role: z.enum(['user', 'assistant', 'system']),
  speaker: z.string(),
  text: z.string(),
  id: z.string().nullable(),
  timestamp: z.string().nullable(),
});
export type RecentItem = z.infer<typeof RecentItemSchema>;
export const RecentWindowSchema = z.object({ items: z.array(RecentItemSchema) });
export type RecentWindow = z.infer<typeof RecentWindowSchema>;
