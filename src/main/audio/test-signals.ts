/** Synthetic signals and measurements for the audio tests and bench/resampler.ts (not used by the server). */

/** A sine of `amplitude` at `frequency` Hz, `seconds` long. */
export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

/**
 * Speech-like test signal, computable exactly at any rate (so an ideal reference exists for any output
 * rate): harmonics of a fundamental gliding 120-240 Hz, 1/k roll-off, up to `maxFrequency`, with a 3 Hz
 * syllable envelope. Peak ≈ 0.55.
 */
export function speechLike(sampleRate: number, seconds: number, maxFrequency: number): Float64Array {
  const base = 180;
  const glide = 60;
  const glideRate = 0.7;
  const out = new Float64Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    const phase = 2 * Math.PI * (base * t - (glide / (2 * Math.PI * glideRate)) * Math.cos(2 * Math.PI * glideRate * t));
    let sum = 0;
    for (let k = 1; k * (base + glide) <= maxFrequency; k++) sum += Math.sin(k * phase + k * k * 0.3) / k;
    out[i] = 0.25 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * t)) * sum;
  }
  return out;
}

/** Sign changes between consecutive samples (a sine has two per period). */
export function zeroCrossings(samples: ArrayLike<number>): number {
  let count = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) count++;
  return count;
}

export function rmsOf(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * Signal-to-noise ratio in dB of `actual` against `reference`, over [skip, length - skip), at the integer
 * lag in ±maxLag that fits best (removes any constant delay between the two).
 */
export function snrDb(actual: ArrayLike<number>, reference: ArrayLike<number>, skip: number, maxLag = 16): { db: number; lag: number } {
  let best = { db: -Infinity, lag: 0 };
  const end = Math.min(reference.length, actual.length) - skip;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let signal = 0;
    let noise = 0;
    for (let i = skip; i < end; i++) {
      const a = actual[i + lag] ?? 0;
      const r = reference[i]!;
      signal += r * r;
      noise += (a - r) * (a - r);
    }
    const db = 10 * Math.log10(signal / noise);
    if (db > best.db) best = { db, lag };
  }
  return best;
}
