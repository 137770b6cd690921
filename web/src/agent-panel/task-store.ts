import { storageGet, storageSet } from '../storage';
import type { AgentTask } from './agent-api';

/** A finished task stays in the HUD this long (or until dismissed): long enough to read, short enough to stay tidy. */
export const KEEP_FINISHED_MS = 15 * 60_000;
/** Dismissed ids are remembered across reloads; the oldest are forgotten beyond this many. */
const MAX_DISMISSED = 300;
const DISMISSED_KEY = 'neko.agent.dismissed';

const ACTIVE = new Set(['queued', 'running']);
export const isActive = (task: AgentTask): boolean => ACTIVE.has(task.status);

const time = (iso: string | null | undefined): number => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
};

/**
 * The tasks the HUD shows for one character: every active one, and finished ones for a while. Filled from
 * `GET /api/agent/tasks` (start and each reconnect) and kept current by `agent_task_update` messages.
 */
export class TaskStore {
  private readonly tasks = new Map<string, AgentTask>();
  private readonly dismissed: string[];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private character: string,
    private readonly now: () => number = Date.now,
  ) {
    try {
      const saved = JSON.parse(storageGet(DISMISSED_KEY) ?? '[]') as unknown;
      this.dismissed = Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      this.dismissed = [];
    }
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Another character's page: its tasks, not this one's. */
  setCharacter(name: string): void {
    if (name === this.character) return;
    this.character = name;
    this.tasks.clear();
    this.changed();
  }

  /** The full list from the server replaces what we had (updates missed while disconnected are in it). */
  replaceAll(list: AgentTask[]): void {
    const before = new Map(this.tasks);
    this.tasks.clear();
    for (const task of list) {
      if (!this.wanted(task)) continue;
      // An update that arrived while the list was on its way may already say the task ended.
      const known = before.get(task.id);
      this.tasks.set(task.id, known && !isActive(known) && isActive(task) ? known : task);
    }
    this.changed();
  }

  /** One `agent_task_update`: fields it leaves out (result, params) keep their last known value. */
  apply(update: AgentTask): void {
    if (!update.id || !this.wanted(update)) return;
    const before = this.tasks.get(update.id);
    // A late "running" after the task already ended (the two race) must not bring it back to life.
    if (before && !isActive(before) && isActive(update)) return;
    const merged: AgentTask = { ...before, ...update };
    if (!isActive(merged) && !merged.end_time) merged.end_time = new Date(this.now()).toISOString();
    this.tasks.set(update.id, merged);
    this.changed();
  }

  dismiss(id: string): void {
    if (!this.tasks.delete(id)) return;
    this.dismissed.push(id);
    storageSet(DISMISSED_KEY, JSON.stringify(this.dismissed.slice(-MAX_DISMISSED)));
    this.changed();
  }

  dismissFinished(): void {
    for (const task of this.list()) if (!isActive(task)) this.dismiss(task.id);
  }

  /** Drops finished tasks older than KEEP_FINISHED_MS; true if any went. */
  sweep(): boolean {
    let dropped = false;
    for (const task of [...this.tasks.values()]) {
      if (!this.fresh(task)) {
        this.tasks.delete(task.id);
        dropped = true;
      }
    }
    if (dropped) this.changed();
    return dropped;
  }

  get(id: string): AgentTask | undefined {
    return this.tasks.get(id);
  }

  /** Active tasks first (oldest first), then finished ones (newest first). */
  list(): AgentTask[] {
    const all = [...this.tasks.values()];
    const active = all.filter(isActive).sort((a, b) => time(a.start_time) - time(b.start_time));
    const done = all.filter((t) => !isActive(t)).sort((a, b) => time(b.end_time ?? b.start_time) - time(a.end_time ?? a.start_time));
    return [...active, ...done];
  }

  get runningCount(): number {
    let n = 0;
    for (const task of this.tasks.values()) if (isActive(task)) n++;
    return n;
  }

  private wanted(task: AgentTask): boolean {
    if (this.dismissed.includes(task.id)) return false;
    if (task.lanlan_name && task.lanlan_name !== this.character) return false;
    return this.fresh(task);
  }

  private fresh(task: AgentTask): boolean {
    if (isActive(task)) return true;
    const ended = time(task.end_time) || time(task.start_time);
    // A just-finished update may come without end_time: it is fresh now.
    return ended === 0 || this.now() - ended < KEEP_FINISHED_MS;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
