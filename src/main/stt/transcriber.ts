/** Speech-to-text for one finished turn of 16 kHz PCM16 mono; '' when nothing was recognised. */
export interface Transcriber {
  readonly name: string;
  transcribe(pcm16k: Buffer, signal: AbortSignal): Promise<string>;
}

export class SttError extends Error {
  override name = 'SttError';
}

/**
 * Asks `primary` (a configured STT server) and, when it fails, `fallback` (offline pocketsphinx), reporting
 * each primary failure so the user learns why recognition got worse.
 */
export class FallbackTranscriber implements Transcriber {
  readonly name: string;
  constructor(
    private readonly primary: Transcriber,
    private readonly fallback: Transcriber,
    private readonly onFailure?: (message: string) => void,
  ) {
    this.name = `${primary.name}→${fallback.name}`;
  }

  async transcribe(pcm16k: Buffer, signal: AbortSignal): Promise<string> {
    try {
      return await this.primary.transcribe(pcm16k, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      this.onFailure?.(`${this.primary.name} failed (${(err as Error).message}); using ${this.fallback.name}`);
      return this.fallback.transcribe(pcm16k, signal);
    }
  }
}
