/**
 * One audio stream's processing chain on PCM16 bytes: [AGC + limiter] and resampling, the AGC at whichever
 * side has the lower rate (after downsampling the microphone, before upsampling).
 * Pure computation; audio-worker.ts hosts many of these off the main event loop.
 */
import { AutomaticGainControl } from './agc.js';
import { float32ToPcm16, pcm16ToFloat32, pcm16ToInt16 } from './pcm.js';
import { createResampler, type ResamplerQuality, type StreamingResampler } from './resampler.js';

export interface AudioStreamSpec {
  /** 'input': microphone → provider; 'output': provider/TTS voice → browser. */
  kind: 'input' | 'output';
  fromRate: number;
  toRate: number;
  /** Gain control + limiter (at the lower of the two rates); defaults to on for input streams, off for output streams. */
  agc?: boolean;
  quality?: ResamplerQuality;
}

export class AudioStream {
  private constructor(
    readonly spec: AudioStreamSpec,
    private readonly agc: AutomaticGainControl | undefined,
    /** Gain control runs at the lower of the two rates (same time constants, a third of the work at 48→16). */
    private readonly agcBeforeResampling: boolean,
    private readonly resampler: StreamingResampler,
  ) {}

  static async create(spec: AudioStreamSpec): Promise<AudioStream> {
    const useAgc = spec.agc ?? spec.kind === 'input';
    const agc = useAgc ? new AutomaticGainControl(Math.min(spec.fromRate, spec.toRate)) : undefined;
    return new AudioStream(spec, agc, spec.fromRate <= spec.toRate, await createResampler(spec.fromRate, spec.toRate, spec.quality));
  }

  /** PCM16 at fromRate → PCM16 at toRate. Throws before touching any state when the bytes are not PCM16. */
  process(pcm: Uint8Array): Buffer {
    // The resampler works on PCM16 natively, so only the AGC stage needs floats.
    const samples = pcm16ToInt16(pcm);
    if (!this.agc) return int16ToBuffer(this.resampler.processPcm16(samples));
    if (this.agcBeforeResampling) return int16ToBuffer(this.resampler.processPcm16(pcm16ToInt16(this.level(samples))));
    return this.level(this.resampler.processPcm16(samples));
  }

  /** The resampler's tail for the audio so far (end of a turn); the stream then starts afresh. */
  flush(): Buffer {
    const tail = this.resampler.flushPcm16();
    const out = this.agc && !this.agcBeforeResampling ? this.level(tail) : int16ToBuffer(tail);
    this.agc?.reset();
    return out;
  }

  /** Forget all state (turn boundary / barge-in): no tail, unity gain. */
  reset(): void {
    this.resampler.reset();
    this.agc?.reset();
  }

  destroy(): void {
    this.resampler.destroy();
  }

  /** AGC + limiter over PCM16 samples. */
  private level(samples: Int16Array): Buffer {
    const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    return float32ToPcm16(this.agc!.process(pcm16ToFloat32(bytes)));
  }
}

/** The resampler's output owns an exactly-sized ArrayBuffer, so the Buffer can be transferred between threads. */
function int16ToBuffer(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}
