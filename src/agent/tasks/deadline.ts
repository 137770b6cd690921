/**
 * A task's time limit: its signal aborts when `ms` pass. `extend()` (the task showed it is still making progress)
 * starts the `ms` over, but never past `capMs` from the start.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly capMs: number,
    private readonly reason: (cause: 'timeout' | 'cap') => Error,
  ) {
    this.arm(ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  extend(): void {
    if (this.controller.signal.aborted) return;
    const left = this.capMs - (performance.now() - this.startedAt);
    this.arm(Math.max(0, Math.min(this.ms, left)), left < this.ms ? 'cap' : 'timeout');
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private arm(ms: number, cause: 'timeout' | 'cap' = 'timeout'): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(this.reason(cause)), ms);
  }
}
