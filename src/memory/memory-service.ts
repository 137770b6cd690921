import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { HistoryItem, IngestTurn, RecentItem } from '../shared/protocol/memory.js';
import { ALL_RESERVED_FIELDS, CHARACTERS_KEY, MASTER_KEY, NAME_FIELD } from '../shared/config/characters.js';
import { readJsonFile } from '../shared/config/json-file.js';
import type { ConfigStore } from '../shared/config/store.js';
import type { Logger } from '../shared/log.js';
import { deleteCharacterFiles, renameCharacterFiles, validName, type CharacterFilesOutcome } from './character-files.js';
import { CharacterQueue } from './character-queue.js';
import { derivedTurnId, parseInputHistory } from './input-history.js';
import { assistModel, embeddingModel } from './llm/model-endpoints.js';
import { Maintenance } from './maintenance.js';
import { NO_HISTORY_TEXT, newDialogText, recentHistoryText, searchText, type Names } from './prompt-text.js';
import { recall, type RecallItem } from './search/recall.js';
import { DenseIndex } from './search/dense-index.js';
import { RERANK_CANDIDATES, Reranker, rerankEnabled } from './search/rerank.js';
import type { NewTurn, StoredFact, StoredTurn, TimeRange } from './store/memory-db.js';
import { MemoryDbs } from './store/memory-dbs.js';
import { isWindowSummary, messageText } from './window/langchain-messages.js';
import { renameInWindow } from './window/rename-names.js';
import { RecentWindows, windowFileName } from './window/recent-window.js';
import { windowItems } from './window/window-items.js';

export type HistoryRoute = 'cache' | 'process' | 'renew';

export interface MemoryServiceOptions {
  config: ConfigStore;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Back-off between model retries (tests shorten it). */
  backoffMs?: readonly number[];
}

export interface RecallRequest {
  k: number;
  range?: TimeRange;
  now?: number;
  bm25Only?: boolean;
  /** Force the LLM rerank on (only if an assist model is usable) or off; default from the settings. */
  rerank?: boolean;
}

/** How many recalled moments /new_dialog adds to the prompt. */
const NEW_DIALOG_RECALL = 5;

const SettingsFileSchema = z.record(z.string(), z.unknown());

