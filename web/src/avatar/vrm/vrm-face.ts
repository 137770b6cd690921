import type { VRMExpressionManager } from '@pixiv/three-vrm';
import type { Expression } from '../avatar';
import { DEFAULT_MOOD_MAP as SHARED_MOOD_MAP } from '../../../../src/shared/vrm-mood-map';

/** Emotion → VRM expression names to try, first present wins (rest.md §8 DEFAULT_MOOD_MAP). */
export type MoodMap = Partial<Record<string, readonly string[]>>;

export const DEFAULT_MOOD_MAP: MoodMap = SHARED_MOOD_MAP;

/** Per second: an emotion takes about a third of a second to settle on the face. */
const EASE_RATE = 7;
/** How far an emotion is shown; a full 1 hides the mouth shapes of speech on many models. */
const EMOTION_WEIGHT = 0.85;

/** The mood map's candidate names for one emotion that the model really has (matched without case). */
export function expressionsFor(emotion: Expression, mapping: MoodMap, available: readonly string[]): string[] {
  const byLower = new Map(available.map((name) => [name.toLowerCase(), name]));
  const pick = (list: readonly string[] | undefined) => (list ?? []).map((n) => byLower.get(n.toLowerCase())).filter((n): n is string => !!n);
  const own = pick(mapping[emotion]);
  if (own.length) return own.slice(0, 1);
  return pick(DEFAULT_MOOD_MAP[emotion]).slice(0, 1);
}

/**
 * The face of a VRM: the emotion (eased in and out), blinking and the `aa` mouth shape, written into the
 * model's expression manager every frame. Names the model does not have are skipped.
 */
export class VrmFace {
  private readonly available: string[];
  private readonly weights = new Map<string, number>();
  private targets = new Set<string>();
  private readonly emotionNames: Set<string>;

  constructor(private readonly manager: VRMExpressionManager, private readonly mapping: MoodMap) {
    this.available = manager.expressions.map((e) => e.expressionName);
    // Every expression any emotion could use, so switching emotion eases the old one out.
    const all = new Set<string>();
    for (const emotion of ['neutral', 'happy', 'sad', 'angry', 'surprised'] as const) for (const n of expressionsFor(emotion, mapping, this.available)) all.add(n);
    this.emotionNames = all;
  }

  setEmotion(emotion: Expression): void {
    this.targets = new Set(emotion === 'neutral' ? expressionsFor('neutral', this.mapping, this.available) : expressionsFor(emotion, this.mapping, this.available));
    for (const name of this.targets) this.emotionNames.add(name);
  }

  /** `blink` and `mouth` are 0 … 1 for this frame. */
  update(dt: number, blink: number, mouth: number): void {
    const k = 1 - Math.exp(-EASE_RATE * dt);
    for (const name of this.emotionNames) {
      const w = this.weights.get(name) ?? 0;
      const next = w + ((this.targets.has(name) ? EMOTION_WEIGHT : 0) - w) * k;
      this.weights.set(name, next);
      this.manager.setValue(name, next);
    }
    if (this.has('blink')) this.manager.setValue('blink', blink);
    if (this.has('aa')) this.manager.setValue('aa', mouth);
  }

  /** Each expression's weight as set for this frame, by name (rounded, for the debug view). */
  values(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.available) out[name] = Math.round((this.manager.getValue(name) ?? 0) * 1000) / 1000;
    return out;
  }

  private has(name: string): boolean {
    return this.available.includes(name);
  }
}
