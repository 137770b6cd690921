import type { AudioWorkerPool } from '../audio/audio-worker-pool.js';

/** The rate the page plays (websocket.md §4.2). */
export const PAGE_SAMPLE_RATE = 48_000;

/**
 * Converts each utterance's engine audio to 48 kHz PCM16, keeping filter state across its chunks. `stream`
 * names one utterance; replies for one stream come back in the order they were asked for.
 */
export interface SpeechResampler {
  convert(stream: string, pcm: Buffer, rate: number): Promise<Buffer>;
  /** The stream's remaining tail; the stream is then closed. */
  finish(stream: string): Promise<Buffer>;
  /** Close without a tail (interrupted speech). */
  discard(stream: string): void;
}

/** SpeechResampler on the shared audio worker pool: the filtering runs in worker threads, never on the event loop. */
export class PooledSpeechResampler implements SpeechResampler {
  /** stream → the pool stream ids it opened (one per source rate), each with its open promise. */
  private readonly streams = new Map<string, Map<number, Promise<string>>>();

  constructor(
    private readonly pool: AudioWorkerPool,
    /** Prefix that keeps this owner's pool streams apart from every other character's. */
    private readonly owner: string,
  ) {}

  async convert(stream: string, pcm: Buffer, rate: number): Promise<Buffer> {
    if (rate === PAGE_SAMPLE_RATE) return pcm;
    return this.pool.process(await this.poolStream(stream, rate), pcm);
  }

  async finish(stream: string): Promise<Buffer> {
    const opened = this.streams.get(stream);
    this.streams.delete(stream);
    if (!opened) return Buffer.alloc(0);
    const tails: Buffer[] = [];
    for (const ready of opened.values()) {
      const id = await ready.catch(() => null);
      if (!id) continue;
      tails.push(await this.pool.flush(id).catch(() => Buffer.alloc(0)));
      void this.pool.close(id).catch(() => undefined);
    }
    return Buffer.concat(tails);
  }

  discard(stream: string): void {
    const opened = this.streams.get(stream);
    this.streams.delete(stream);
    for (const ready of opened?.values() ?? []) {
      void ready.then((id) => this.pool.close(id)).catch(() => undefined);
    }
  }

  private poolStream(stream: string, rate: number): Promise<string> {
    let byRate = this.streams.get(stream);
    if (!byRate) this.streams.set(stream, (byRate = new Map()));
    let ready = byRate.get(rate);
    if (!ready) {
      const id = `${this.owner}:tts:${stream}:${rate}`;
      ready = this.pool.open(id, { kind: 'output', fromRate: rate, toRate: PAGE_SAMPLE_RATE }).then(() => id);
      byRate.set(rate, ready);
    }
    return ready;
  }
}
