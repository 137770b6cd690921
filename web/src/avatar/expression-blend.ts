import type { Expression } from './avatar';

/** The face parameters one expression stands for; the drawing reads a weighted mix of them. */
export interface FaceParams {
  /** Brow offset in design px (negative = raised). */
  browLift: number;
  /** Brow rotation in radians (positive = inner ends raised, worried; negative = inner ends lowered, cross). */
  browTilt: number;
  /** How open the eyes are at rest (1 = normal). */
  eyeOpen: number;
  /** 1 = closed eyes curve upwards (a smile), 0 = they close flat. */
  eyeSmile: number;
  /** Upper-lid slant (positive droops the outer corners, negative the inner ones). */
  lidTilt: number;
  eyeScale: number;
  pupilScale: number;
  /** Mouth corners: 1 smiling … -1 frowning. */
  mouthCurve: number;
  /** The mouth never closes further than this (an "o" of surprise). */
  mouthMinOpen: number;
  blush: number;
  /** Ear rotation outwards in radians (drooping ears when sad). */
  earDroop: number;
  tear: number;
  crossMark: number;
}

const FACES: Record<Expression, FaceParams> = {
  neutral: { browLift: 0, browTilt: 0.05, eyeOpen: 1, eyeSmile: 0, lidTilt: 0, eyeScale: 1, pupilScale: 1, mouthCurve: 0.45, mouthMinOpen: 0, blush: 0.35, earDroop: 0, tear: 0, crossMark: 0 },
  happy: { browLift: -5, browTilt: 0.12, eyeOpen: 0.12, eyeSmile: 1, lidTilt: 0, eyeScale: 1, pupilScale: 1, mouthCurve: 1, mouthMinOpen: 0.18, blush: 0.75, earDroop: -0.05, tear: 0, crossMark: 0 },
  sad: { browLift: -2, browTilt: 0.45, eyeOpen: 0.72, eyeSmile: 0, lidTilt: 0.35, eyeScale: 1, pupilScale: 1.05, mouthCurve: -0.8, mouthMinOpen: 0, blush: 0.2, earDroop: 0.42, tear: 1, crossMark: 0 },
  angry: { browLift: 3, browTilt: -0.5, eyeOpen: 0.7, eyeSmile: 0, lidTilt: -0.4, eyeScale: 0.95, pupilScale: 0.85, mouthCurve: -0.55, mouthMinOpen: 0, blush: 0.6, earDroop: 0.18, tear: 0, crossMark: 1 },
  surprised: { browLift: -13, browTilt: 0.08, eyeOpen: 1.18, eyeSmile: 0, lidTilt: 0, eyeScale: 1.12, pupilScale: 0.62, mouthCurve: 0, mouthMinOpen: 0.42, blush: 0.4, earDroop: -0.12, tear: 0, crossMark: 0 },
};

const EXPRESSIONS = Object.keys(FACES) as Expression[];
/** Per second: a change of expression takes about a quarter of a second. */
const EASE_RATE = 9;

/** Eases from one expression to the next so faces morph instead of jumping. */
export class ExpressionBlend {
  private readonly weights = new Map<Expression, number>(EXPRESSIONS.map((e) => [e, e === 'neutral' ? 1 : 0]));
  target: Expression = 'neutral';

  step(dtSeconds: number): FaceParams {
    const k = 1 - Math.exp(-EASE_RATE * dtSeconds);
    let total = 0;
    for (const e of EXPRESSIONS) {
      const w = this.weights.get(e)!;
      const next = w + ((e === this.target ? 1 : 0) - w) * k;
      this.weights.set(e, next);
      total += next;
    }
    const mixed = { ...FACES.neutral };
    for (const key of Object.keys(mixed) as (keyof FaceParams)[]) {
      let v = 0;
      for (const e of EXPRESSIONS) v += FACES[e][key] * this.weights.get(e)!;
      mixed[key] = v / total;
    }
    return mixed;
  }
}
