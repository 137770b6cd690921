import type { RealtimeProvider } from '../providers/realtime.js';

export interface HotSwapTiming {
  /** Time in session after which the next turn end triggers a swap (keeps provider context short). */
  renewAfterMs: number;
  /** After the trigger, wait this long (while memory digests the renewed turns) before preparing. */
  prepDelayMs: number;
}

/**
 *   idle ──turn end ≥ renewAfter──► triggered ──turn end ≥ prepDelay──► preparing ──connected──► ready ──turn end──► (swap) idle
 *     └──── agent results waiting ─────────────────────────────────────► preparing
 * A failed preparation goes back to `triggered`, so a later turn end retries.
 */
export type HotSwapState = 'idle' | 'triggered' | 'preparing' | 'ready';

export type HotSwapStep = 'none' | 'trigger' | 'prepare' | 'swap';

export class HotSwap {
  private s: HotSwapState = 'idle';
  private sessionStart = 0;
  private triggeredAt = 0;
  private pending?: RealtimeProvider;
  /** Turn index when the swap was triggered (turns since then go into the new session's prompt). */
  triggerIndex = 0;
  /** Turn index when preparation began (turns since then go into the prime at swap time). */
  snapshotIndex = 0;

  constructor(private readonly timing: HotSwapTiming) {}

  get state(): HotSwapState {
    return this.s;
  }

  sessionStarted(at: number): void {
    this.reset();
    this.sessionStart = at;
  }

  /** Decides what a turn end does. `agentWaiting` skips the time trigger and the preparation delay. */
  onTurnEnd(now: number, agentWaiting: boolean, turnIndex: number): HotSwapStep {
    switch (this.s) {
      case 'idle':
        if (agentWaiting) {
          this.trigger(now - this.timing.prepDelayMs, turnIndex);
          return 'prepare';
        }
        if (now - this.sessionStart >= this.timing.renewAfterMs) {
          this.trigger(now, turnIndex);
          return 'trigger';
        }
        return 'none';
      case 'triggered':
        return now - this.triggeredAt >= this.timing.prepDelayMs ? 'prepare' : 'none';
      case 'preparing':
        return 'none';
      case 'ready':
        return 'swap';
    }
  }

  trigger(now: number, turnIndex: number): void {
    if (this.s !== 'idle') return;
    this.s = 'triggered';
    this.triggeredAt = now;
    this.triggerIndex = turnIndex;
  }

  /** Returns false when preparation is already running or done. */
  beginPreparing(turnIndex: number): boolean {
    if (this.s !== 'triggered') return false;
    this.s = 'preparing';
    this.snapshotIndex = turnIndex;
    return true;
  }

  isPreparing(): boolean {
    return this.s === 'preparing';
  }

  ready(provider: RealtimeProvider): void {
    this.pending = provider;
    this.s = 'ready';
  }

  failed(): void {
    if (this.s === 'preparing') this.s = 'triggered';
  }

  takePending(): RealtimeProvider | undefined {
    const p = this.pending;
    this.pending = undefined;
    if (this.s === 'ready') this.s = 'idle';
    return p;
  }

  swapped(at: number): void {
    this.s = 'idle';
    this.sessionStart = at;
    this.triggerIndex = 0;
    this.snapshotIndex = 0;
  }

  /** Drops any preparation; closes a prepared session. */
  reset(): void {
    void this.pending?.close().catch(() => undefined);
    this.pending = undefined;
    this.s = 'idle';
    this.triggerIndex = 0;
    this.snapshotIndex = 0;
  }
}
