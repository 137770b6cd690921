import type { LcMessage } from './langchain-messages.js';

/** Fields whose value is replaced when it is exactly the old name (memory.md §1.13, rest.md §5). */
const NAME_FIELDS = ['speaker', 'author', 'name', 'character', 'role'] as const;

/**
 * The original's rename rewrite of a recent window: exact-name values of speaker/author/name/character/role in
 * `data` (the top level keeps only type and data once read), and the mentions `<old>说：`, `<old>说:`, `<old>:`,
 * `<old>->`, `[<old>]` inside string content. Returns new messages and whether anything changed.
 */
export function renameInWindow(messages: readonly LcMessage[], oldName: string, newName: string): { messages: LcMessage[]; changed: boolean } {
  const patterns = [`${oldName}说：`, `${oldName}说:`, `${oldName}:`, `${oldName}->`, `[${oldName}]`];
  let changed = false;
  const out = messages.map((message) => {
    const data: Record<string, unknown> = { ...message.data };
    for (const field of NAME_FIELDS) {
      if (data[field] === oldName) {
        data[field] = newName;
        changed = true;
      }
    }
    if (typeof data.content === 'string') {
      let content = data.content;
      for (const p of patterns) content = content.split(p).join(p.replace(oldName, newName));
      if (content !== data.content) {
        data.content = content;
        changed = true;
      }
    }
    return { ...message, data } as LcMessage;
  });
  return { messages: out, changed };
}
