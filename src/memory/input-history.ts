import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { NewTurn, TurnRole } from './store/memory-db.js';
import { lcMessage, type LcMessage, type LcType } from './window/langchain-messages.js';

/**
 * Parses `input_history` (a JSON string of chat messages, memory.md §1.3) into turns for the store and
 * messages for the recent window. neko's main adds `id` and `timestamp` to each message; messages from the
 * original's clients have neither and get a deterministic id, so a retried call still stores each turn once.
 */
const PartSchema = z.object({ type: z.string() }).catchall(z.unknown());
const InputMessageSchema = z
  .object({
    role: z.enum(['user', 'human', 'assistant', 'ai', 'system']).optional(),
    type: z.enum(['user', 'human', 'assistant', 'ai', 'system']).optional(),
    content: z.union([z.string(), z.array(PartSchema)]),
    id: z.string().min(1).max(200).optional(),
    timestamp: z.string().optional(),
  })
  .refine((m) => m.role ?? m.type, { message: 'each message needs a role' });
const InputHistorySchema = z.array(InputMessageSchema);

export class InputHistoryError extends Error {}

export interface ParsedMessage {
  turn: NewTurn;
  window: LcMessage;
}

const ROLE: Record<string, TurnRole> = { user: 'user', human: 'user', assistant: 'assistant', ai: 'assistant', system: 'system' };
const LC_TYPE: Record<TurnRole, LcType> = { user: 'human', assistant: 'ai', system: 'system' };

/** The original's assistant text prefix, `[20260312 Thu 07:47] `: it carries the turn's local time. */
const TIME_PREFIX = /^\[(\d{4})(\d{2})(\d{2}) [A-Za-z]{3} (\d{2}):(\d{2})\]\s*/;

function prefixTime(text: string): number | undefined {
  const m = TIME_PREFIX.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const t = new Date(y, mo - 1, d, h, mi).getTime();
  return Number.isNaN(t) ? undefined : t;
}

function contentText(content: string | Array<z.infer<typeof PartSchema>>): string {
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : `|${p.type}|`)).join('\n');
}

/** A stable id for a message without one: same character, role, text and time (or batch position) → same id. */
export function derivedTurnId(character: string, role: TurnRole, text: string, when: string): string {
  const hash = createHash('sha256').update(`${character}\u0000${role}\u0000${text}\u0000${when}`).digest('hex');
  return `h-${hash.slice(0, 32)}`;
}

export function parseInputHistory(
  raw: string,
  names: { character: string; master: string },
  now = Date.now(),
): ParsedMessage[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new InputHistoryError(`input_history is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = InputHistorySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputHistoryError(`input_history must be an array of chat messages (${issue?.path.join('.') || 'root'}: ${issue?.message})`);
  }
  // Without a timestamp, a message is identified by its place in this exact batch: a retry resends the same
  // batch (same ids), while the same words said again in another conversation get a new id.
  const batch = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return parsed.data.map((m, index) => {
    const role = ROLE[(m.role ?? m.type)!]!;
    const fullText = contentText(m.content);
    const explicit = m.timestamp !== undefined ? Date.parse(m.timestamp) : NaN;
    const ts = Number.isFinite(explicit) ? explicit : (prefixTime(fullText) ?? now);
    // The stored text drops the time prefix: the time is a column, and "Thu" should not match searches.
    const text = fullText.replace(TIME_PREFIX, '');
    const id = m.id ?? derivedTurnId(names.character, role, fullText, m.timestamp ?? `${batch}#${index}`);
    const speaker = role === 'user' ? names.master : role === 'assistant' ? names.character : 'SYSTEM_MESSAGE';
    const timestamp = new Date(ts).toISOString();
    return {
      turn: { id, role, speaker, text, ts },
      window: lcMessage(LC_TYPE[role], m.content as LcMessage['data']['content'], { id, timestamp }),
    };
  });
}
