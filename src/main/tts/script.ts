/**
 * Which writing system a piece of text is in, for picking voices and language hints. Kana means Japanese
 * even when mixed with kanji; Han without kana means Chinese; Hangul means Korean.
 */
export type TextScript = 'ja' | 'zh' | 'ko' | 'latin';

export function detectScript(text: string): TextScript {
  if (/[\u3040-\u30ff\u31f0-\u31ff]/u.test(text)) return 'ja';
  if (/[\uac00-\ud7af\u1100-\u11ff]/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return 'latin';
}
