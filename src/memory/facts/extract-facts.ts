import { chatCompletion, jsonInAnswer, withRetries } from '../llm/openai-compatible.js';
import type { ModelEndpoint } from '../llm/model-endpoints.js';

export interface ExtractedFact {
  subject: string;
  key: string;
  value: string;
}

const INSTRUCTIONS =
  'From the conversation below, extract lasting personal facts about the two people: names, relatives, preferences, ' +
  'plans, jobs, places, important dates. Skip small talk and anything temporary. Use short keys in the language of ' +
  'the conversation. Answer with JSON only: {"facts": [{"subject": "<master>" | "<character>", "key": "<what>", "value": "<fact>"}]} ' +
  '(an empty list when there is nothing lasting).';

/** The facts of an answer, keeping only well-formed ones about the two known people. */
export function factsInAnswer(answer: string, names: { character: string; master: string }): ExtractedFact[] | undefined {
  const list = jsonInAnswer(answer)?.facts;
  if (!Array.isArray(list)) return undefined;
  const people = new Set([names.character, names.master]);
  return list.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const { subject, key, value } = item as Record<string, unknown>;
    if (typeof subject !== 'string' || typeof key !== 'string' || typeof value !== 'string') return [];
    if (!people.has(subject) || !key.trim() || !value.trim()) return [];
    return [{ subject, key: key.trim().slice(0, 200), value: value.trim().slice(0, 2000) }];
  });
}

/** Asks the summary model for the lasting facts in a finished session (`speaker | text` lines). */
export async function extractFacts(
  endpoint: ModelEndpoint,
  lines: readonly string[],
  names: { character: string; master: string },
  opts: { backoffMs?: readonly number[] } = {},
): Promise<ExtractedFact[]> {
  const instructions = INSTRUCTIONS.replace('<master>', names.master).replace('<character>', names.character);
  return withRetries(
    async () => factsInAnswer(await chatCompletion(endpoint, [{ role: 'system', content: instructions }, { role: 'user', content: lines.join('\n') }], { temperature: 0.2 }), names),
    { backoffMs: opts.backoffMs },
  );
}
