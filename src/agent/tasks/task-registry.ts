import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AgentDb, StoredTask } from '../store/agent-db.js';
import { nowIso } from '../time.js';

export const TASK_TYPES = ['mcp', 'browser_use', 'computer_use'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export type TaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
const ACTIVE: ReadonlySet<string> = new Set(['queued', 'running']);

/** Progress a running task reports for the page's task HUD (agent.md §3.4 `task_update.task`). */
export interface TaskProgress {
  progress?: number | null;
  stage?: string | null;
  message?: string | null;
  step?: number | null;
  step_total?: number | null;
}

/** A task as the API and `task_update` show it. */
export type TaskView = StoredTask & TaskProgress & { source: 'runtime' };

interface LiveTask {
  record: StoredTask;
  progress: TaskProgress;
  abort: AbortController;
}

export function isActiveStatus(status: string): boolean {
  return ACTIVE.has(status);
}

/** Finished tasks kept for the task list; older ones are pruned (the original forgot them after 5 min). */
export const FINISHED_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Every task's record (in SQLite, so restarts keep history) and, for live ones, the AbortController that
 * cancels exactly that task. Emits `update` with the task's view on every change.
 */
export class TaskRegistry extends EventEmitter<{ update: [TaskView] }> {
  private readonly live = new Map<string, LiveTask>();

  constructor(private readonly db: AgentDb) {
    super();
  }

  /** Marks tasks a dead process left active as failed; returns them (to tell main). */
  recoverAfterRestart(): StoredTask[] {
    return this.db.failUnfinished('agent restarted while the task was active; it was not finished', nowIso());
  }

  create(input: { type: TaskType; lanlan_name: string | null; params: Record<string, unknown>; dedupe_key: string; status?: 'queued' | 'running' }): { id: string; signal: AbortSignal } {
    const record: StoredTask = {
      id: randomUUID(),
      type: input.type,
      status: input.status ?? 'queued',
      lanlan_name: input.lanlan_name,
      start_time: nowIso(),
      end_time: null,
      params: input.params,
      result: null,
      error: null,
      session_id: null,
      dedupe_key: input.dedupe_key,
    };
    const abort = new AbortController();
    this.live.set(record.id, { record, progress: {}, abort });
    this.db.saveTask(record);
    this.emit('update', this.view(record, {}));
    return { id: record.id, signal: abort.signal };
  }

  setRunning(id: string): void {
    const live = this.live.get(id);
    if (!live || live.record.status !== 'queued') return;
    live.record.status = 'running';
    this.db.saveTask(live.record);
    this.emit('update', this.view(live.record, live.progress));
  }

  /** Progress of a running task; not persisted (it is only for the HUD). */
  report(id: string, progress: TaskProgress): void {
    const live = this.live.get(id);
    if (!live || !isActiveStatus(live.record.status)) return;
    live.progress = { ...live.progress, ...progress };
    this.emit('update', this.view(live.record, live.progress));
  }

  /** Ends a task once; later calls (a cancel racing a result) are ignored and return false. */
  finish(id: string, status: 'completed' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: string | null }): boolean {
    const live = this.live.get(id);
    if (!live || !isActiveStatus(live.record.status)) return false;
    this.live.delete(id);
    const record = live.record;
    record.status = status;
    record.end_time = nowIso();
    record.result = outcome.result ?? null;
    record.error = outcome.error ?? null;
    this.db.saveTask(record);
    this.emit('update', this.view(record, live.progress));
    return true;
  }

  /** Cancels exactly this task: its signal aborts and its record says cancelled. False if it is not active. */
  cancel(id: string, reason = 'cancelled by user'): boolean {
    const live = this.live.get(id);
    if (!live) return false;
    live.abort.abort(new TaskCancelledError(reason));
    return this.finish(id, 'cancelled', { error: reason });
  }

  cancelAll(reason: string): number {
    let n = 0;
    for (const id of [...this.live.keys()]) if (this.cancel(id, reason)) n += 1;
    return n;
  }

  get(id: string): TaskView | undefined {
    const live = this.live.get(id);
    if (live) return this.view(live.record, live.progress);
    const stored = this.db.task(id);
    return stored ? this.view(stored, {}) : undefined;
  }

  active(): TaskView[] {
    return [...this.live.values()].map((l) => this.view(l.record, l.progress));
  }

  /** Active tasks whose normalised instruction equals `key` for the same character. */
  findDuplicate(lanlanName: string | null, key: string): TaskView | undefined {
    for (const l of this.live.values()) {
      if (l.record.dedupe_key === key && l.record.lanlan_name === lanlanName) return this.view(l.record, l.progress);
    }
    return undefined;
  }

  list(limit = 200): TaskView[] {
    const seen = new Set<string>();
    const out: TaskView[] = [];
    for (const t of this.active()) {
      seen.add(t.id);
      out.push(t);
    }
    for (const t of this.db.recentTasks(limit)) if (!seen.has(t.id)) out.push(this.view(t, {}));
    return out.slice(0, Math.max(limit, seen.size));
  }

  prune(now = Date.now()): number {
    return this.db.pruneFinished(new Date(now - FINISHED_RETENTION_MS).toISOString());
  }

  clearFinished(): number {
    return this.db.clearFinished();
  }

  private view(record: StoredTask, progress: TaskProgress): TaskView {
    return { ...record, ...progress, source: 'runtime' };
  }
}

/** The abort reason of a cancelled task; executors rethrow it so the pipeline knows not to report a failure. */
export class TaskCancelledError extends Error {
  override readonly name = 'TaskCancelledError';
}
