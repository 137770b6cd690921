/**
 * PCM16 helpers for the audio path: the browser sends int16 samples as JSON number arrays, providers
 * and the browser's player speak little-endian PCM16 bytes, and the DSP stages work on Float32 in [-1, 1).
 */

/** Bytes per PCM16 sample. */
export const PCM16_BYTES = 2;

/** Full scale of int16; float = int / 32768 and back, so int16 → float → int16 is exact. */
const INT16_SCALE = 32768;

/** A desktop browser frame: 10 ms at 48 kHz (the original's only way to recognise 48 kHz input). */
export const DESKTOP_FRAME_SAMPLES = 480;

/** Sample rate of a microphone frame: an explicit rate wins; else 480 samples means 48 kHz, anything else 16 kHz. */
export function frameSampleRate(sampleCount: number, explicitRate?: number): number {
  if (explicitRate !== undefined) return explicitRate;
  return sampleCount === DESKTOP_FRAME_SAMPLES ? 48_000 : 16_000;
}

function clipInt16(value: number): number {
  return value >= 32767 ? 32767 : value <= -32768 ? -32768 : Math.round(value);
}

/** Throws a clear error for a byte stream that cannot be PCM16 (a sample split in half). */
export function assertPcm16(bytes: Uint8Array): void {
  if (bytes.byteLength % PCM16_BYTES !== 0) {
    throw new RangeError(`PCM16 audio needs an even number of bytes, got ${bytes.byteLength}`);
  }
}

/** JSON int16 samples (numbers, possibly out of range or fractional) → PCM16 LE bytes, clipped and rounded. */
export function int16ArrayToPcm16(samples: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(samples.length * PCM16_BYTES);
  for (let i = 0; i < samples.length; i++) {
    const value = Number(samples[i]);
    if (!Number.isFinite(value)) throw new TypeError(`audio sample ${i} is not a finite number`);
    out.writeInt16LE(clipInt16(value), i * PCM16_BYTES);
  }
  return out;
}

/** PCM16 LE bytes → int16 samples (a copy when the bytes are not 2-byte aligned, e.g. a slice of a pooled Buffer). */
export function pcm16ToInt16(bytes: Uint8Array): Int16Array {
  assertPcm16(bytes);
  const count = bytes.byteLength / PCM16_BYTES;
  if (bytes.byteOffset % PCM16_BYTES === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  return new Int16Array(new Uint8Array(bytes).buffer, 0, count);
}

/** PCM16 LE bytes → int16 samples as a plain array (for JSON). */
export function pcm16ToInt16Array(bytes: Uint8Array): number[] {
  return Array.from(pcm16ToInt16(bytes));
}

/** PCM16 LE bytes → Float32 in [-1, 1). */
export function pcm16ToFloat32(bytes: Uint8Array): Float32Array {
  const ints = pcm16ToInt16(bytes);
  const out = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = ints[i]! / INT16_SCALE;
  return out;
}

/**
 * Float32 → PCM16 LE bytes, clipping anything outside [-1, 1). The result owns a fresh ArrayBuffer of
 * exactly its size (never Node's shared pool), so it can be transferred to another thread.
 */
export function float32ToPcm16(samples: Float32Array): Buffer {
  const ints = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) ints[i] = clipInt16(samples[i]! * INT16_SCALE);
  return Buffer.from(ints.buffer, 0, ints.byteLength);
}

/** Root mean square of float samples (0 for an empty block). */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/** Root mean square of PCM16 bytes on the int16 scale (the original's client-VAD threshold is RMS > 500 on this scale). */
export function pcm16Rms(bytes: Uint8Array): number {
  const ints = pcm16ToInt16(bytes);
  if (ints.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < ints.length; i++) sum += ints[i]! * ints[i]!;
  return Math.sqrt(sum / ints.length);
}

/**
 * Re-chunks a byte stream into frames of a fixed byte size (e.g. 20 ms of PCM16 for a provider that wants
 * even frames). Bytes that do not fill a frame wait for the next push.
 */
export class FrameChunker {
  private pending: Buffer = Buffer.alloc(0);

  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameBytes}`);
  }

  /** Appends bytes and returns every complete frame now available, in order. */
  push(bytes: Uint8Array): Buffer[] {
    const all = this.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.pending, bytes]);
    const frames: Buffer[] = [];
    let offset = 0;
    for (; offset + this.frameBytes <= all.length; offset += this.frameBytes) {
      frames.push(Buffer.from(all.subarray(offset, offset + this.frameBytes)));
    }
    this.pending = Buffer.from(all.subarray(offset));
    return frames;
  }

  /** Bytes waiting for a full frame. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Returns the incomplete tail (possibly empty) and forgets it. */
  drain(): Buffer {
    const tail = this.pending;
    this.pending = Buffer.alloc(0);
    return tail;
  }
}
