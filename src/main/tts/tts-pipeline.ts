import { EventEmitter } from 'node:events';
import { TtsEngineError, type TtsChunk, type TtsEngine, type TtsProblem, type TtsUtterance } from './engine.js';
import type { SpeechOutput, SpeechOutputEvents } from './speech-output.js';
import type { SpeechResampler } from './speech-resampler.js';

/** Interrupted speech ids remembered, so text that still arrives for them is dropped (a reply is interrupted once). */
const INTERRUPTED_IDS_KEPT = 32;

/** One reply's speech: its text until the engine takes it, then the engine's utterance. */
interface SpeechSlot {
  speechId: string;
  /** Resampler stream name, unique per slot. */
  stream: string;
  pending: string[];
  ended: boolean;
  utterance?: TtsUtterance;
  /** Audio of this slot, converted in parallel but emitted in order. */
  emitted: Promise<void>;
  /** False once interrupted: nothing of this slot reaches the page after that. */
  live: boolean;
}

export interface TtsPipelineOptions {
  engine: TtsEngine;
  resampler: SpeechResampler;
  /** Where conversion failures are reported (they drop a chunk, not the reply). */
  onWarning?: (message: string) => void;
}

/**
 * A character's text-to-speech: reply text in (tagged with its speech id), 48 kHz audio out (tagged the same).
 * - ready-gating: text that arrives before the engine is ready is kept and spoken once it is;
 * - one reply speaks at a time, in arrival order; a new speech id ends the previous reply's text;
 * - interrupt() drops queued text, aborts synthesis in flight, and no audio of an interrupted id is emitted after it.
 */
export class TtsPipeline extends EventEmitter<SpeechOutputEvents> implements SpeechOutput {
  private readonly engine: TtsEngine;
  private readonly resampler: SpeechResampler;
  private readonly queue: SpeechSlot[] = [];
  private readonly interrupted: string[] = [];
  private state: 'preparing' | 'ready' | 'failed' | 'closed' = 'preparing';
  private slotCount = 0;
  private idleWaiters: (() => void)[] = [];
  /** Settles when the engine's prepare() has (for tests and benchmarks). */
  readonly ready: Promise<boolean>;

  constructor(private readonly opts: TtsPipelineOptions) {
    super();
    this.engine = opts.engine;
    this.resampler = opts.resampler;
    this.ready = this.engine.prepare((problem) => this.report(problem)).then(
      () => {
        if (this.state === 'preparing') this.state = 'ready';
        this.pump();
        return this.state === 'ready';
      },
      (err: unknown) => {
        if (this.state === 'preparing') this.state = 'failed';
        this.queue.length = 0;
        for (const wake of this.idleWaiters.splice(0)) wake();
        this.report(problemOf(this.engine.name, err));
        return false;
      },
    );
  }

  push(speechId: string, text: string): void {
    if (this.state === 'closed' || this.state === 'failed' || !text || this.interrupted.includes(speechId)) return;
    let slot = this.queue.at(-1);
    if (!slot || slot.speechId !== speechId || slot.ended) {
      if (slot && !slot.ended) this.endSlot(slot);
      slot = { speechId, stream: String(++this.slotCount), pending: [], ended: false, emitted: Promise.resolve(), live: true };
      this.queue.push(slot);
    }
    if (slot.utterance) slot.utterance.write(text);
    else slot.pending.push(text);
    this.pump();
  }

  end(speechId: string): void {
    const slot = this.queue.find((s) => s.speechId === speechId && !s.ended);
    if (slot) this.endSlot(slot);
  }

  interrupt(): void {
    for (const slot of this.queue.splice(0)) {
      slot.live = false;
      slot.utterance?.abort();
      this.resampler.discard(slot.stream);
      this.interrupted.push(slot.speechId);
    }
    while (this.interrupted.length > INTERRUPTED_IDS_KEPT) this.interrupted.shift();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.interrupt();
    this.state = 'closed';
    await this.engine.close();
  }

  /** Resolves once every reply queued so far has been spoken (or dropped): the end of a reply's audio. */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private endSlot(slot: SpeechSlot): void {
    slot.ended = true;
    slot.utterance?.end();
  }

  /** Starts the head slot's utterance once the engine is ready. */
  private pump(): void {
    if (this.state !== 'ready') return;
    const slot = this.queue[0];
    if (!slot || slot.utterance) return;
    const utterance = this.engine.start({ audio: (chunk) => this.onAudio(slot, chunk), problem: (p) => this.report(p) });
    slot.utterance = utterance;
    for (const text of slot.pending.splice(0)) utterance.write(text);
    if (slot.ended) utterance.end();
    utterance.finished.then(
      () => this.finishSlot(slot, null),
      (err: unknown) => this.finishSlot(slot, err),
    );
  }

  private onAudio(slot: SpeechSlot, chunk: TtsChunk): void {
    if (!slot.live) return;
    const converted: Promise<Buffer> =
      chunk.format === 'ogg-opus' ? Promise.resolve(chunk.data) : this.resampler.convert(slot.stream, chunk.data, chunk.sampleRate);
    const format = chunk.format === 'ogg-opus' ? 'ogg-opus' : 'pcm16-48k';
    converted.catch(() => undefined);
    slot.emitted = slot.emitted.then(async () => {
      try {
        this.emitAudio(slot, await converted, format);
      } catch (err) {
        if (slot.live) this.opts.onWarning?.(`TTS audio conversion failed: ${(err as Error).message}`);
      }
    });
  }

  private emitAudio(slot: SpeechSlot, audio: Buffer, format: 'pcm16-48k' | 'ogg-opus'): void {
    if (!slot.live || audio.length === 0) return;
    this.emit('audio', { speechId: slot.speechId, audio, format });
  }

  private async finishSlot(slot: SpeechSlot, err: unknown): Promise<void> {
    await slot.emitted;
    if (slot.live) {
      this.emitAudio(slot, await this.resampler.finish(slot.stream).catch(() => Buffer.alloc(0)), 'pcm16-48k');
      if (err) this.report(problemOf(this.engine.name, err));
    }
    if (this.queue[0] === slot) this.queue.shift();
    this.pump();
    if (this.queue.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private report(problem: TtsProblem): void {
    if (this.listenerCount('error') > 0) this.emit('error', problem);
  }
}

function problemOf(engine: string, err: unknown): TtsProblem {
  if (err instanceof TtsEngineError) return { code: err.code, message: err.message };
  return { code: 'TTS_CONNECTION_FAILED', message: `${engine}: ${(err as Error)?.message ?? String(err)}` };
}
