import type { Writable } from 'zeromq';
import type { Logger } from '../log.js';

/** How often a run of failed sends is reported at warn level (the rest go to debug). */
const WARN_EVERY_MS = 5000;

/**
 * Sends frames on a ZeroMQ socket configured with `sendTimeout: 0`, so a send either lands in ZeroMQ's own
 * HWM-bounded queue right away or fails right away (no peer, peer's queue full). Nothing waits and nothing
 * queues in our code; failures are counted and reported at most once per WARN_EVERY_MS. Because every send
 * completes immediately, concurrent callers never trip zeromq.js's "one pending send per socket" rule.
 */
export class LossySender {
  sent = 0;
  failed = 0;
  private lastWarnAt = 0;
  private failedSinceWarn = 0;

  constructor(
    private readonly socket: Writable,
    private readonly label: string,
    private readonly log: Logger,
  ) {}

  async send(frame: string): Promise<boolean> {
    try {
      await this.socket.send(frame);
      this.sent += 1;
      return true;
    } catch (err) {
      this.failed += 1;
      this.failedSinceWarn += 1;
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const now = Date.now();
      if (now - this.lastWarnAt >= WARN_EVERY_MS) {
        this.log.warn({ socket: this.label, reason, failed: this.failedSinceWarn, failedTotal: this.failed }, `zmq ${this.label}: send failed (peer absent or slow), message dropped`);
        this.lastWarnAt = now;
        this.failedSinceWarn = 0;
      } else {
        this.log.debug({ socket: this.label, reason }, `zmq ${this.label}: message dropped`);
      }
      return false;
    }
  }

  stats(): { sent: number; failed: number } {
    return { sent: this.sent, failed: this.failed };
  }
}
