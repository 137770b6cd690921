import { TtsEngineError, type TtsEngine, type TtsProblem, type TtsSink, type TtsUtterance } from './engine.js';

/**
 * Speaks with `primary`, and when it cannot (not reachable at start, or a request fails) switches to
 * `fallback` for good, reporting TTS_CONNECTION_FAILED once, so the character never goes silent.
 * An utterance that fails before any of its audio was heard is replayed on the fallback in full; one that
 * fails midway continues on the fallback with the text that arrives after the failure (replaying it all
 * would repeat what the user already heard).
 */
export class FallbackTts implements TtsEngine {
  readonly name: string;
  private usingFallback = false;
  private reported = false;

  constructor(
    private readonly primary: TtsEngine,
    private readonly fallback: TtsEngine,
  ) {
    this.name = `${primary.name}→${fallback.name}`;
  }

  get active(): TtsEngine {
    return this.usingFallback ? this.fallback : this.primary;
  }

  async prepare(onProblem: (problem: TtsProblem) => void): Promise<void> {
    try {
      await this.primary.prepare(onProblem);
    } catch (err) {
      this.switchOver(err, onProblem);
    }
    await this.fallback.prepare(onProblem);
  }

  start(sink: TtsSink): TtsUtterance {
    if (this.usingFallback) return this.fallback.start(sink);
    return new FailoverUtterance(this.primary, sink, (err) => {
      this.switchOver(err, (p) => sink.problem(p));
      return this.fallback.start(sink);
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.fallback.close()]);
  }

  private switchOver(err: unknown, onProblem: (problem: TtsProblem) => void): void {
    this.usingFallback = true;
    if (this.reported) return;
    this.reported = true;
    const reason = err instanceof Error ? err.message : String(err);
    onProblem({ code: 'TTS_CONNECTION_FAILED', message: `${this.primary.name} unavailable (${reason}); speaking with ${this.fallback.name}` });
  }
}

/** One utterance that moves to the fallback engine if the primary fails. */
class FailoverUtterance implements TtsUtterance {
  readonly finished: Promise<void>;
  private current: TtsUtterance;
  private readonly written: string[] = [];
  private heardAudio = false;
  private ended = false;
  private aborted = false;
  private failedOver = false;

  constructor(
    primary: TtsEngine,
    sink: TtsSink,
    private readonly failover: (err: unknown) => TtsUtterance,
  ) {
    this.current = primary.start({
      audio: (chunk) => {
        this.heardAudio = true;
        sink.audio(chunk);
      },
      problem: (p) => sink.problem(p),
    });
    this.finished = this.current.finished.catch((err: unknown) => this.moveToFallback(err));
    this.finished.catch(() => undefined);
  }

  write(text: string): void {
    if (!this.failedOver) this.written.push(text);
    this.current.write(text);
  }

  end(): void {
    this.ended = true;
    this.current.end();
  }

  abort(): void {
    this.aborted = true;
    this.current.abort();
  }

  private moveToFallback(err: unknown): Promise<void> {
    if (this.aborted) return Promise.resolve();
    if (!(err instanceof TtsEngineError) && !(err instanceof Error)) throw err;
    this.failedOver = true;
    this.current = this.failover(err);
    if (!this.heardAudio) for (const text of this.written) this.current.write(text);
    if (this.ended) this.current.end();
    return this.current.finished;
  }
}
