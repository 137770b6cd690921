import { z } from 'zod';
import { HistoryItemSchema, RecentItemSchema } from './memory.js';

/**
 * Main's `/api/memory/browser/:name/…` routes, which the memory browser page calls (main forwards them to the
 * memory service's structured API; the page never talks to the memory port).
 */

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'must be an ISO 8601 time' });

/** An item id as the memory service makes them (uuids, `h-…`, `fact-…`) or a client chose them at ingest. */
export const MemoryItemIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/u, 'must not contain control characters');

/** The page shows at most this many items per page; "load older" asks for the next. */
export const MAX_BROWSER_PAGE = 200;

export const BrowserHistoryQuerySchema = z.object({
  /** Words that must all occur in an item (case-insensitive). */
  q: z.string().trim().max(500).optional(),
  /** Only items at or after this time. */
  after: isoTime.optional(),
  /** Only items at or before this time. */
  before: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_BROWSER_PAGE).default(50),
  /** `next_cursor` of the previous page. */
  cursor: MemoryItemIdSchema.optional(),
});
export type BrowserHistoryQuery = z.infer<typeof BrowserHistoryQuerySchema>;

/** A page of history, newest first. */
export const BrowserHistoryPageSchema = z.object({
  items: z.array(HistoryItemSchema),
  next_cursor: z.string().nullable(),
});
export type BrowserHistoryPage = z.infer<typeof BrowserHistoryPageSchema>;

export const BrowserRecentSchema = z.object({ items: z.array(RecentItemSchema) });
export type BrowserRecent = z.infer<typeof BrowserRecentSchema>;

export const BrowserFactSchema = z.object({
  id: z.string(),
  subject: z.string(),
  key: z.string(),
  value: z.string(),
  updated_at: z.string(),
  source: z.string(),
});
export type BrowserFact = z.infer<typeof BrowserFactSchema>;
export const BrowserFactsSchema = z.object({ facts: z.array(BrowserFactSchema) });
export type BrowserFacts = z.infer<typeof BrowserFactsSchema>;

/** An edit must leave some text: removing an item is "forget". */
export const BrowserEditItemBodySchema = z.object({ text: z.string().max(100_000).refine((s) => s.trim() !== '', { message: 'must not be empty (forget the item instead)' }) });
export const BrowserEditFactBodySchema = z.object({ value: z.string().max(10_000).refine((s) => s.trim() !== '', { message: 'must not be empty (forget the fact instead)' }) });

export const BrowserChangeSchema = z.object({
  success: z.literal(true),
  id: z.string(),
  kind: z.enum(['turn', 'summary', 'fact']),
});
export type BrowserChange = z.infer<typeof BrowserChangeSchema>;
