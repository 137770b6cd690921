import type { RecentItem } from '../../shared/protocol/memory.js';
import { isWindowSummary, messageText, speakerOf, SUMMARY_PREFIX, type LcMessage } from './langchain-messages.js';

/** The original's assistant time prefix (`[20260312 Thu 07:47] `): the time is shown from the timestamp instead. */
const TIME_PREFIX = /^\[\d{8} [A-Za-z]{3} \d{2}:\d{2}\]\s*/;

const ROLE = { human: 'user', ai: 'assistant', system: 'system' } as const;

/** The recent window as the memory browser shows it: one item per message, the memo marked as the summary. */
export function windowItems(messages: readonly LcMessage[], names: { character: string; master: string }): RecentItem[] {
  return messages.map((m, position) => {
    const summary = isWindowSummary(m);
    const text = messageText(m);
    const timestamp = m.data.additional_kwargs.timestamp;
    return {
      position,
      kind: summary ? 'summary' : 'message',
      role: ROLE[m.type],
      speaker: speakerOf(m, names),
      text: summary ? text.slice(SUMMARY_PREFIX.length) : text.replace(TIME_PREFIX, ''),
      id: m.data.id,
      timestamp: typeof timestamp === 'string' ? timestamp : null,
    };
  });
}
