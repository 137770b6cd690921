import type { Logger } from '../../shared/log.js';
import type { TaskProgress } from './task-registry.js';

/** What an executor gets for one task: its own cancellation signal and a way to report progress. */
export interface TaskRun {
  id: string;
  instruction: string;
  /** Aborts when this task is cancelled or times out; executors stop at the next safe point. */
  signal: AbortSignal;
  report(progress: TaskProgress): void;
  log: Logger;
}

export interface TaskOutcome {
  success: boolean;
  /** Readable result (what the user hears about). */
  detail: string;
  /** Stored in the task record's `result`. */
  result: Record<string, unknown>;
}

/** Throws the signal's reason if the task was cancelled or timed out (call between steps). */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
