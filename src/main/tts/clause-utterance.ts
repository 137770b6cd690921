import { ClauseSegmenter, isSpeakable } from './clause-segmenter.js';
import { asTtsError, type TtsChunk, type TtsSink, type TtsUtterance } from './engine.js';

/** Synthesizes one clause; stops (and may throw AbortError) when `signal` aborts. */
export type ClauseSynthesizer = (text: string, signal: AbortSignal) => AsyncIterable<TtsChunk>;

/**
 * An utterance for engines that take whole text (espeak-ng, HTTP speech APIs): text is cut into clauses as it
 * streams in, and the clauses are synthesized one after another, so audio starts after the first clause.
 */
export class ClauseUtterance implements TtsUtterance {
  readonly finished: Promise<void>;
  private readonly segmenter = new ClauseSegmenter();
  private readonly clauses: string[] = [];
  private readonly controller = new AbortController();
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly engineName: string,
    private readonly synthesize: ClauseSynthesizer,
    private readonly sink: TtsSink,
  ) {
    this.finished = this.run();
    // The pipeline always awaits `finished`; this only keeps an unobserved failure from crashing the process.
    this.finished.catch(() => undefined);
  }

  write(text: string): void {
    if (this.ended || this.controller.signal.aborted) return;
    this.enqueue(this.segmenter.push(text));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const tail = this.segmenter.flush();
    this.enqueue(tail ? [tail] : []);
    this.notify();
  }

  abort(): void {
    this.clauses.length = 0;
    this.segmenter.clear();
    this.controller.abort();
    this.notify();
  }

  private enqueue(clauses: string[]): void {
    // Punctuation- or emoji-only pieces have nothing to pronounce; engines often error on them.
    for (const c of clauses) if (isSpeakable(c)) this.clauses.push(c);
    if (clauses.length) this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const clause = this.clauses.shift();
      if (clause === undefined) {
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        for await (const chunk of this.synthesize(clause, signal)) {
          if (signal.aborted) return;
          this.sink.audio(chunk);
        }
      } catch (err) {
        if (signal.aborted) return;
        throw asTtsError(this.engineName, err);
      }
    }
  }
}
