import { loadHistory, type HistoryItem } from '../memory-browser/memory-api';
import type { MessageList } from '../ui/message-list';

/** About the last ten exchanges (a message and its reply each): enough to see where the talk left off. */
export const EARLIER_ITEMS = 20;

/** One remembered message, as the chat page shows it above the live conversation. */
export interface EarlierTurn {
  role: 'user' | 'assistant';
  speaker: string;
  text: string;
  /** ISO time it was said. */
  timestamp: string;
}

/** The conversation's messages of a history page (newest first), oldest first; system notes are left out. */
export function earlierTurns(newestFirst: readonly HistoryItem[]): EarlierTurn[] {
  const turns: EarlierTurn[] = [];
  for (const item of newestFirst) {
    if ((item.role === 'user' || item.role === 'assistant') && item.text.trim() !== '') {
      turns.push({ role: item.role, speaker: item.speaker, text: item.text, timestamp: item.timestamp });
    }
  }
  return turns.reverse();
}

/**
 * The character's last messages from memory (main's forwarded history route, newest page). Memory down,
 * empty or unreachable all read as "nothing to show": the page is usable without them, so no error either.
 */
export async function loadEarlierTurns(character: string): Promise<EarlierTurn[]> {
  try {
    const page = await loadHistory(character, {}, undefined, EARLIER_ITEMS);
    return earlierTurns(page.items);
  } catch {
    return [];
  }
}

/**
 * Shows `character`'s last messages above the live conversation. Only for a configured character (another name
 * would be a 404, and the server switches the page to a real one anyway); dropped if the conversation was
 * cleared (reset, switch) while memory answered.
 */
export async function showEarlierTurns(messages: Pick<MessageList, 'epoch' | 'showEarlier'>, character: string, known: readonly string[]): Promise<void> {
  if (!known.includes(character)) return;
  const epoch = messages.epoch;
  messages.showEarlier(await loadEarlierTurns(character), epoch);
}
