import { messageText, type LcMessage } from '../../shared/protocol/langchain-messages.js';

export { lcMessage, LcWindowSchema, messageText, type LcMessage, type LcType } from '../../shared/protocol/langchain-messages.js';

/** The prefix that marks a window summary (the original's "先前对话的备忘录: "), kept for its readers. */
export const SUMMARY_PREFIX = '先前对话的备忘录: ';

export function isWindowSummary(message: LcMessage): boolean {
  return message.type === 'system' && messageText(message).startsWith(SUMMARY_PREFIX);
}

/** Speaker labels the original prints: master name, character name, SYSTEM_MESSAGE. */
export function speakerOf(message: Pick<LcMessage, 'type'>, names: { character: string; master: string }): string {
  return message.type === 'human' ? names.master : message.type === 'ai' ? names.character : 'SYSTEM_MESSAGE';
}
