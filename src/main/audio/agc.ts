/**
 * Automatic gain control + soft limiter for microphone audio (websocket.md §4.1), one instance per stream.
 * The level detector and the gain follow the signal sample by sample, so the result does not depend on how
 * the stream is cut into chunks.
 */

export interface AgcOptions {
  /** RMS the gain steers towards (full scale = 1). */
  targetRms: number;
  /** Gain limits, as factors. */
  minGain: number;
  maxGain: number;
  /** Below this RMS the input counts as silence: the gain holds instead of amplifying noise. */
  noiseFloor: number;
  /** Time to follow a gain decrease (loud input), and a gain increase (quiet input). */
  attackMs: number;
  releaseMs: number;
  /** Soft limiter: output never exceeds threshold + knee; below threshold - knee it is untouched. */
  limiterThreshold: number;
  limiterKnee: number;
}

/** The original's AudioProcessor settings. */
export const DEFAULT_AGC_OPTIONS: AgcOptions = {
  targetRms: 0.25,
  minGain: 0.25,
  maxGain: 20,
  noiseFloor: 0.015,
  attackMs: 10,
  releaseMs: 400,
  limiterThreshold: 0.95,
  limiterKnee: 0.05,
};

/** Window of the RMS detector; one desktop frame (10 ms), the block the original measured. */
const LEVEL_WINDOW_MS = 10;

/** One-pole smoothing coefficient for a time constant at a sample rate. */
function smoothing(ms: number, sampleRate: number): number {
  return Math.exp(-1000 / (ms * sampleRate));
}

/**
 * Soft limiter: identity up to (threshold - knee), then a tanh curve with slope 1 at the joint that
 * approaches (threshold + knee) and never exceeds it, so loud peaks are rounded instead of clipped.
 */
export function softLimit(x: number, threshold: number, knee: number): number {
  const linearLimit = threshold - knee;
  const magnitude = Math.abs(x);
  if (magnitude <= linearLimit) return x;
  const headroom = 2 * knee;
  const limited = linearLimit + headroom * Math.tanh((magnitude - linearLimit) / headroom);
  return x < 0 ? -limited : limited;
}

export class AutomaticGainControl {
  private readonly options: AgcOptions;
  private readonly levelCoefficient: number;
  private readonly attackCoefficient: number;
  private readonly releaseCoefficient: number;
  private meanSquare = 0;
  private currentGain = 1;

  constructor(readonly sampleRate: number, options: Partial<AgcOptions> = {}) {
    this.options = { ...DEFAULT_AGC_OPTIONS, ...options };
    this.levelCoefficient = smoothing(LEVEL_WINDOW_MS, sampleRate);
    this.attackCoefficient = smoothing(this.options.attackMs, sampleRate);
    this.releaseCoefficient = smoothing(this.options.releaseMs, sampleRate);
  }

  /** Gain applied to the most recent sample. */
  get gain(): number {
    return this.currentGain;
  }

  /** Applies gain and limiter; returns a new array (the input is left as it was). */
  process(input: Float32Array): Float32Array {
    const { targetRms, minGain, maxGain, noiseFloor, limiterThreshold, limiterKnee } = this.options;
    const out = new Float32Array(input.length);
    let meanSquare = this.meanSquare;
    let gain = this.currentGain;
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      meanSquare = x * x + this.levelCoefficient * (meanSquare - x * x);
      const level = Math.sqrt(meanSquare);
      if (level >= noiseFloor) {
        const wanted = Math.min(maxGain, Math.max(minGain, targetRms / level));
        const coefficient = wanted < gain ? this.attackCoefficient : this.releaseCoefficient;
        gain = wanted + coefficient * (gain - wanted);
      }
      out[i] = softLimit(x * gain, limiterThreshold, limiterKnee);
    }
    this.meanSquare = meanSquare;
    this.currentGain = gain;
    return out;
  }

  /** Back to unity gain and an empty level detector (a new utterance or session). */
  reset(): void {
    this.meanSquare = 0;
    this.currentGain = 1;
  }
}
