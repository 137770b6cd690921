/**
 * One audio stream's processing chain on PCM16 bytes: decode → [AGC + limiter] → resample → encode.
 * Pure computation; audio-worker.ts hosts many of these off the main event loop.
 */
import { AutomaticGainControl } from './agc.js';
import { float32ToPcm16, pcm16ToFloat32 } from './pcm.js';
import { createResampler, type ResamplerQuality, type StreamingResampler } from './resampler.js';

export interface AudioStreamSpec {
  /** 'input': microphone → provider; 'output': provider/TTS voice → browser. */
  kind: 'input' | 'output';
  fromRate: number;
  toRate: number;
  /** Gain control + limiter before resampling; defaults to on for input streams, off for output streams. */
  agc?: boolean;
  quality?: ResamplerQuality;
}

export class AudioStream {
  private constructor(
    readonly spec: AudioStreamSpec,
    private readonly agc: AutomaticGainControl | undefined,
    private readonly resampler: StreamingResampler,
  ) {}

  static async create(spec: AudioStreamSpec): Promise<AudioStream> {
    const useAgc = spec.agc ?? spec.kind === 'input';
    const agc = useAgc ? new AutomaticGainControl(spec.fromRate) : undefined;
    return new AudioStream(spec, agc, await createResampler(spec.fromRate, spec.toRate, spec.quality));
  }

  /** PCM16 at fromRate → PCM16 at toRate. Throws before touching any state when the bytes are not PCM16. */
  process(pcm: Uint8Array): Buffer {
    const samples = pcm16ToFloat32(pcm);
    const leveled = this.agc ? this.agc.process(samples) : samples;
    return float32ToPcm16(this.resampler.process(leveled));
  }

  /** The resampler's tail for the audio so far (end of a turn); the stream then starts afresh. */
  flush(): Buffer {
    const tail = this.resampler.flush();
    this.agc?.reset();
    return float32ToPcm16(tail);
  }

  /** Forget all state (turn boundary / barge-in): no tail, unity gain. */
  reset(): void {
    this.resampler.reset();
    this.agc?.reset();
  }

  destroy(): void {
    this.resampler.destroy();
  }
}
