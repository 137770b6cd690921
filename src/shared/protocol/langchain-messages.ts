import { z } from 'zod';

/**
 * The recent-window file format `recent_<name>.json`: LangChain's `messages_to_dict` shape, kept exactly so the
 * original page's memory editor, main's /api/memory routes and the memory service all read and write it
 * (memory.md §1.5, rest.md §5). neko puts its turn id in `data.id`, a field LangChain already has, and the
 * turn time in `data.additional_kwargs.timestamp`.
 */
export type LcType = 'human' | 'ai' | 'system';

export interface LcMessage {
  type: LcType;
  data: {
    content: string | Array<Record<string, unknown>>;
    additional_kwargs: Record<string, unknown>;
    response_metadata: Record<string, unknown>;
    type: LcType;
    name: string | null;
    id: string | null;
    [extra: string]: unknown;
  };
}

export const LcTypeSchema = z.enum(['human', 'ai', 'system']);

/** Lenient on everything except what neko reads: the type and the content. Unknown fields are kept. */
export const LcMessageSchema = z
  .object({
    type: LcTypeSchema,
    data: z
      .object({
        content: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))]),
        additional_kwargs: z.record(z.string(), z.unknown()).default({}),
        response_metadata: z.record(z.string(), z.unknown()).default({}),
        name: z.string().nullable().default(null),
        id: z.string().nullable().default(null),
      })
      .catchall(z.unknown()),
  })
  .transform((m) => ({ type: m.type, data: { ...m.data, type: m.type } }) as LcMessage);

export const LcWindowSchema = z.array(LcMessageSchema);

/** A message in LangChain shape with the fields LangChain writes for each type. */
export function lcMessage(type: LcType, content: LcMessage['data']['content'], meta: { id?: string | null; timestamp?: string } = {}): LcMessage {
  const data: LcMessage['data'] = {
    content,
    additional_kwargs: meta.timestamp ? { timestamp: meta.timestamp } : {},
    response_metadata: {},
    type,
    name: null,
    id: meta.id ?? null,
  };
  if (type !== 'system') data.example = false;
  if (type === 'ai') Object.assign(data, { tool_calls: [], invalid_tool_calls: [], usage_metadata: null });
  return { type, data };
}

/** The text of a message: a string content as is, text parts joined, other parts as `|type|` (as the original). */
export function messageText(message: Pick<LcMessage, 'data'>): string {
  const content = message.data.content;
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : `|${String(part.type)}|`)).join('\n');
}
