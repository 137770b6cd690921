/** The five emotions the avatars react to (rest.md §9.2). */
export const EMOTIONS = ['happy', 'sad', 'angry', 'surprised', 'neutral'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export interface EmotionResult {
  emotion: Emotion;
  /** 0..1 */
  confidence: number;
}

export const isEmotion = (v: unknown): v is Emotion => typeof v === 'string' && (EMOTIONS as readonly string[]).includes(v);
