import type { Logger } from '../shared/log.js';
import type { CharacterQueue } from './character-queue.js';
import type { ModelEndpoint } from './llm/model-endpoints.js';
import type { MemoryDbs } from './store/memory-dbs.js';
import { lcMessage, messageText, speakerOf, SUMMARY_PREFIX } from './window/langchain-messages.js';
import { startsWith, WINDOW_KEEP, WINDOW_SIZE, type RecentWindows } from './window/recent-window.js';
import { extractFacts } from './facts/extract-facts.js';
import { reviewWindow } from './window/review.js';
import { summariseLocally, summariseWithModel } from './window/summarise.js';

export interface MaintenanceDeps {
  windows: RecentWindows;
  dbs: MemoryDbs;
  queue: CharacterQueue;
  log: Logger;
  names(character: string): { character: string; master: string };
  summaryModel(): ModelEndpoint | undefined;
  correctionModel(): ModelEndpoint | undefined;
  /** core_config.json `recent_memory_auto_review` (default true). */
  reviewEnabled(): boolean;
  /** core_config.json `memory_fact_extraction` (default false: it costs a model call per session). */
  factExtractionEnabled(): boolean;
  /** Back-off between model retries (tests shorten it). */
  backoffMs?: readonly number[];
}

interface Job {
  done: Promise<void>;
  review: AbortController;
  reviewing: boolean;
}

/**
 * The slow work after a conversation ends (/process, /renew), run in the background per character so the
 * caller's turns are acknowledged as soon as they are stored: compress the recent window, summarise the
 * session into the database, then review the window. Model calls run outside the character's queue; their
 * results are applied inside it and only if the window still starts with what was summarised or reviewed, so
 * a /cache or a hand edit that arrived meanwhile is never overwritten. A failed summary keeps the originals,
 * and the next session end tries again.
 */
export class Maintenance {
  private readonly jobs = new Map<string, Job>();
  /** Bumped when a character's files move or vanish: results computed before must not be written. */
  private readonly epochs = new Map<string, number>();

  constructor(private readonly deps: MaintenanceDeps) {}

  private epoch(character: string): number {
    return this.epochs.get(character) ?? 0;
  }

  /** Schedules the after-session work; a review still running for this character is cancelled first. */
  afterSession(character: string, sessionIds: readonly string[], detailed: boolean): Promise<void> {
    const previous = this.jobs.get(character);
    previous?.review.abort();
    const epoch = this.epoch(character);
    const job: Job = { done: Promise.resolve(), review: new AbortController(), reviewing: false };
    const log = this.deps.log;
    job.done = (previous?.done ?? Promise.resolve())
      .then(async () => {
        await this.compress(character, detailed, epoch).catch((err: Error) => log.warn({ character, err: err.message }, 'window compression failed; originals kept'));
        for (const sessionId of sessionIds) {
          await this.summariseSession(character, sessionId, epoch).catch((err: Error) => log.warn({ character, err: err.message }, 'session summary failed; turns kept'));
          await this.extractSessionFacts(character, sessionId, epoch).catch((err: Error) => log.warn({ character, err: err.message }, 'fact extraction failed'));
        }
        if (job.review.signal.aborted) return;
        job.reviewing = true;
        await this.review(character, job.review.signal, epoch).catch((err: Error) => {
          if (job.review.signal.aborted) log.info({ character }, 'window review cancelled');
          else log.warn({ character, err: err.message }, 'window review failed; window unchanged');
        });
      })
      .finally(() => {
        if (this.jobs.get(character) === job) this.jobs.delete(character);
      });
    this.jobs.set(character, job);
    return job.done;
  }

  /** /cancel_correction and /new_dialog: stop a review (waiting for it to let go of the window). */
  async cancelReview(character: string): Promise<'cancelled' | 'no_task'> {
    const job = this.jobs.get(character);
    if (!job) return 'no_task';
    job.review.abort();
    if (job.reviewing) await job.done;
    return 'cancelled';
  }

  /** The character's files are about to move or be removed: drop every result still being computed. */
  forget(character: string): void {
    this.epochs.set(character, this.epoch(character) + 1);
    this.jobs.get(character)?.review.abort();
  }

  /** Shutdown: every pending result is dropped. */
  stopAll(): void {
    for (const character of this.jobs.keys()) this.forget(character);
  }

