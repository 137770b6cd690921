import type { ModelEndpoint } from '../../shared/config/core-config.js';
import { AssistCallError, chatOnce } from '../system/assist-chat.js';
import { EMOTIONS, isEmotion, type EmotionResult } from './emotions.js';

const PROMPT = [
  'You label the emotion of one chat message so an avatar can show it.',
  `Answer with JSON only, no other text: {"emotion": one of ${EMOTIONS.map((e) => `"${e}"`).join(', ')}, "confidence": a number from 0 to 1}.`,
  'The message may be in any language.',
].join('\n');

/** Below this the model is guessing; the avatar then stays neutral (as the original did). */
const MIN_CONFIDENCE = 0.3;

/** The `{emotion, confidence}` object in a model answer (```json fences and text around it tolerated), or undefined. */
export function parseEmotionAnswer(answer: string): EmotionResult | undefined {
  const text = answer.replace(/```(?:json)?/gi, '');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { emotion, confidence } = value as Record<string, unknown>;
  const label = typeof emotion === 'string' ? emotion.trim().toLowerCase() : emotion;
  if (!isEmotion(label)) return undefined;
  const c = typeof confidence === 'number' ? confidence : typeof confidence === 'string' ? Number(confidence) : NaN;
  if (!Number.isFinite(c)) return undefined;
  const clamped = Math.min(1, Math.max(0, c));
  return clamped < MIN_CONFIDENCE ? { emotion: 'neutral', confidence: clamped } : { emotion: label, confidence: clamped };
}

/** Asks the emotion model; throws AssistCallError when it fails or its answer is not the JSON asked for. */
export async function classifyWithModel(endpoint: Pick<ModelEndpoint, 'baseUrl' | 'model' | 'apiKey'>, text: string, timeoutMs: number): Promise<EmotionResult> {
  const answer = await chatOnce(endpoint, [{ role: 'system', content: PROMPT }, { role: 'user', content: text }], { timeoutMs, temperature: 0.3, maxTokens: 40 });
  const parsed = parseEmotionAnswer(answer);
  if (!parsed) throw new AssistCallError(`emotion model answer is not the expected JSON: ${answer.slice(0, 120)}`);
  return parsed;
}
