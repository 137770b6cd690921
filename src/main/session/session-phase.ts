/**
 * The lifecycle of one character's provider session, in one place:
 *
 *   idle ──start──► starting ──connected──► live ──end──► ending ──► idle
 *                      │ failed                 (hot-swaps and reconnects happen inside `live`)
 *                      ▼
 *                    idle
 */
export type SessionPhase = 'idle' | 'starting' | 'live' | 'ending';

const ALLOWED: Record<SessionPhase, readonly SessionPhase[]> = {
  idle: ['starting'],
  starting: ['live', 'idle'],
  live: ['ending'],
  ending: ['idle'],
};

export class IllegalTransitionError extends Error {}

export class SessionPhaseMachine {
  private current: SessionPhase = 'idle';
  /** Every transition taken, newest last (bounded), for logs and tests. */
  readonly history: SessionPhase[] = ['idle'];

  get value(): SessionPhase {
    return this.current;
  }

  is(phase: SessionPhase): boolean {
    return this.current === phase;
  }

  can(next: SessionPhase): boolean {
    return ALLOWED[this.current].includes(next);
  }

  to(next: SessionPhase): void {
    if (!this.can(next)) throw new IllegalTransitionError(`session cannot go from ${this.current} to ${next}`);
    this.current = next;
    this.history.push(next);
    if (this.history.length > 64) this.history.shift();
  }
}
