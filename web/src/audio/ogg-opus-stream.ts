import type { OggOpusDecoderWebWorker } from 'ogg-opus-decoder';

/** True when the frame starts an Ogg page ("OggS"): engines such as CosyVoice send Ogg/Opus instead of PCM. */
export function isOgg(data: ArrayBuffer): boolean {
  if (data.byteLength < 4) return false;
  const b = new Uint8Array(data, 0, 4);
  return b[0] === 0x4f && b[1] === 0x67 && b[2] === 0x67 && b[3] === 0x53;
}

/**
 * Decodes the Ogg/Opus page stream of one speech after another into 48 kHz mono samples, in order. The WASM
 * decoder runs in its own worker (loaded on the first Ogg frame, so pages that never get one never load it);
 * a new speech id starts a new Ogg stream, so the decoder is reset between speeches.
 */
export class OggOpusStream {
  private decoder?: Promise<OggOpusDecoderWebWorker>;
  private speechId?: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly onSamples: (speechId: string, samples: Float32Array) => void, private readonly onError: (err: Error) => void) {}

  push(speechId: string, data: ArrayBuffer): void {
    const bytes = new Uint8Array(data.slice(0));
    this.queue = this.queue.then(async () => {
      try {
        const decoder = await this.load();
        if (this.speechId !== undefined && this.speechId !== speechId) await decoder.reset();
        this.speechId = speechId;
        const { channelData, samplesDecoded } = await decoder.decode(bytes);
        if (samplesDecoded > 0 && channelData[0]) this.onSamples(speechId, channelData[0].subarray(0, samplesDecoded));
      } catch (err) {
        this.onError(err as Error);
      }
    });
  }

  /** Resolves when every frame pushed so far has been decoded (or failed). */
  idle(): Promise<void> {
    return this.queue;
  }

  private load(): Promise<OggOpusDecoderWebWorker> {
    this.decoder ??= import('ogg-opus-decoder').then(async ({ OggOpusDecoderWebWorker }) => {
      const decoder = new OggOpusDecoderWebWorker({ forceStereo: false });
      await decoder.ready;
      return decoder;
    });
    return this.decoder;
  }
}
