import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Bumped when the tables change shape; older files are migrated in `migrate`. */
const SCHEMA_VERSION = 1;

export interface StoredTask {
  id: string;
  type: string;
  status: string;
  lanlan_name: string | null;
  start_time: string;
  end_time: string | null;
  params: Record<string, unknown>;
  result: unknown;
  error: string | null;
  session_id: string | null;
  /** Normalised instruction used to refuse duplicates of a running task. */
  dedupe_key: string;
}

interface TaskRow {
  id: string;
  type: string;
  status: string;
  lanlan_name: string | null;
  start_time: string;
  end_time: string | null;
  params: string;
  result: string | null;
  error: string | null;
  session_id: string | null;
  dedupe_key: string;
}

function toTask(row: TaskRow): StoredTask {
  return {
    ...row,
    params: JSON.parse(row.params) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

/**
 * The agent's durable state (the original kept all of it in memory, monitor.md §6.3.1): flags and task
 * records. One small SQLite file in WAL mode; every write is a single statement, so a crash loses nothing
 * that was acknowledged.
 */
export class AgentDb {
  readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`agent database schema ${version} is newer than this neko understands (${SCHEMA_VERSION})`);
    if (version === SCHEMA_VERSION) return;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        lanlan_name TEXT,
        start_time TEXT NOT NULL,
        end_time TEXT,
        params TEXT NOT NULL,
        result TEXT,
        error TEXT,
        session_id TEXT,
        dedupe_key TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status);
      CREATE INDEX IF NOT EXISTS tasks_start ON tasks(start_time);
    `);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  saveTask(task: StoredTask): void {
    this.db
      .prepare(
        `INSERT INTO tasks (id, type, status, lanlan_name, start_time, end_time, params, result, error, session_id, dedupe_key)
         VALUES (@id, @type, @status, @lanlan_name, @start_time, @end_time, @params, @result, @error, @session_id, @dedupe_key)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time, params = excluded.params,
           result = excluded.result, error = excluded.error, session_id = excluded.session_id`,
      )
      .run({ ...task, params: JSON.stringify(task.params), result: task.result === null || task.result === undefined ? null : JSON.stringify(task.result) });
  }

  task(id: string): StoredTask | undefined {
    const row = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return row ? toTask(row) : undefined;
  }

  /** Newest first. */
  recentTasks(limit: number): StoredTask[] {
    return (this.db.prepare('SELECT * FROM tasks ORDER BY start_time DESC, rowid DESC LIMIT ?').all(limit) as TaskRow[]).map(toTask);
  }

  /**
   * Tasks a previous run left queued or running can never finish (their executors died with it):
   * they become failed with `reason`. Returns them as they are now.
   */
  failUnfinished(reason: string, endTime: string): StoredTask[] {
    const rows = this.db.prepare("SELECT * FROM tasks WHERE status IN ('queued', 'running')").all() as TaskRow[];
    if (rows.length === 0) return [];
    this.db.prepare("UPDATE tasks SET status = 'failed', error = ?, end_time = ? WHERE status IN ('queued', 'running')").run(reason, endTime);
    return rows.map((r) => ({ ...toTask(r), status: 'failed', error: reason, end_time: endTime }));
  }

  /** Forgets finished tasks that ended before `beforeIso`; returns how many. */
  pruneFinished(beforeIso: string): number {
    return this.db.prepare("DELETE FROM tasks WHERE status NOT IN ('queued', 'running') AND COALESCE(end_time, start_time) < ?").run(beforeIso).changes;
  }

  /** `/admin/control end_all` clears the record, as the original does. */
  clearFinished(): number {
    return this.db.prepare("DELETE FROM tasks WHERE status NOT IN ('queued', 'running')").run().changes;
  }

  close(): void {
    this.db.close();
  }
}
