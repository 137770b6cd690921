import { chatCompletion, jsonInAnswer, withRetries } from '../llm/openai-compatible.js';
import type { ModelEndpoint } from '../llm/model-endpoints.js';

/** Summaries longer than this are asked to shrink once (the original's limit). */
export const SUMMARY_MAX_CHARS = 500;

export interface SummaryOptions {
  detailed?: boolean;
  signal?: AbortSignal;
  backoffMs?: readonly number[];
}

const INSTRUCTIONS = {
  brief:
    'You keep the memory of a companion character. Summarise the conversation below in the language it is written in. ' +
    'Keep every fact, plan, preference and topic that matters later; drop greetings and filler; refer to people by name ' +
    'once, then with pronouns. Answer with JSON only: {"summary": "<text>"}.',
  detailed:
    'You keep the memory of a companion character. Summarise the conversation below in the language it is written in, ' +
    'keeping as much useful detail as you can: facts, dates, names, plans, feelings, open questions. ' +
    'Answer with JSON only: {"summary": "<text>"}.',
  shorten: `Shorten this memory note to at most ${SUMMARY_MAX_CHARS} characters, keeping the facts that matter. Answer with JSON only: {"summary": "<text>"}.`,
};

/** The summary text of an answer: neko's key, or the original's 对话摘要. */
function summaryOf(answer: string): string | undefined {
  const json = jsonInAnswer(answer);
  const value = json?.summary ?? json?.['对话摘要'];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function ask(endpoint: ModelEndpoint, instructions: string, text: string, opts: SummaryOptions): Promise<string> {
  return withRetries(
    async () =>
      summaryOf(
        await chatCompletion(endpoint, [{ role: 'system', content: instructions }, { role: 'user', content: text }], { temperature: 0.3, signal: opts.signal }),
      ),
    { signal: opts.signal, backoffMs: opts.backoffMs },
  );
}

/**
 * Summarises conversation lines (`speaker | text`) with the summary model. Throws when no usable summary came
 * back: the caller keeps the original messages (the original replaced them with "none").
 */
export async function summariseWithModel(endpoint: ModelEndpoint, lines: readonly string[], opts: SummaryOptions = {}): Promise<string> {
  const summary = await ask(endpoint, opts.detailed ? INSTRUCTIONS.detailed : INSTRUCTIONS.brief, lines.join('\n'), opts);
  if (summary.length <= SUMMARY_MAX_CHARS) return summary;
  // A long summary is still better than none: keep it if shortening fails.
  return ask(endpoint, INSTRUCTIONS.shorten, summary, opts).catch(() => summary);
}

/**
 * A summary made without any model, for users who configured none: the start of each line, newest kept when
 * the note is full. Crude, but it bounds the window; the full turns stay in the database and remain recallable.
 */
export function summariseLocally(lines: readonly string[]): string {
  const clipped = lines.map((l) => (l.length > 80 ? `${l.slice(0, 79)}…` : l));
  const kept: string[] = [];
  let size = 0;
  for (let i = clipped.length - 1; i >= 0; i--) {
    const line = clipped[i]!;
    if (size + line.length + 1 > SUMMARY_MAX_CHARS) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}
