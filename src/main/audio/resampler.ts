/**
 * Streaming sample-rate conversion over the Speex resampler (speexdsp, WASM build; see speex-wasm.ts).
 * A stream keeps the converter's filter state between chunks, so cutting the audio into chunks of any size
 * leaves no seams at the boundaries (the original resampled each 48 kHz mic chunk statelessly:
 * sessions.md §11.3 item 5). Speex is a band-limited windowed-sinc converter built for real-time voice;
 * bench/resampler.ts measures its speed and its SNR next to sox's `rate -v`.
 */
import { loadSpeex, type SpeexModule } from './speex-wasm.js';

/** Speex quality levels: 1 (short filter) … 10 (longest filter, best stop-band). */
export type ResamplerQuality = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/**
 * Quality 3 (48-tap filter at 24→48 kHz): the lowest level whose 24→48 kHz speech-band SNR is within 3 dB of
 * sox `rate -v` (level 2 is 8 dB short), so the fastest that meets it: ~450× realtime for the voice on a
 * 2-core machine. Images and aliases stay at the PCM16 noise floor; the 48→16 kHz passband is -3 dB at
 * 7 kHz (level 4: -0.4 dB, for ~30 % more time). bench/resampler.ts prints the sweep of all levels.
 */
export const DEFAULT_RESAMPLER_QUALITY: ResamplerQuality = 3;

/** Input zeros fed per step while draining the filter at flush(); longer than any level's half filter. */
const FLUSH_BLOCK_SAMPLES = 1024;

/** Full scale of int16, as in pcm.ts (the WASM build's fast entry point takes PCM16). */
const INT16_SCALE = 32768;

/** Spare output slots per call: speex may emit one sample more than input × ratio when phases line up. */
const OUTPUT_SLACK_SAMPLES = 8;

/**
 * Field offsets (int32 words) in speexdsp's `SpeexResamplerState`, unchanged since 2008. Only used to read
 * the filter length and to do what speex_resampler_skip_zeros() does (that function is not exported by this
 * build); createResampler checks the neighbouring fields before trusting the layout.
 */
const STATE = { inRate: 0, outRate: 1, quality: 4, channels: 5, filterLength: 6, initialised: 13, started: 14, lastSample: 15 } as const;

export interface StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Converts the next chunk; the output lags the input by half the filter (~1 ms) until flush(). */
  process(chunk: Float32Array): Float32Array;
  /** process() on PCM16 samples, the converter's native format (no float round trip); output owns its buffer. */
  processPcm16(chunk: Int16Array): Int16Array;
  /** Returns the tail still inside the filter (total output = input × ratio) and starts a fresh stream. */
  flush(): Float32Array;
  /** flush() as PCM16. */
  flushPcm16(): Int16Array;
  /** Drops the filter state (e.g. at a turn boundary) without emitting the tail. */
  reset(): void;
  /** Frees the converter; the resampler is unusable afterwards. */
  destroy(): void;
}

function checkRate(name: string, rate: number): void {
  // Speex takes any positive 32-bit rate; 1..192000 Hz covers every real device and keeps ratios sane.
  if (!Number.isInteger(rate) || rate < 1 || rate > 192_000) throw new RangeError(`${name} must be an integer in 1..192000 Hz, got ${rate}`);
}

/** Same rate in and out: nothing to filter, but the same interface. */
class PassThroughResampler implements StreamingResampler {
  constructor(readonly fromRate: number, readonly toRate: number) {}
  process(chunk: Float32Array): Float32Array {
    return chunk.slice();
  }
  processPcm16(chunk: Int16Array): Int16Array {
    return chunk.slice();
  }
  flush(): Float32Array {
    return new Float32Array(0);
  }
  flushPcm16(): Int16Array {
    return new Int16Array(0);
  }
  reset(): void {}
  destroy(): void {}
}

class SpeexResampler implements StreamingResampler {
  private state = 0;
  /** Scratch in the WASM heap: input, output, and the two in/out length words. */
  private inPtr = 0;
  private outPtr = 0;
  private capacityIn = 0;
  private capacityOut = 0;
  private readonly lengthsPtr: number;
  /** Input samples taken and output samples produced since the last reset, to size the flushed tail exactly. */
  private samplesIn = 0;
  private samplesOut = 0;
  private destroyed = false;

  constructor(private readonly speex: SpeexModule, readonly fromRate: number, readonly toRate: number, readonly quality: ResamplerQuality) {
    this.lengthsPtr = speex._malloc(8);
    this.state = this.createState();
  }

