import type { Emotion, EmotionResult } from './emotions.js';
import {
  EMOJI_CUES, EN_CUES, EN_INTENSIFIERS, EN_NEGATORS, JA_CUES, JA_INTENSIFIERS, JA_NEGATION_AFTER, ZH_CUES, ZH_INTENSIFIERS, ZH_NEGATORS, type Cue,
} from './lexicon.js';

type Scored = Exclude<Emotion, 'neutral'>;
type Scores = Record<Scored, number>;

interface Matcher {
  pattern: RegExp;
  cue: Cue;
}

function compile(list: typeof EN_CUES, toPattern: (cue: string) => RegExp): Matcher[] {
  return (Object.entries(list) as Array<[Scored, ReadonlyArray<string | [string, number]>]>).flatMap(([emotion, cues]) =>
    cues.map((c) => {
      const [text, weight] = typeof c === 'string' ? [c, 1] : c;
      return { pattern: toPattern(text), cue: { emotion, weight } };
    }),
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longer cues first, so "can't believe" claims its words before "believe"-less cues look at them.
const byLength = (a: Matcher, b: Matcher) => b.pattern.source.length - a.pattern.source.length;
const EN = compile(EN_CUES, (c) => new RegExp(`\\b${c}(?![\\w'])`, 'gi')).sort(byLength);
const ZH = compile(ZH_CUES, (c) => new RegExp(escape(c), 'g')).sort(byLength);
const JA = compile(JA_CUES, (c) => new RegExp(escape(c), 'g')).sort(byLength);

/**
 * What a negated cue means: "not happy" leans sad; "not sad", "not angry" and "not surprised" mean the
 * emotion is absent, so they add nothing.
 */
function negated(cue: Cue): Cue | undefined {
  return cue.emotion === 'happy' ? { emotion: 'sad', weight: cue.weight * 0.8 } : undefined;
}

interface Span {
  start: number;
  end: number;
}

const overlaps = (taken: Span[], s: Span) => taken.some((t) => s.start < t.end && t.start < s.end);

/** Adds one language's cues found in `text` to `scores`, with negation and intensifiers around each match. */
function scoreCues(text: string, matchers: Matcher[], lang: 'en' | 'zh' | 'ja', scores: Scores): void {
  const taken: Span[] = [];
  for (const { pattern, cue } of matchers) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (m[0].length === 0) {
        pattern.lastIndex += 1;
        continue;
      }
      if (overlaps(taken, span)) continue;
      taken.push(span);
      const before = text.slice(Math.max(0, span.start - 24), span.start);
      const after = text.slice(span.end, span.end + 8);
      let isNegated: boolean;
      let boost = 1;
      if (lang === 'en') {
        // A negator among the three words before the cue, not cut off by punctuation ("not that I'm sad" aside).
        const words = before.split(/[,.;!?]/).pop()!.trim().split(/\s+/).slice(-3).join(' ');
        isNegated = EN_NEGATORS.test(words);
        if (EN_INTENSIFIERS.test(`${before.split(/[,.;!?]/).pop()!}`)) boost = 1.5;
      } else if (lang === 'zh') {
        // 不开心, 不太开心, 并不是很开心: a negator, then at most a softener, right before the cue.
        isNegated = ZH_NEGATORS.test(before.replace(/(是)?(太|很|怎么|那么|特别|算|再)?$/, ''));
        if (ZH_INTENSIFIERS.test(before)) boost = 1.5;
      } else {
        isNegated = JA_NEGATION_AFTER.test(after);
        if (JA_INTENSIFIERS.test(before)) boost = 1.5;
      }
      const effective = isNegated ? negated(cue) : cue;
      if (effective) scores[effective.emotion] += effective.weight * boost;
    }
  }
}

const HAS_KANA = /[\u3040-\u30ff]/;
const HAS_HAN = /[\u3400-\u9fff]/;

/**
 * The offline emotion classifier: lexicon cues for English, Chinese and Japanese, negation and intensifiers
 * around each cue, emoji/emoticons, and punctuation (`?!` reads as surprise, `!!` strengthens the winner).
 * Used whenever no emotion model is configured or the model fails, so the avatar still reacts.
 */
export function classifyEmotion(input: string): EmotionResult {
  const text = input.normalize('NFKC');
  const scores: Scores = { happy: 0, sad: 0, angry: 0, surprised: 0 };
  scoreCues(text.toLowerCase(), EN, 'en', scores);
  // Kanji cues are shared with Chinese (怒, 泣, 涙 …); a text with kana is read as Japanese only.
  if (HAS_KANA.test(text)) scoreCues(text, JA, 'ja', scores);
  else if (HAS_HAN.test(text)) scoreCues(text, ZH, 'zh', scores);
  for (const [pattern, cue] of EMOJI_CUES) if (pattern.test(text)) scores[cue.emotion] += cue.weight;
  if (/[?？]\s*[!！]|[!！]\s*[?？]/.test(text)) scores.surprised += 1;

  const ranked = (Object.entries(scores) as Array<[Scored, number]>).sort((a, b) => b[1] - a[1]);
  const [top, topScore] = ranked[0]!;
  const second = ranked[1]![1];
  if (topScore <= 0 || topScore === second) return { emotion: 'neutral', confidence: topScore <= 0 ? 0.6 : 0.4 };
  const exclaimed = /[!！]{2,}/.test(text) ? 0.1 : 0;
  const confidence = Math.min(0.95, 0.45 + 0.1 * topScore + 0.25 * ((topScore - second) / topScore) + exclaimed);
  return { emotion: top, confidence: Math.round(confidence * 100) / 100 };
}
