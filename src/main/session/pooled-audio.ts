import type { AudioWorkerPool } from '../audio/audio-worker-pool.js';
import type { SessionAudio } from './character-session.js';

/**
 * One character's audio streams on the shared worker pool: microphone → provider rate (with AGC) and provider
 * voice → 48 kHz for the page. Streams open on first use, keep their filter state across chunks, and are
 * reset at reply boundaries. Each character has its own streams, so their state never mixes.
 */
export class PooledSessionAudio implements SessionAudio {
  private readonly opened = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly pool: AudioWorkerPool,
    private readonly character: string,
  ) {}

  private stream(kind: 'input' | 'output', fromRate: number, toRate: number): Promise<string> {
    const id = `${this.character}:${kind}:${fromRate}:${toRate}`;
    let ready = this.opened.get(id);
    if (!ready) {
      ready = this.pool.open(id, { kind, fromRate, toRate });
      this.opened.set(id, ready);
      ready.catch(() => this.opened.delete(id));
    }
    return ready.then(() => id);
  }

  async input(pcm: Buffer, rate: number, toRate: number): Promise<Buffer> {
    if (this.closed) throw new Error('audio closed');
    return this.pool.process(await this.stream('input', rate, toRate), pcm);
  }

  async output(pcm: Buffer, rate: number): Promise<Buffer> {
    if (this.closed) throw new Error('audio closed');
    return this.pool.process(await this.stream('output', rate, 48_000), pcm);
  }

  resetOutput(): void {
    for (const id of this.opened.keys()) {
      if (id.includes(':output:')) void this.pool.reset(id).catch(() => undefined);
    }
  }

  close(): void {
    this.closed = true;
    for (const id of this.opened.keys()) void this.pool.close(id).catch(() => undefined);
    this.opened.clear();
  }
}
