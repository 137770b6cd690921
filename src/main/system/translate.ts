import type { ModelEndpoint } from '../../shared/config/core-config.js';
import { AssistCallError, chatOnce, isUsableEndpoint } from './assist-chat.js';
import { detectScriptLanguage, languageName, primaryLanguage } from './script-language.js';

export interface TranslateResult {
  success: boolean;
  translated_text: string;
  source_lang: string;
  target_lang: string;
  /** The original tried Google first; neko never does, so nothing of it can fail. */
  google_failed: false;
  error?: string;
}

export const TRANSLATE_TIMEOUT_MS = 15_000;
export const MAX_TRANSLATE_CHARS = 5000;

const PROMPT = (target: string) =>
  `Translate the user's message into ${target}. Reply with the translation only: no quotes, no notes, no explanations. Keep names, emoji and formatting.`;

/** Removes what models wrap translations in despite being asked not to (fences, one pair of quotes). */
export function cleanTranslation(answer: string): string {
  let t = answer.trim().replace(/^```[a-z]*\n?|\n?```$/gi, '').trim();
  const quoted = /^(["“「『])([\s\S]*)(["”」』])$/.exec(t);
  if (quoted) t = quoted[2]!.trim();
  return t;
}

/**
 * POST /api/translate (rest.md §9.10) through the assist model. Text already in the target language (by
 * script) or with no letters at all is returned as it is; without a usable model the text is echoed with
 * `success: false` so a subtitle still shows something.
 */
export async function translateText(
  text: string,
  targetLang: string,
  sourceLang: string | undefined,
  endpoint: Pick<ModelEndpoint, 'baseUrl' | 'model' | 'apiKey'>,
  timeoutMs = TRANSLATE_TIMEOUT_MS,
): Promise<TranslateResult> {
  const detected = sourceLang?.trim() ? primaryLanguage(sourceLang) : detectScriptLanguage(text);
  const target = primaryLanguage(targetLang);
  const base = { source_lang: detected, target_lang: targetLang, google_failed: false as const };
  if (detected === 'unknown' || detected === target) return { success: true, translated_text: text, ...base };
  if (!isUsableEndpoint(endpoint)) {
    return { success: false, translated_text: text, ...base, error: '没有可用的翻译模型 (no assist model is configured for translation)' };
  }
  try {
    const answer = await chatOnce(endpoint, [{ role: 'system', content: PROMPT(languageName(targetLang)) }, { role: 'user', content: text }], { timeoutMs, temperature: 0.2 });
    const translated = cleanTranslation(answer);
    if (!translated) throw new AssistCallError('empty translation');
    return { success: true, translated_text: translated, ...base };
  } catch (err) {
    return { success: false, translated_text: text, ...base, error: `翻译失败: ${(err as Error).message}` };
  }
}
