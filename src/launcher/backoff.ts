/** Restart delays for a crashing service: 0.5 s doubling to 15 s; a run that stayed up a minute resets it. */
export const BACKOFF_START_MS = 500;
export const BACKOFF_MAX_MS = 15_000;
export const STABLE_AFTER_MS = 60_000;

export class Backoff {
  private failures = 0;

  /** Delay before the next restart, given how long the last run stayed up. */
  next(uptimeMs: number): number {
    if (uptimeMs >= STABLE_AFTER_MS) this.failures = 0;
    const delay = Math.min(BACKOFF_START_MS * 2 ** this.failures, BACKOFF_MAX_MS);
    this.failures++;
    return delay;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