  process(chunk: Float32Array): Float32Array {
    this.assertUsable();
    const input = this.stage(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const value = Math.round(chunk[i]! * INT16_SCALE);
      input[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
    }
    return toFloat32(this.convert(chunk.length));
  }

  processPcm16(chunk: Int16Array): Int16Array {
    this.assertUsable();
    this.stage(chunk.length).set(chunk);
    return this.convert(chunk.length).slice();
  }

  flush(): Float32Array {
    return toFloat32(this.flushPcm16());
  }

  flushPcm16(): Int16Array {
    this.assertUsable();
    const expected = Math.round((this.samplesIn * this.toRate) / this.fromRate);
    let missing = expected - this.samplesOut;
    const tail = new Int16Array(Math.max(0, missing));
    // Push silence through until the filter has released every output that real input contributed to.
    for (let guard = 0; missing > 0 && guard < 16; guard++) {
      this.stage(FLUSH_BLOCK_SAMPLES).fill(0);
      const out = this.convert(FLUSH_BLOCK_SAMPLES);
      const keep = out.subarray(0, Math.min(missing, out.length));
      tail.set(keep, tail.length - missing);
      missing -= keep.length;
    }
    this.reset();
    return missing > 0 ? tail.subarray(0, tail.length - missing).slice() : tail;
  }

  reset(): void {
    this.assertUsable();
    // This build exports no speex_resampler_reset_mem(); a fresh converter costs microseconds.
    this.speex._speex_resampler_destroy(this.state);
    this.state = this.createState();
    this.samplesIn = 0;
    this.samplesOut = 0;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.speex._speex_resampler_destroy(this.state);
    for (const pointer of [this.inPtr, this.outPtr, this.lengthsPtr]) if (pointer) this.speex._free(pointer);
  }

  private createState(): number {
    const speex = this.speex;
    const errorPtr = this.lengthsPtr;
    const state = speex._speex_resampler_init(1, this.fromRate, this.toRate, this.quality, errorPtr);
    const error = speex.HEAP32[errorPtr >> 2]!;
    if (!state || error !== 0) throw new Error(`speex resampler: ${speex.AsciiToString(speex._speex_resampler_strerror(error))}`);
    const word = (field: number) => speex.HEAP32[(state >> 2) + field]!;
    const filterLength = word(STATE.filterLength);
    const layoutOk =
      word(STATE.inRate) === this.fromRate && word(STATE.outRate) === this.toRate && word(STATE.quality) === this.quality &&
      word(STATE.channels) === 1 && word(STATE.initialised) === 1 && word(STATE.started) === 0 && filterLength > 0 && filterLength % 8 === 0;
    if (!layoutOk) {
      speex._speex_resampler_destroy(state);
      throw new Error('speex resampler: unexpected converter state layout in this WASM build');
    }
    // skip_zeros: start reading at the filter's centre so output sample 0 is input sample 0 (no leading
    // delay of half a filter; flush() then completes the stream to exactly input × ratio).
    speex.HEAPU32[word(STATE.lastSample) >> 2] = filterLength / 2;
    return state;
  }

  /** Room for `count` input samples in the WASM heap (a view that is valid until the next call). */
  private stage(count: number): Int16Array {
    this.reserve(count, this.outputRoom(count));
    return this.speex.HEAP16.subarray(this.inPtr >> 1, (this.inPtr >> 1) + count);
  }

  private outputRoom(count: number): number {
    return Math.ceil((count * this.toRate) / this.fromRate) + OUTPUT_SLACK_SAMPLES;
  }

  /** Resamples the `count` staged samples; returns a view of the output in the WASM heap. */
  private convert(count: number): Int16Array {
    const speex = this.speex;
    const lengths = this.lengthsPtr >> 2;
    speex.HEAPU32[lengths] = count;
    speex.HEAPU32[lengths + 1] = this.outputRoom(count);
    const error = speex._speex_resampler_process_interleaved_int(this.state, this.inPtr, this.lengthsPtr, this.outPtr, this.lengthsPtr + 4);
    if (error !== 0) throw new Error(`speex resampler: ${speex.AsciiToString(speex._speex_resampler_strerror(error))}`);
    const consumed = speex.HEAPU32[lengths]!;
    const written = speex.HEAPU32[lengths + 1]!;
    // With room for input × ratio + slack, speex consumes everything; anything else would be lost audio.
    if (consumed !== count) throw new Error(`speex resampler consumed ${consumed} of ${count} samples`);
    this.samplesIn += count;
    this.samplesOut += written;
    return speex.HEAP16.subarray(this.outPtr >> 1, (this.outPtr >> 1) + written);
  }

  /** Grows the WASM-side buffers to hold `inCount` input and `outCount` output samples. */
  private reserve(inCount: number, outCount: number): void {
    if (inCount > this.capacityIn) {
      if (this.inPtr) this.speex._free(this.inPtr);
      this.capacityIn = Math.max(inCount, 2 * this.capacityIn);
      this.inPtr = this.speex._malloc(this.capacityIn * 2);
    }
    if (outCount > this.capacityOut) {
      if (this.outPtr) this.speex._free(this.outPtr);
      this.capacityOut = Math.max(outCount, 2 * this.capacityOut);
      this.outPtr = this.speex._malloc(this.capacityOut * 2);
    }
  }

  private assertUsable(): void {
    if (this.destroyed) throw new Error('resampler was destroyed');
  }
}

function toFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / INT16_SCALE;
  return out;
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
 * 22050→48000 (espeak). All converters of a thread share one WASM instance (loaded once, ~20 ms).
 */
export async function createResampler(fromRate: number, toRate: number, quality: ResamplerQuality = DEFAULT_RESAMPLER_QUALITY): Promise<StreamingResampler> {
  checkRate('fromRate', fromRate);
  checkRate('toRate', toRate);
  if (!Number.isInteger(quality) || quality < 1 || quality > 10) throw new RangeError(`quality must be an integer in 1..10, got ${quality}`);
  if (fromRate === toRate) return new PassThroughResampler(fromRate, toRate);
  return new SpeexResampler(await loadSpeex(), fromRate, toRate, quality);
}
