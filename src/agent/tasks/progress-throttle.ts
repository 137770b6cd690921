import type { TaskProgress } from './task-registry.js';

/** Fastest a task's progress goes on to main and the page: ~10 updates a second moves a bar smoothly and cannot flood ZeroMQ. */
export const PROGRESS_MIN_INTERVAL_MS = 100;

/**
 * Passes one task's progress reports on at most once per interval. Reports that arrive in between are merged
 * (later fields win) and sent when the interval is over, so the latest report always gets through; `flush()`
 * sends a waiting one at once (before the task's final update).
 */
export class ProgressThrottle {
  private pending: TaskProgress | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (progress: TaskProgress) => void,
    private readonly intervalMs = PROGRESS_MIN_INTERVAL_MS,
  ) {}

  report(progress: TaskProgress): void {
    this.pending = { ...this.pending, ...progress };
    if (this.timer) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const progress = this.pending;
    if (!progress) return;
    this.pending = undefined;
    this.lastSentAt = performance.now();
    this.send(progress);
  }
}
