/**
 * Streaming sample-rate conversion over libsamplerate (WASM build). A stream keeps the converter's filter
 * state between chunks, so cutting the audio into chunks of any size leaves no seams at the boundaries
 * (the original resampled each 48 kHz mic chunk statelessly: sessions.md §11.3 item 5).
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';

/** libsamplerate converter families; all three are band-limited windowed-sinc converters. */
export type ResamplerQuality = 'fastest' | 'medium' | 'best';

const CONVERTER_TYPES: Record<ResamplerQuality, 0 | 1 | 2> = {
  best: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY as 0,
  medium: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY as 1,
  fastest: libsamplerate.ConverterType.SRC_SINC_FASTEST as 2,
};

/**
 * SINC_FASTEST: passband flat to 80 % of the lower Nyquist (9.6 kHz for 24 kHz voices, 6.4 kHz for 16 kHz
 * ASR input), -97 dB aliasing, and 2-3× the speed of MEDIUM in this WASM build (bench/resampler.ts).
 */
export const DEFAULT_RESAMPLER_QUALITY: ResamplerQuality = 'fastest';

/** Zeros fed per step while draining the filter at flush(); longer than any converter's half-length. */
const FLUSH_BLOCK_SAMPLES = 4096;

type Converter = Awaited<ReturnType<typeof libsamplerate.create>>;

export interface StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Converts the next chunk; the output may lag the input by the filter's delay (a few ms) until flush(). */
  process(chunk: Float32Array): Float32Array;
  /** Returns the tail still inside the filter (total output = input × ratio) and starts a fresh stream. */
  flush(): Float32Array;
  /** Drops the filter state (e.g. at a turn boundary) without emitting the tail. */
  reset(): void;
  /** Frees the converter; the resampler is unusable afterwards. */
  destroy(): void;
}

function checkRate(name: string, rate: number): void {
  // libsamplerate-js accepts 1..192000 Hz.
  if (!Number.isInteger(rate) || rate < 1 || rate > 192_000) throw new RangeError(`${name} must be an integer in 1..192000 Hz, got ${rate}`);
}

/** Same rate in and out: nothing to filter, but the same interface. */
class PassThroughResampler implements StreamingResampler {
  constructor(readonly fromRate: number, readonly toRate: number) {}
  process(chunk: Float32Array): Float32Array {
    return chunk.slice();
  }
  flush(): Float32Array {
    return new Float32Array(0);
  }
  reset(): void {}
  destroy(): void {}
}

class LibsamplerateResampler implements StreamingResampler {
  /** Input samples taken and output samples produced since the last reset, to size the flushed tail exactly. */
  private samplesIn = 0;
  private samplesOut = 0;
  private destroyed = false;

  constructor(private readonly converter: Converter, readonly fromRate: number, readonly toRate: number) {}

  process(chunk: Float32Array): Float32Array {
    this.assertUsable();
    if (chunk.length === 0) return new Float32Array(0);
    const out = this.converter.full(chunk);
    this.samplesIn += chunk.length;
    this.samplesOut += out.length;
    return out;
  }

  flush(): Float32Array {
    this.assertUsable();
    const expected = Math.round((this.samplesIn * this.toRate) / this.fromRate);
    let missing = expected - this.samplesOut;
    const parts: Float32Array[] = [];
    // Push silence through until the filter has released every output that real input contributed to.
    const silence = new Float32Array(FLUSH_BLOCK_SAMPLES);
    for (let guard = 0; missing > 0 && guard < 8; guard++) {
      const out = this.converter.full(silence);
      const keep = out.subarray(0, Math.min(missing, out.length));
      parts.push(keep);
      missing -= keep.length;
    }
    this.reset();
    return concatFloat32(parts);
  }

  reset(): void {
    this.assertUsable();
    // libsamplerate-js re-creates the converter state (src_delete + src_new) when a rate is assigned.
    this.converter.inputSampleRate = this.fromRate;
    this.samplesIn = 0;
    this.samplesOut = 0;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.converter.destroy();
  }

  private assertUsable(): void {
    if (this.destroyed) throw new Error('resampler was destroyed');
  }
}

export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A mono streaming resampler, e.g. 48000→16000 (mic to provider), 24000→48000 (provider voice to browser),
 * 22050→48000 (espeak). Each converter loads its own WASM instance (~30 ms, memory reserved lazily).
 */
export async function createResampler(fromRate: number, toRate: number, quality: ResamplerQuality = DEFAULT_RESAMPLER_QUALITY): Promise<StreamingResampler> {
  checkRate('fromRate', fromRate);
  checkRate('toRate', toRate);
  if (fromRate === toRate) return new PassThroughResampler(fromRate, toRate);
  const converter = await libsamplerate.create(1, fromRate, toRate, { converterType: CONVERTER_TYPES[quality] });
  return new LibsamplerateResampler(converter, fromRate, toRate);
}
