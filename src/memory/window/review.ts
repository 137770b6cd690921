import { chatCompletion, jsonInAnswer, withRetries } from '../llm/openai-compatible.js';
import type { ModelEndpoint } from '../llm/model-endpoints.js';
import { isWindowSummary, lcMessage, messageText, speakerOf, type LcMessage, type LcType } from './langchain-messages.js';

const INSTRUCTIONS =
  'You edit the recent conversation log of a companion character before it is reused as memory. Fix contradictions, ' +
  'remove redundancy and parroting, replace over-repeated nouns with pronouns, remove turns attributed to the wrong ' +
  'person or invented turns, and remove any line where the character believes it is a language model. Prefer deleting ' +
  'over rewriting. Keep the memo line that starts with "先前对话的备忘录" (you may edit it, never delete it) and keep ' +
  'time stamps such as [20260312 Thu 07:47]. Answer with JSON only: ' +
  '{"notes": "<what you changed>", "conversation": [{"role": "SYSTEM_MESSAGE" | "<master>" | "<character>", "content": "<text>"}]}';

function typeOf(role: string, names: { character: string; master: string }): LcType {
  const r = role.trim();
  const lower = r.toLowerCase();
  if (lower === 'ai' || lower === 'assistant' || r === names.character) return 'ai';
  if (lower === 'system' || lower === 'system_message') return 'system';
  return 'human';
}

/** The reviewed window from a model answer, or undefined when the answer is unusable. */
export function reviewedWindow(answer: string, original: readonly LcMessage[], names: { character: string; master: string }): LcMessage[] | undefined {
  const json = jsonInAnswer(answer);
  const list = json?.conversation ?? json?.['修正后的对话'];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: LcMessage[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { role, content } = item as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || typeof content !== 'string') return undefined;
    out.push(lcMessage(typeOf(role, names), content));
  }
  // The memo is never dropped, whatever the model did.
  const memo = original.find(isWindowSummary);
  if (memo && !out.some(isWindowSummary)) out.unshift(memo);
  return out;
}

/** Asks the correction model to clean up `window`. Throws on failure or cancellation; the caller keeps the window then. */
export async function reviewWindow(
  endpoint: ModelEndpoint,
  window: readonly LcMessage[],
  names: { character: string; master: string },
  opts: { signal?: AbortSignal; backoffMs?: readonly number[] } = {},
): Promise<LcMessage[]> {
  const rendered = window.map((m) => `${speakerOf(m, names)}: ${messageText(m)}`).join('\n\n');
  const instructions = INSTRUCTIONS.replace('<master>', names.master).replace('<character>', names.character);
  return withRetries(
    async () => reviewedWindow(await chatCompletion(endpoint, [{ role: 'system', content: instructions }, { role: 'user', content: rendered }], { temperature: 0.1, signal: opts.signal }), window, names),
    { signal: opts.signal, backoffMs: opts.backoffMs },
  );
}
