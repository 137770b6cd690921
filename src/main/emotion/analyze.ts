import type { ModelEndpoint } from '../../shared/config/core-config.js';
import type { Logger } from '../../shared/log.js';
import { isUsableEndpoint } from '../system/assist-chat.js';
import type { EmotionResult } from './emotions.js';
import { classifyEmotion } from './fallback-classifier.js';
import { classifyWithModel } from './model-classifier.js';

export interface EmotionAnalysis extends EmotionResult {
  /** Which classifier answered: the configured model, or the offline lexicon. */
  source: 'model' | 'fallback';
}

/** Longest wait for the model before the avatar reacts from the lexicon instead. */
export const EMOTION_MODEL_TIMEOUT_MS = 8000;

/**
 * The emotion of `text`: from the emotion model when one is usable, else — and whenever the model fails,
 * times out or answers something other than the JSON asked for — from the offline classifier.
 */
export async function analyzeEmotion(
  text: string,
  endpoint: Pick<ModelEndpoint, 'baseUrl' | 'model' | 'apiKey'>,
  opts: { timeoutMs?: number; log?: Logger } = {},
): Promise<EmotionAnalysis> {
  if (isUsableEndpoint(endpoint)) {
    try {
      return { ...(await classifyWithModel(endpoint, text, opts.timeoutMs ?? EMOTION_MODEL_TIMEOUT_MS)), source: 'model' };
    } catch (err) {
      opts.log?.warn({ err: (err as Error).message }, 'emotion model failed; using the offline classifier');
    }
  }
  return { ...classifyEmotion(text), source: 'fallback' };
}
