import type { TtsChunk, TtsEngine, TtsSink, TtsUtterance } from '../../src/main/tts/engine.js';

/**
 * A TtsEngine whose readiness the test controls and which "speaks" every written text as one 48 kHz chunk
 * holding the text's bytes, so a test can see exactly which text reached the engine and when.
 */
export class ScriptedTtsEngine implements TtsEngine {
  readonly name = 'scripted';
  readonly written: string[] = [];
  started = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  prepare(): Promise<void> {
    return this.gate;
  }

  /** Makes prepare() resolve. */
  becomeReady(): void {
    this.release();
  }

  start(sink: TtsSink): TtsUtterance {
    this.started++;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    return {
      finished,
      write: (text) => {
        this.written.push(text);
        const chunk: TtsChunk = { format: 'pcm16', sampleRate: 48_000, data: Buffer.from(text.length % 2 ? `${text} ` : text) };
        sink.audio(chunk);
      },
      end: () => done(),
      abort: () => done(),
    };
  }

  async close(): Promise<void> {}
}
