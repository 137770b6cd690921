import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../shared/log.js';
import type { HistoryMessage, HistoryResult } from '../../shared/protocol/memory.js';
import { MemoryRequestError, MemoryUnavailableError, type MemoryClient } from './memory-client.js';

/** The three memory calls a session makes (memory.md §1.6). */
export type OutboxKind = 'cache' | 'renew' | 'process';

/** A message as queued: the history shape plus neko's turn id, which the memory service dedupes on. */
export type OutboxMessage = HistoryMessage & { id: string; timestamp: string };

interface Row {
  seq: number;
  character: string;
  kind: OutboxKind;
  body: string;
  attempts: number;
}

/** Retry delays while memory is down or failing: 0.5 s doubling to 30 s. */
const RETRY_START_MS = 500;
const RETRY_MAX_MS = 30_000;
/**
 * An entry memory keeps refusing (it answers, with an error) is moved to `outbox_parked` after this many tries,
 * so one bad entry cannot block a character's later turns. Unreachable memory is retried without limit.
 */
export const MAX_REFUSALS = 5;

/** Memory answered but refused the entry (as opposed to being unreachable). */
class MemoryRefused extends Error {}

/**
 * Turns on their way to the memory service, kept on disk first so nothing is lost when memory is down,
 * restarting, or main itself crashes. Entries are delivered in order per character and removed only
 * after memory acknowledged them; memory dedupes by turn id, so a retry after a lost acknowledgement
 * stores nothing twice.
 */
export class MemoryOutbox {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string, string, string]>;
  private readonly nextFor: Database.Statement<[string], Row>;
  private readonly remove: Database.Statement<[number]>;
  private readonly bump: Database.Statement<[string, number]>;
  private readonly pendingCharacters: Database.Statement<[], { character: string }>;
  private readonly countFor: Database.Statement<[string], { n: number }>;
  private readonly park: (seq: number, error: string) => void;
  private readonly parkedCount: Database.Statement<[string], { n: number }>;
  /** Characters with a delivery loop running. */
  private readonly draining = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    file: string,
    private readonly memory: MemoryClient,
    private readonly log: Logger,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      character TEXT NOT NULL,
      kind TEXT NOT NULL,
      body TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS outbox_parked (
      seq INTEGER PRIMARY KEY,
      character TEXT NOT NULL,
      kind TEXT NOT NULL,
      body TEXT NOT NULL,
      last_error TEXT,
      created_at TEXT NOT NULL,
      parked_at TEXT NOT NULL
    )`);
    this.insert = this.db.prepare('INSERT INTO outbox (character, kind, body, created_at) VALUES (?, ?, ?, ?)');
    this.nextFor = this.db.prepare('SELECT seq, character, kind, body, attempts FROM outbox WHERE character = ? ORDER BY seq LIMIT 1');
    this.remove = this.db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.bump = this.db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?');
    this.pendingCharacters = this.db.prepare('SELECT DISTINCT character FROM outbox');
    this.countFor = this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE character = ?');
    this.parkedCount = this.db.prepare('SELECT COUNT(*) AS n FROM outbox_parked WHERE character = ?');
    const copy = this.db.prepare(
      `INSERT INTO outbox_parked (seq, character, kind, body, last_error, created_at, parked_at)
       SELECT seq, character, kind, body, ?, created_at, ? FROM outbox WHERE seq = ?`,
    );
    this.park = this.db.transaction((seq: number, error: string) => {
      copy.run(error, new Date().toISOString(), seq);
      this.remove.run(seq);
    });
  }

  /** Durably queues a call and starts delivering; returns once it is on disk. */
  enqueue(character: string, kind: OutboxKind, messages: readonly OutboxMessage[]): void {
    this.insert.run(character, kind, JSON.stringify(messages), new Date().toISOString());
    this.kick(character);
  }

  /** Resumes delivery of whatever a previous run left behind. */
  resume(): void {
    for (const { character } of this.pendingCharacters.all()) this.kick(character);
  }

  pending(character: string): number {
    return this.countFor.get(character)?.n ?? 0;
  }

  /** Entries memory refused MAX_REFUSALS times, kept (not deleted) for inspection and replay. */
  parked(character: string): number {
    return this.parkedCount.get(character)?.n ?? 0;
  }

  /** Resolves when nothing is queued for `character` (or the outbox closes). */
  async drained(character: string): Promise<void> {
    while (!this.closed && this.pending(character) > 0) {
      await (this.draining.get(character) ?? new Promise((r) => setTimeout(r, 50)));
    }
  }

  private kick(character: string): void {
    if (this.closed || this.draining.has(character)) return;
    const loop = this.drain(character).finally(() => this.draining.delete(character));
    this.draining.set(character, loop);
  }

  private async drain(character: string): Promise<void> {
    let delay = RETRY_START_MS;
    while (!this.closed) {
      const row = this.nextFor.get(character);
      if (!row) return;
      try {
        const result = await this.deliver(row);
        if (this.closed) return;
        if (result.status === 'error') throw new MemoryRefused(result.message ?? 'memory reported an error');
        this.remove.run(row.seq);
        delay = RETRY_START_MS;
      } catch (err) {
        if (this.closed) return;
        const refused = err instanceof MemoryRefused || (err instanceof MemoryRequestError && err.status >= 400 && err.status < 500);
        if (refused && row.attempts + 1 >= MAX_REFUSALS) {
          this.park(row.seq, (err as Error).message);
          this.log.error({ character, kind: row.kind, err: (err as Error).message }, 'memory keeps refusing this entry; parked so later turns can go through');
          continue;
        }
        this.bump.run((err as Error).message, row.seq);
        const level = err instanceof MemoryUnavailableError ? 'debug' : 'warn';
        this.log[level]({ character, kind: row.kind, attempts: row.attempts + 1, err: (err as Error).message }, 'memory delivery failed; will retry');
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t);
            resolve();
          }, delay);
          this.timers.add(t);
        });
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  private deliver(row: Row): Promise<HistoryResult> {
    const messages = JSON.parse(row.body) as OutboxMessage[];
    switch (row.kind) {
      case 'cache':
        return this.memory.cache(row.character, messages);
      case 'renew':
        return this.memory.renew(row.character, messages);
      case 'process':
        return this.memory.process(row.character, messages);
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.db.close();
  }
}