function historyItem(t: StoredTurn): HistoryItem {
  return { id: t.id, role: t.role, speaker: t.speaker, text: t.text, timestamp: new Date(t.ts).toISOString(), session_id: t.sessionId, source: t.source };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Everything the memory service does, without HTTP: the routes validate input, call one method and shape the
 * answer. Benchmarks and tests use this class directly too.
 */
export class MemoryService {
  readonly dbs: MemoryDbs;
  readonly windows: RecentWindows;
  readonly queue = new CharacterQueue();
  readonly maintenance: Maintenance;
  readonly dense: DenseIndex;
  readonly reranker: Reranker;
  private readonly config: ConfigStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: Logger;

  constructor(opts: MemoryServiceOptions) {
    this.config = opts.config;
    this.log = opts.log;
    const env = opts.env ?? process.env;
    this.env = env;
    const folder = () => this.config.paths.memory;
    this.dbs = new MemoryDbs(folder, (problem) => this.log.error(problem, 'memory database unreadable; moved aside and started a new one'));
    this.windows = new RecentWindows(folder, this.log);
    this.maintenance = new Maintenance({
      windows: this.windows,
      dbs: this.dbs,
      queue: this.queue,
      log: this.log,
      names: (c) => this.names(c),
      summaryModel: () => assistModel(this.config, 'summary'),
      correctionModel: () => assistModel(this.config, 'correction'),
      reviewEnabled: () => this.config.coreFile().recent_memory_auto_review !== false,
      factExtractionEnabled: () => this.config.coreFile().memory_fact_extraction === true,
      backoffMs: opts.backoffMs,
    });
    this.dense = new DenseIndex({ dbs: this.dbs, log: this.log, endpoint: () => embeddingModel(this.config, env) });
    this.reranker = new Reranker({ endpoint: () => assistModel(this.config, 'summary'), log: this.log });
  }

  names(character: string): Names {
    const master = this.config.characters()[MASTER_KEY]?.[NAME_FIELD];
    return { character, master: typeof master === 'string' && master ? master : '主人' };
  }

  /** In characters.json (the original's test for "unknown character"). */
  isConfigured(character: string): boolean {
    return this.config.hasCharacter(character);
  }

  /** Configured, or has stored memory. */
  isKnown(character: string): boolean {
    return this.isConfigured(character) || this.dbs.exists(character);
  }

  /**
   * /cache, /process, /renew: store every new turn (by id) and append the new ones to the recent window, in the
   * character's queue. /process and /renew also end the session and start the background maintenance. Throws
   * InputHistoryError on a malformed `input_history`.
   */
  async receive(character: string, inputHistory: string, route: HistoryRoute): Promise<{ received: number; stored: number }> {
    const parsed = parseInputHistory(inputHistory, this.names(character));
    const endsSession = route !== 'cache';
    const { stored, sessions } = await this.queue.run(character, () => {
      const db = this.dbs.get(character);
      const open = db.openSessionId();
      const added = db.insertTurns(parsed.map((p) => p.turn), route, endsSession);
      const fresh = new Set(added.map((t) => t.id));
      this.windows.append(character, parsed.filter((p) => fresh.has(p.turn.id)).map((p) => p.window));
      const sessions = new Set(added.map((t) => t.sessionId));
      if (open) sessions.add(open);
      return { stored: added.length, sessions: [...sessions] };
    });
    if (stored > 0) this.dense.schedule(character);
    if (endsSession) {
      void this.maintenance.afterSession(character, sessions, route === 'renew').catch((err: Error) => this.log.warn({ character, err: err.message }, 'memory maintenance failed'));
    }
    this.log.info({ event: `memory_${route}`, character, received: parsed.length, stored }, `${route}: ${stored} new of ${parsed.length}`);
    return { received: parsed.length, stored };
  }

  /** /ingest: durable structured turns (not added to the recent window). Returns ids in input order. */
  ingest(character: string, turns: readonly IngestTurn[]): string[] {
    const names = this.names(character);
    const now = Date.now();
    const newTurns: NewTurn[] = turns.map((t) => {
      const ts = t.timestamp !== undefined ? Date.parse(t.timestamp) : now;
      const speaker = t.speaker ?? (t.role === 'user' ? names.master : t.role === 'assistant' ? character : 'SYSTEM_MESSAGE');
      // A client retry with the same turn (same time and words) must not store it twice; without a timestamp
      // nothing identifies a retry, so the turn gets a fresh id.
      const id = t.id ?? (t.timestamp !== undefined ? derivedTurnId(character, t.role, t.text, t.timestamp) : randomUUID());
      return { id, role: t.role, speaker, text: t.text, ts, ...(t.session_id ? { sessionId: t.session_id } : {}) };
    });
    const added = this.dbs.get(character).insertTurns(newTurns, 'ingest');
    if (added.length > 0) this.dense.schedule(character);
    return newTurns.map((t) => t.id);
  }

  async recall(character: string, query: string, opts: RecallRequest): Promise<RecallItem[]> {
    return (await this.recallRanked(character, query, opts)).items;
  }

  /**
   * Recall, then the optional LLM rerank of the best fused candidates: when `rerank` (default: core_config.json
   * `memory_rerank` / env NEKO_MEMORY_RERANK, off unless set) is on and an assist model is usable. `reranked`
   * tells whether the model's order was applied; on any failure the fused order stands.
   */
  async recallRanked(character: string, query: string, opts: RecallRequest): Promise<{ items: RecallItem[]; reranked: boolean }> {
    const denseSeqs = opts.bm25Only ? undefined : await this.dense.nearest(character, query, 50);
    const { rerank: wanted, ...rest } = opts;
    const rerank = !opts.bm25Only && (wanted ?? rerankEnabled(this.config, this.env)) && this.reranker.available();
    if (!rerank) return { items: recall(this.dbs.get(character), query, { ...rest, denseSeqs }), reranked: false };
    const candidates = recall(this.dbs.get(character), query, { ...rest, denseSeqs, take: RERANK_CANDIDATES });
    const ranked = await this.reranker.rerank(query, candidates);
    return { items: ranked.items.slice(0, opts.k), reranked: ranked.reranked };
  }

  /** A page of history, optionally only turns containing every one of `words` (the memory browser's search). */
  history(character: string, range: TimeRange, limit: number, beforeId?: string, words: readonly string[] = []): HistoryItem[] | undefined {
    // A character without a database has no history: answer without creating one.
    if (!this.dbs.exists(character)) return beforeId === undefined ? [] : undefined;
    return this.dbs.get(character).history(range, limit, beforeId, words)?.map(historyItem);
  }

  /** The recent window, structured (the memo of older messages first, then the newest messages). */
  recentWindow(character: string): RecentItem[] {
    return windowItems(this.windows.read(character), this.names(character));
  }

  /** Corrects a fact's value; undefined when the character has no fact with that id. */
  async editFact(character: string, id: string, value: string): Promise<StoredFact | undefined> {
    if (!this.dbs.exists(character)) return undefined;
    return this.queue.run(character, () => this.dbs.get(character).editFact(id, value));
  }

  /** Forgets a fact; false when the character has no fact with that id. */
  async forgetFact(character: string, id: string): Promise<boolean> {
    if (!this.dbs.exists(character)) return false;
    return this.queue.run(character, () => this.dbs.get(character).forgetFact(id));
  }

  /** Edits one item everywhere: database, full-text index, and the recent window when the turn is there. */
  async editItem(character: string, id: string, text: string): Promise<'turn' | 'summary' | 'fact' | undefined> {
    return this.queue.run(character, () => {
      const kind = this.dbs.get(character).editItem(id, text);
      if (kind === 'turn') {
        const window = this.windows.read(character);
        if (window.some((m) => m.data.id === id)) {
          this.windows.write(character, window.map((m) => (m.data.id === id ? { ...m, data: { ...m.data, content: text } } : m)));
        }
        this.dense.schedule(character);
      }
      return kind;
    });
  }

  /** Forgets one item everywhere (also from the recent window, so the next prompt no longer sees it). */
  async forgetItem(character: string, id: string): Promise<'turn' | 'summary' | 'fact' | undefined> {
    return this.queue.run(character, () => {
      const kind = this.dbs.get(character).forgetItem(id);
      if (kind === 'turn') {
        const window = this.windows.read(character);
        if (window.some((m) => m.data.id === id)) this.windows.write(character, window.filter((m) => m.data.id !== id));
      }
      return kind;
    });
  }

  /** Facts, editable: set one (a newer value replaces an older one). */
  setFact(character: string, fact: { subject: string; key: string; value: string }) {
    return this.dbs.get(character).setFact({ ...fact, ts: Date.now(), source: 'api' });
  }

  facts(character: string) {
    return this.dbs.exists(character) ? this.dbs.get(character).facts() : [];
  }

  recentHistoryText(character: string): string {
    if (!this.isConfigured(character)) return NO_HISTORY_TEXT;
    return recentHistoryText(this.windows.read(character), this.names(character));
  }

  /**
   * The settings memory (memory.md §1.10): settings_<name>.json, then stored facts, then the character's and
   * the master's profile fields on top.
   */
  settings(character: string): Record<string, Record<string, unknown>> {
    const { master } = this.names(character);
    const file = readJsonFile(join(this.config.paths.memory, `settings_${character}.json`), SettingsFileSchema);
    if (file.status === 'corrupt') this.log.error({ character, ...file.problem }, 'settings file unreadable; moved aside');
    const raw = file.status === 'ok' ? file.value : {};
    const out: Record<string, Record<string, unknown>> = {
      [character]: isPlainObject(raw[character]) ? { ...raw[character] } : {},
      [master]: isPlainObject(raw[master]) ? { ...raw[master] } : {},
    };
    for (const fact of this.facts(character)) (out[fact.subject] ??= {})[fact.key] = fact.value;
    const doc = this.config.characters();
    const card = doc[CHARACTERS_KEY][character] ?? {};
    for (const [k, v] of Object.entries(card)) if (!ALL_RESERVED_FIELDS.includes(k) && k !== '_reserved' && k !== 'system_prompt') out[character]![k] = v;
    for (const [k, v] of Object.entries(doc[MASTER_KEY] ?? {})) out[master]![k] = v;
    return out;
  }

  settingsText(character: string): string {
    if (!this.isConfigured(character)) return `${character}记得{}`;
    return `${character}记得${JSON.stringify(this.settings(character))}`;
  }

  /** /new_dialog: cancels a running review first, so the session starts from a consistent window. */
  async newDialog(character: string): Promise<string> {
    if (!this.isConfigured(character)) return '';
    await this.maintenance.cancelReview(character);
    const window = this.windows.read(character);
    const inWindow = new Set(window.map((m) => m.data.id).filter(Boolean));
    let recalled: RecallItem[] = [];
    const lastExchange = window
      .filter((m) => !isWindowSummary(m) && m.type !== 'system')
      .slice(-2)
      .map(messageText)
      .join('\n');
    if (lastExchange && this.dbs.exists(character)) {
      try {
        recalled = (await this.recall(character, lastExchange, { k: NEW_DIALOG_RECALL + inWindow.size }))
          .filter((item) => !inWindow.has(item.id))
          .slice(0, NEW_DIALOG_RECALL);
      } catch (err) {
        this.log.warn({ character, err: (err as Error).message }, 'recall for the new dialog failed; prompt built without it');
      }
    }
    return newDialogText({ names: this.names(character), language: this.config.language, settings: this.settings(character), window, recalled });
  }

  async searchText(character: string, query: string): Promise<string> {
    const items = await this.recall(character, query, { k: 5 });
    return searchText(character, query, items, this.config.language);
  }

  cancelCorrection(character: string): Promise<'cancelled' | 'no_task'> {
    return this.maintenance.cancelReview(character);
  }

  /**
   * Moves every store of the character (window, database, settings, quarantined copies) after closing its
   * database, then rewrites the old name inside the moved window (the original's update_catgirl_name rewrite).
   * Runs in the queues of both names, so no /cache, edit or summary of either can interleave with the move.
   * When nothing is left under the old name (already moved), nothing changes: calling it twice is harmless.
   */
  async renameCharacter(oldRaw: string, newRaw: string): Promise<CharacterFilesOutcome> {
    const oldName = validName(oldRaw, 'old_name');
    const newName = validName(newRaw, 'new_name');
    return this.inQueues([oldName, newName], () => {
      this.release(oldName);
      this.release(newName);
      const outcome = renameCharacterFiles(this.config.paths.memory, oldName, newName);
      if (outcome.files.includes(windowFileName(newName))) {
        const { messages, changed } = renameInWindow(this.windows.read(newName), oldName, newName);
        if (changed) this.windows.write(newName, messages);
      }
      return outcome;
    });
  }

  /** Removes every store of the character, quarantined copies included, in the character's queue. */
  async deleteCharacter(raw: string): Promise<CharacterFilesOutcome> {
    const name = validName(raw, 'name');
    return this.inQueues([name], () => {
      this.release(name);
      return deleteCharacterFiles(this.config.paths.memory, name);
    });
  }

  /**
   * Runs `task` once it holds the queue of every name. Queues are taken in sorted order, so two renames in
   * opposite directions cannot wait for each other forever.
   */
  private inQueues<T>(names: readonly string[], task: () => T): Promise<T> {
    const sorted = [...new Set(names)].sort();
    const take = (i: number): Promise<T> => (i === sorted.length ? Promise.resolve().then(task) : this.queue.run(sorted[i]!, () => take(i + 1)));
    return take(0);
  }

  /** Stops background work for the character and closes its database so its files can move. */
  private release(name: string): void {
    this.maintenance.forget(name);
    this.dense.forget(name);
    this.dbs.close(name);
  }

  /** Shutdown: background results still being computed are dropped (their inputs are all stored already). */
  close(): void {
    this.maintenance.stopAll();
    this.dense.close();
    this.dbs.shutdown();
  }
}
