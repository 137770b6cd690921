/**
 * The language of a text as far as its script tells: kana → ja, Hangul → ko, Han without kana → zh,
 * Cyrillic → ru, Latin letters → en (Latin-script languages are not told apart), nothing → unknown.
 * Enough to skip translating text already in the target script.
 */
export type ScriptLanguage = 'zh' | 'ja' | 'ko' | 'ru' | 'en' | 'unknown';

const COUNTERS: ReadonlyArray<[Exclude<ScriptLanguage, 'unknown' | 'zh' | 'ja'> | 'kana' | 'han', RegExp]> = [
  ['kana', /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/gu],
  ['han', /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu],
  ['ko', /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/gu],
  ['ru', /[\u0400-\u04ff]/gu],
  ['en', /[A-Za-z\u00c0-\u024f]/gu],
];

export function detectScriptLanguage(text: string): ScriptLanguage {
  const counts = Object.fromEntries(COUNTERS.map(([k, re]) => [k, text.match(re)?.length ?? 0])) as Record<string, number>;
  const kana = counts.kana ?? 0;
  const han = counts.han ?? 0;
  // A few kana among Han characters is still Japanese; Japanese text without kana is rare.
  const scores: Array<[ScriptLanguage, number]> = [
    ['ja', kana > 0 ? kana + han : 0],
    ['zh', kana > 0 ? 0 : han],
    ['ko', counts.ko ?? 0],
    ['ru', counts.ru ?? 0],
    ['en', counts.en ?? 0],
  ];
  const [lang, n] = scores.sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? lang : 'unknown';
}

/** `zh-CN`, `zh_TW`, `ZH` → `zh`; `en-US` → `en`; unknown codes kept as their lower-case primary tag. */
export function primaryLanguage(code: string): string {
  return code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

const NAMES: Readonly<Record<string, string>> = {
  zh: 'Simplified Chinese', en: 'English', ja: 'Japanese', ko: 'Korean', ru: 'Russian', fr: 'French', de: 'German', es: 'Spanish', it: 'Italian', pt: 'Portuguese',
};

/** The name a translation prompt uses; `zh-TW` asks for Traditional Chinese. */
export function languageName(code: string): string {
  if (/^zh[-_](tw|hk|hant)/i.test(code)) return 'Traditional Chinese';
  return NAMES[primaryLanguage(code)] ?? code;
}
