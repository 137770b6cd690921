import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderEvents, RealtimeProvider } from '../../src/main/providers/realtime.js';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';

type Name = keyof ProviderEvents;
export type Recorded = { [K in Name]: { type: K; payload: ProviderEvents[K][0]; at: number } }[Name];

const EVENT_NAMES: Name[] = ['response_started', 'text', 'audio', 'input_transcript', 'speech_started', 'speech_stopped', 'response_discarded', 'response_done', 'error', 'closed'];

/** Records every event a provider emits, in order, and lets a test wait for the one it expects. */
export class EventRecorder {
  readonly events: Recorded[] = [];
  private waiters: Array<{ from: number; pred: (e: Recorded) => boolean; resolve: (e: Recorded) => void }> = [];

  constructor(provider: RealtimeProvider) {
    for (const type of EVENT_NAMES) {
      (provider.on as (n: string, l: (p: unknown) => void) => void)(type, (payload) => this.push({ type, payload, at: Date.now() } as Recorded));
    }
  }

  private push(event: Recorded): void {
    const index = this.events.push(event) - 1;
    this.waiters = this.waiters.filter((w) => {
      if (index >= w.from && w.pred(event)) {
        w.resolve(event);
        return false;
      }
      return true;
    });
  }

  /** The first event from index `from` on that matches; waits for it up to `timeoutMs`. */
  waitFor<K extends Name>(type: K, pred: (p: ProviderEvents[K][0]) => boolean = () => true, opts: { from?: number; timeoutMs?: number } = {}): Promise<Extract<Recorded, { type: K }>> {
    const from = opts.from ?? 0;
    const match = (e: Recorded) => e.type === type && pred(e.payload as ProviderEvents[K][0]);
    const found = this.events.slice(from).find(match);
    if (found) return Promise.resolve(found as Extract<Recorded, { type: K }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}; saw: ${this.summary()}`)), opts.timeoutMs ?? 15_000);
      this.waiters.push({
        from,
        pred: match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<Recorded, { type: K }>);
        },
      });
    });
  }

  indexOf(event: Recorded): number {
    return this.events.indexOf(event);
  }

  of<K extends Name>(type: K, from = 0, to = this.events.length): Array<Extract<Recorded, { type: K }>> {
    return this.events.slice(from, to).filter((e) => e.type === type) as Array<Extract<Recorded, { type: K }>>;
  }

  summary(): string {
    return this.events.map((e) => e.type).join(',');
  }
}

/** Real speech for a test utterance: espeak-ng + sox at `rate`, with silence around it so the VAD closes the turn. */
export async function spokenUtterance(text: string, rate: number): Promise<Buffer> {
  const speech = await synthesizeSpeech(text, rate);
  const lead = Buffer.alloc(Math.round(rate * 0.2) * 2);
  const tail = Buffer.alloc(Math.round(rate * 0.9) * 2);
  return Buffer.concat([lead, speech, tail]);
}

/** Sends PCM the way the browser path does: 20 ms frames, one after another. */
export function streamPcm(provider: RealtimeProvider, pcm: Buffer, rate: number, frameMs = 20): void {
  const frame = Math.round((rate * frameMs) / 1000) * 2;
  for (let i = 0; i < pcm.length; i += frame) provider.sendAudio(pcm.subarray(i, i + frame));
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Audio of one reply: every `audio` event between its response_started and response_done. */
export function replyAudio(rec: EventRecorder, responseId: string): Buffer {
  const start = rec.events.findIndex((e) => e.type === 'response_started' && e.payload.responseId === responseId);
  const end = rec.events.findIndex((e) => e.type === 'response_done' && e.payload.responseId === responseId);
  return Buffer.concat(rec.of('audio', start, end < 0 ? undefined : end).map((e) => e.payload.pcm));
}

/** A few bytes that start like a JPEG; the providers under test only forward it. */
export const TINY_JPEG_BASE64 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQ==';