  /** Resolves when no background work is pending for the character (tests, shutdown). */
  async idle(character: string): Promise<void> {
    while (this.jobs.has(character)) await this.jobs.get(character)!.done;
  }

  /** Folds everything but the newest WINDOW_KEEP messages into one memo when the window is over WINDOW_SIZE. */
  async compress(character: string, detailed: boolean, epoch = this.epoch(character)): Promise<boolean> {
    const { windows, queue, log } = this.deps;
    const snapshot = windows.read(character);
    if (snapshot.length <= WINDOW_SIZE) return false;
    const old = snapshot.slice(0, snapshot.length - WINDOW_KEEP);
    const names = this.deps.names(character);
    const lines = old.map((m) => `${speakerOf(m, names)} | ${messageText(m)}`);
    const model = this.deps.summaryModel();
    const summary = model ? await summariseWithModel(model, lines, { detailed, backoffMs: this.deps.backoffMs }) : summariseLocally(lines);
    const memo = lcMessage('system', `${SUMMARY_PREFIX}${summary}`, { timestamp: new Date().toISOString() });
    return queue.run(character, () => {
      if (this.epoch(character) !== epoch) return false;
      const current = windows.read(character);
      if (!startsWith(current, old)) {
        log.info({ character }, 'window changed while it was summarised; compression retried at the next session end');
        return false;
      }
      windows.write(character, [memo, ...current.slice(old.length)]);
      log.info({ character, folded: old.length, model: model?.model ?? 'local' }, 'recent window compressed');
      return true;
    });
  }

  /** Stores a recallable summary of one finished session (needs a summary model; the turns are stored anyway). */
  private async summariseSession(character: string, sessionId: string, epoch: number): Promise<void> {
    const model = this.deps.summaryModel();
    if (!model) return;
    const turns = this.deps.dbs.get(character).sessionTurns(sessionId);
    if (turns.length === 0 || this.deps.dbs.get(character).sessionSummary(sessionId)) return;
    const text = await summariseWithModel(model, turns.map((t) => `${t.speaker} | ${t.text}`), { backoffMs: this.deps.backoffMs });
    if (this.epoch(character) !== epoch) return;
    const db = this.deps.dbs.get(character);
    if (db.sessionSummary(sessionId)) return;
    db.addSummary({ sessionId, text, ts: Date.now(), fromTs: turns[0]!.ts, toTs: turns[turns.length - 1]!.ts });
  }

  /**
   * Stores lasting facts from one finished session (opt-in). Each fact is dated by the session's last turn, so
   * a later session that says otherwise replaces it, and an older one never does.
   */
  private async extractSessionFacts(character: string, sessionId: string, epoch: number): Promise<void> {
    if (!this.deps.factExtractionEnabled()) return;
    const model = this.deps.summaryModel();
    if (!model) return;
    const turns = this.deps.dbs.get(character).sessionTurns(sessionId);
    if (turns.length === 0) return;
    const facts = await extractFacts(model, turns.map((t) => `${t.speaker} | ${t.text}`), this.deps.names(character), { backoffMs: this.deps.backoffMs });
    if (this.epoch(character) !== epoch) return;
    const db = this.deps.dbs.get(character);
    const ts = turns[turns.length - 1]!.ts;
    for (const fact of facts) db.setFact({ ...fact, ts, source: `session:${sessionId}` });
    if (facts.length > 0) this.deps.log.info({ character, facts: facts.length }, 'facts extracted from session');
  }

  private async review(character: string, signal: AbortSignal, epoch: number): Promise<void> {
    const { windows, queue, log } = this.deps;
    if (!this.deps.reviewEnabled()) return;
    const model = this.deps.correctionModel();
    if (!model) return;
    const snapshot = windows.read(character);
    if (snapshot.length === 0) return;
    signal.throwIfAborted();
    const reviewed = await reviewWindow(model, snapshot, this.deps.names(character), { signal, backoffMs: this.deps.backoffMs });
    signal.throwIfAborted();
    await queue.run(character, () => {
      if (signal.aborted || this.epoch(character) !== epoch) return;
      const current = windows.read(character);
      if (!startsWith(current, snapshot)) {
        log.info({ character }, 'window changed during review; review result dropped');
        return;
      }
      windows.write(character, [...reviewed, ...current.slice(snapshot.length)]);
      log.info({ character, before: snapshot.length, after: reviewed.length }, 'recent window reviewed');
    });
  }
}
