import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { indexText } from '../search/text-terms.js';
import { migrate } from './schema.js';

export type TurnRole = 'user' | 'assistant' | 'system';
/** Which route brought a turn in (kept for diagnosis: the original lost everything that came by /cache). */
export type TurnSource = 'cache' | 'process' | 'renew' | 'ingest';

export interface NewTurn {
  id: string;
  role: TurnRole;
  speaker: string;
  text: string;
  /** Epoch milliseconds. */
  ts: number;
  /** Explicit conversation session; when absent the turn joins the open session (see SESSION_GAP_MS). */
  sessionId?: string;
}

export interface StoredTurn {
  seq: number;
  id: string;
  role: TurnRole;
  speaker: string;
  text: string;
  ts: number;
  sessionId: string;
  source: TurnSource;
}

export interface StoredSummary {
  seq: number;
  id: string;
  sessionId: string | null;
  text: string;
  ts: number;
  fromTs: number;
  toTs: number;
}

export interface StoredFact {
  seq: number;
  id: string;
  subject: string;
  key: string;
  value: string;
  ts: number;
  source: string;
}

export interface TimeRange {
  from?: number;
  to?: number;
}

export interface FtsHit {
  seq: number;
  /** FTS5 bm25(): lower is better (negative numbers). */
  bm25: number;
}

/**
 * Turns more than 30 minutes apart belong to different conversations: the usual "session" cut for chat logs,
 * used when the caller gives no session (main's /cache calls carry none).
 */
export const SESSION_GAP_MS = 30 * 60 * 1000;

const TURN_COLUMNS = 'seq, id, role, speaker, text, ts, session_id AS sessionId, source';
const SUMMARY_COLUMNS = 'seq, id, session_id AS sessionId, text, ts, from_ts AS fromTs, to_ts AS toTs';
const FACT_COLUMNS = 'seq, id, subject, key, value, ts, source';

interface OpenSession {
  id: string;
  lastTs: number;
}

/** Spellings the porter stemmer may have stored for an English word (cats → cat, happy → happi, running → run). */
function stemSpellings(term: string): string[] {
  if (!/^[a-z]+$/.test(term)) return [term];
  const out = new Set([term]);
  for (const [suffix, replacement] of [['ies', 'i'], ['es', ''], ['s', ''], ['ing', ''], ['ed', ''], ['ly', ''], ['y', 'i'], ['e', '']] as const) {
    if (term.endsWith(suffix) && term.length - suffix.length >= 2) out.add(term.slice(0, term.length - suffix.length) + replacement);
  }
  for (const base of [...out]) if (/(.)\1$/.test(base)) out.add(base.slice(0, -1));
  return [...out];
}

/**
 * Case- and width-insensitive form of a text for substring search in the history browser (NFKC folds full-width
 * letters, lower-casing covers every script, not just ASCII as SQLite's own lower() does).
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Finite bounds for SQL BETWEEN; an absent bound means "any". */
function bounds(range: TimeRange = {}): [number, number] {
  return [range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER];
}

/** Every statement is prepared once per database (better-sqlite3 style). */
function prepareStatements(db: Database.Database) {
  // A per-connection view of the index's vocabulary: how many turns contain a term, in microseconds.
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.turns_vocab USING fts5vocab(main, 'turns_fts', 'row')");
  db.function('neko_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : text));
  return {
    termDocs: db.prepare<[string], { doc: number }>('SELECT doc FROM temp.turns_vocab WHERE term = ?'),
    insertTurn: db.prepare<[string, string, string, string, number, string, string]>(
      'INSERT INTO turns (id, role, speaker, text, ts, session_id, source) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    indexTurn: db.prepare<[number | bigint, string]>('INSERT INTO turns_fts (rowid, terms) VALUES (?, ?)'),
    unindexTurn: db.prepare<[number]>('DELETE FROM turns_fts WHERE rowid = ?'),
    isForgotten: db.prepare<[string], { id: string }>('SELECT id FROM forgotten WHERE id = ?'),
    forget: db.prepare<[string]>('INSERT OR IGNORE INTO forgotten (id) VALUES (?)'),
    turnById: db.prepare<[string], StoredTurn>(`SELECT ${TURN_COLUMNS} FROM turns WHERE id = ?`),
    turnBySeq: db.prepare<[number], StoredTurn>(`SELECT ${TURN_COLUMNS} FROM turns WHERE seq = ?`),
    updateTurn: db.prepare<[string, string, number, number]>('UPDATE turns SET text = ?, speaker = ?, ts = ? WHERE seq = ?'),
    deleteTurn: db.prepare<[number]>('DELETE FROM turns WHERE seq = ?'),
    deleteVector: db.prepare<[number]>('DELETE FROM turn_vectors WHERE seq = ?'),
    // Row-value comparisons, so SQLite seeks the (session_id, ts, seq) index instead of scanning the session.
    previousInSession: db.prepare<[string, number, number, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? AND (ts, seq) < (?, ?) ORDER BY ts DESC, seq DESC LIMIT ?`,
    ),
    nextInSession: db.prepare<[string, number, number, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? AND (ts, seq) > (?, ?) ORDER BY ts, seq LIMIT ?`,
    ),
    turnsBySeqList: db.prepare<[string], StoredTurn>(`SELECT ${TURN_COLUMNS} FROM turns WHERE seq IN (SELECT value FROM json_each(?))`),
    sessionTurns: db.prepare<[string], StoredTurn>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY ts, seq`),
    historyPage: db.prepare<[number, number, number, number, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns WHERE ts BETWEEN ? AND ? AND (ts, seq) < (?, ?) ORDER BY ts DESC, seq DESC LIMIT ?`,
    ),
    // Every word of the search (a JSON array, already folded) must occur in the turn's text or speaker.
    historySearchPage: db.prepare<[number, number, number, number, string, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns t WHERE ts BETWEEN ? AND ? AND (ts, seq) < (?, ?)
       AND NOT EXISTS (SELECT 1 FROM json_each(?) w WHERE instr(neko_fold(t.text || ' ' || t.speaker), w.value) = 0)
       ORDER BY ts DESC, seq DESC LIMIT ?`,
    ),
    turnsInRange: db.prepare<[number, number, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns WHERE ts BETWEEN ? AND ? ORDER BY ts DESC, seq DESC LIMIT ?`,
    ),
    ftsTurns: db.prepare<[string, number], FtsHit>(
      'SELECT rowid AS seq, bm25(turns_fts) AS bm25 FROM turns_fts WHERE turns_fts MATCH ? ORDER BY rank LIMIT ?',
    ),
    ftsTurnsInRange: db.prepare<[string, number, number, number], FtsHit>(
      `SELECT f.rowid AS seq, bm25(turns_fts) AS bm25 FROM turns_fts f JOIN turns t ON t.seq = f.rowid
       WHERE turns_fts MATCH ? AND t.ts BETWEEN ? AND ? ORDER BY rank LIMIT ?`,
    ),
    countTurns: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM turns'),
    lastSeq: db.prepare<[], { n: number | null }>('SELECT MAX(seq) AS n FROM turns'),
    // FTS5 reads rowid order straight from the index: newest matches without scoring every match.
    ftsTurnsNewest: db.prepare<[string, number], FtsHit>(
      'SELECT rowid AS seq, bm25(turns_fts) AS bm25 FROM turns_fts WHERE turns_fts MATCH ? ORDER BY rowid DESC LIMIT ?',
    ),
    ftsTurnsNewestInRange: db.prepare<[string, number, number, number], FtsHit>(
      `SELECT f.rowid AS seq, bm25(turns_fts) AS bm25 FROM turns_fts f JOIN turns t ON t.seq = f.rowid
       WHERE turns_fts MATCH ? AND t.ts BETWEEN ? AND ? ORDER BY f.rowid DESC LIMIT ?`,
    ),
    insertSummary: db.prepare<[string, string | null, string, number, number, number]>(
      'INSERT INTO summaries (id, session_id, text, ts, from_ts, to_ts) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    indexSummary: db.prepare<[number | bigint, string]>('INSERT INTO summaries_fts (rowid, terms) VALUES (?, ?)'),
    unindexSummary: db.prepare<[number]>('DELETE FROM summaries_fts WHERE rowid = ?'),
    summaryById: db.prepare<[string], StoredSummary>(`SELECT ${SUMMARY_COLUMNS} FROM summaries WHERE id = ?`),
    summaryBySeq: db.prepare<[number], StoredSummary>(`SELECT ${SUMMARY_COLUMNS} FROM summaries WHERE seq = ?`),
    summaryOfSession: db.prepare<[string], StoredSummary>(`SELECT ${SUMMARY_COLUMNS} FROM summaries WHERE session_id = ?`),
    updateSummary: db.prepare<[string, number]>('UPDATE summaries SET text = ? WHERE seq = ?'),
    deleteSummary: db.prepare<[number]>('DELETE FROM summaries WHERE seq = ?'),
    ftsSummariesInRange: db.prepare<[string, number, number, number], FtsHit>(
      `SELECT f.rowid AS seq, bm25(summaries_fts) AS bm25 FROM summaries_fts f JOIN summaries s ON s.seq = f.rowid
       WHERE summaries_fts MATCH ? AND s.to_ts >= ? AND s.from_ts <= ? ORDER BY rank LIMIT ?`,
    ),
    upsertFact: db.prepare<[string, string, string, string, number, string]>(
      `INSERT INTO facts (id, subject, key, value, ts, source) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject, key) DO UPDATE SET value = excluded.value, ts = excluded.ts, source = excluded.source
       WHERE excluded.ts >= facts.ts`,
    ),
    factByKey: db.prepare<[string, string], StoredFact>(`SELECT ${FACT_COLUMNS} FROM facts WHERE subject = ? AND key = ?`),
    factById: db.prepare<[string], StoredFact>(`SELECT ${FACT_COLUMNS} FROM facts WHERE id = ?`),
    factBySeq: db.prepare<[number], StoredFact>(`SELECT ${FACT_COLUMNS} FROM facts WHERE seq = ?`),
    allFacts: db.prepare<[], StoredFact>(`SELECT ${FACT_COLUMNS} FROM facts ORDER BY subject, key`),
    updateFact: db.prepare<[string, number, number]>('UPDATE facts SET value = ?, ts = ? WHERE seq = ?'),
    deleteFact: db.prepare<[number]>('DELETE FROM facts WHERE seq = ?'),
    indexFact: db.prepare<[number | bigint, string]>('INSERT INTO facts_fts (rowid, terms) VALUES (?, ?)'),
    unindexFact: db.prepare<[number]>('DELETE FROM facts_fts WHERE rowid = ?'),
    ftsFacts: db.prepare<[string, number], FtsHit>('SELECT rowid AS seq, bm25(facts_fts) AS bm25 FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rank LIMIT ?'),
    getState: db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?'),
    setState: db.prepare<[string, string]>('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    clearState: db.prepare<[string]>('DELETE FROM state WHERE key = ?'),
    upsertVector: db.prepare<[number, string, Buffer]>(
      'INSERT INTO turn_vectors (seq, model, vector) VALUES (?, ?, ?) ON CONFLICT (seq) DO UPDATE SET model = excluded.model, vector = excluded.vector',
    ),
    unvectorised: db.prepare<[string, number], StoredTurn>(
      `SELECT ${TURN_COLUMNS} FROM turns t WHERE NOT EXISTS (SELECT 1 FROM turn_vectors v WHERE v.seq = t.seq AND v.model = ?) ORDER BY seq LIMIT ?`,
    ),
    allVectors: db.prepare<[string], { seq: number; vector: Buffer }>('SELECT seq, vector FROM turn_vectors WHERE model = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * One character's durable memory: a SQLite database in WAL mode with every turn exactly once (keyed by turn id),
 * session summaries, facts, and full-text indexes over all three. Plain synchronous code: each public method is
 * one transaction, so a caller that got an answer knows the data is on disk (synchronous = FULL).
 */
export class MemoryDb {
  readonly db: Database.Database;
  private readonly s: Statements;

  constructor(readonly file: string) {
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is fsynced before it returns, so "stored" in an answer survives a power cut or kill -9.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.s = prepareStatements(this.db);
  }

  /**
   * Stores turns that are not stored yet (by id) and returns the ones that were new, in input order.
   * Turns without a session join the open session unless SESSION_GAP_MS passed; `closeSession` ends it
   * afterwards (/process and /renew mark the end of a conversation).
   */
  insertTurns(turns: readonly NewTurn[], source: TurnSource, closeSession = false): StoredTurn[] {
    return this.db.transaction(() => {
      const added: StoredTurn[] = [];
      let open = this.openSession();
      for (const turn of turns) {
        if (this.s.isForgotten.get(turn.id)) continue;
        let sessionId = turn.sessionId;
        if (!sessionId) {
          if (!open || Math.abs(turn.ts - open.lastTs) > SESSION_GAP_MS) open = { id: randomUUID(), lastTs: turn.ts };
          sessionId = open.id;
          open.lastTs = Math.max(open.lastTs, turn.ts);
        }
        const info = this.s.insertTurn.run(turn.id, turn.role, turn.speaker, turn.text, turn.ts, sessionId, source);
        if (info.changes === 0) continue;
        this.s.indexTurn.run(info.lastInsertRowid, indexText(`${turn.speaker} ${turn.text}`));
        added.push({ seq: Number(info.lastInsertRowid), id: turn.id, role: turn.role, speaker: turn.speaker, text: turn.text, ts: turn.ts, sessionId, source });
      }
      if (closeSession) this.s.clearState.run('open_session');
      else if (open) this.s.setState.run('open_session', JSON.stringify(open));
      return added;
    })();
  }

  private openSession(): OpenSession | undefined {
    const row = this.s.getState.get('open_session');
    return row ? (JSON.parse(row.value) as OpenSession) : undefined;
  }

  /** The conversation session that turns without a session currently join, if any. */
  openSessionId(): string | undefined {
    return this.openSession()?.id;
  }

  /** Ends the open session without storing anything (a /process with no new turns). */
  closeSession(): void {
    this.s.clearState.run('open_session');
  }

  turn(id: string): StoredTurn | undefined {
    return this.s.turnById.get(id);
  }

  turnBySeq(seq: number): StoredTurn | undefined {
    return this.s.turnBySeq.get(seq);
  }

  /**
   * Many turns by seq in one read, added to `into` (a caller's per-query cache; seqs already in it are not read
   * again). Unknown seqs are left out.
   */
  turnsBySeq(seqs: Iterable<number>, into = new Map<number, StoredTurn>()): Map<number, StoredTurn> {
    const wanted = [...seqs].filter((seq) => !into.has(seq));
    if (wanted.length > 0) for (const row of this.s.turnsBySeqList.all(JSON.stringify(wanted))) into.set(row.seq, row);
    return into;
  }

  turnCount(): number {
    return this.s.countTurns.get()!.n;
  }

  /** An upper bound of the number of turns, without counting (forgotten turns still count). */
  turnCountBound(): number {
    return this.s.lastSeq.get()?.n ?? 0;
  }

  /**
   * How many turns contain `term` (as the index stores it: English is porter-stemmed, so a few stem spellings
   * are tried and the largest count wins).
   */
  documentFrequency(term: string): number {
    let docs = 0;
    for (const spelling of stemSpellings(term)) docs = Math.max(docs, this.s.termDocs.get(spelling)?.doc ?? 0);
    return docs;
  }

  /** The newest turns matching, unscored by relevance (for questions made only of very common words). */
  newestMatches(match: string, limit: number, range?: TimeRange): FtsHit[] {
    if (!range || (range.from === undefined && range.to === undefined)) return this.s.ftsTurnsNewest.all(match, limit);
    const [from, to] = bounds(range);
    return this.s.ftsTurnsNewestInRange.all(match, from, to, limit);
  }

  /** Up to `count` turns before and after `turn` in its session, in time order. */
  neighbours(turn: StoredTurn, count = 1): { before: StoredTurn[]; after: StoredTurn[] } {
    return this.neighboursOf([turn], count).get(turn.seq)!;
  }

  /**
   * `neighbours` for many turns at once. Turns of a conversation are nearly always stored one after another, so
   * one read of the rowids around all of them answers most; a side that comes up short asks the session index.
   */
  neighboursOf(turns: readonly StoredTurn[], count = 1, known?: Map<number, StoredTurn>): Map<number, { before: StoredTurn[]; after: StoredTurn[] }> {
    const reach = count + 2;
    const wanted = new Set<number>();
    for (const t of turns) for (let seq = t.seq - reach; seq <= t.seq + reach; seq++) if (seq !== t.seq) wanted.add(seq);
    // Rows read for an earlier step of the same query are not read again (`known` is the caller's cache).
    const rows = this.turnsBySeq(wanted, known);
    const order = (a: StoredTurn, b: StoredTurn) => a.ts - b.ts || a.seq - b.seq;
    const out = new Map<number, { before: StoredTurn[]; after: StoredTurn[] }>();
    for (const turn of turns) {
      const nearby: StoredTurn[] = [];
      for (let seq = turn.seq - reach; seq <= turn.seq + reach; seq++) {
        const row = rows.get(seq);
        if (row && seq !== turn.seq && row.sessionId === turn.sessionId) nearby.push(row);
      }
      const earlier = (t: StoredTurn) => t.ts < turn.ts || (t.ts === turn.ts && t.seq < turn.seq);
      let before = nearby.filter(earlier).sort(order).slice(-count);
      let after = nearby.filter((t) => !earlier(t)).sort(order).slice(0, count);
      if (before.length < count) before = this.s.previousInSession.all(turn.sessionId, turn.ts, turn.seq, count).reverse();
      if (after.length < count) after = this.s.nextInSession.all(turn.sessionId, turn.ts, turn.seq, count);
      out.set(turn.seq, { before, after });
    }
    return out;
  }

  sessionTurns(sessionId: string): StoredTurn[] {
    return this.s.sessionTurns.all(sessionId);
  }

  /**
   * A page of history in time order: the latest `limit` turns within the range, older than `beforeId` when given,
   * and, when `words` are given, containing every one of them (case-insensitive substring, any script).
   * Returns undefined when `beforeId` is not a stored turn.
   */
  history(range: TimeRange, limit: number, beforeId?: string, words: readonly string[] = []): StoredTurn[] | undefined {
    const [from, to] = bounds(range);
    let cursor: [number, number] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (beforeId !== undefined) {
      const anchor = this.turn(beforeId);
      if (!anchor) return undefined;
      cursor = [anchor.ts, anchor.seq];
    }
    const folded = words.map(foldForSearch).filter(Boolean);
    const page = folded.length > 0
      ? this.s.historySearchPage.all(from, to, ...cursor, JSON.stringify(folded), limit)
      : this.s.historyPage.all(from, to, ...cursor, limit);
    return page.reverse();
  }

  /** Newest turns within a range (time-only questions such as "what did we talk about yesterday"). */
  turnsInRange(range: TimeRange, limit: number): StoredTurn[] {
    const [from, to] = bounds(range);
    return this.s.turnsInRange.all(from, to, limit);
  }

  searchTurns(match: string, limit: number, range?: TimeRange): FtsHit[] {
    if (!range || (range.from === undefined && range.to === undefined)) return this.s.ftsTurns.all(match, limit);
    const [from, to] = bounds(range);
    return this.s.ftsTurnsInRange.all(match, from, to, limit);
  }

  /** Replaces a turn's text (and optionally speaker/time) everywhere it is indexed. */
  editTurn(id: string, change: { text?: string; speaker?: string; ts?: number }): StoredTurn | undefined {
    return this.db.transaction(() => {
      const turn = this.turn(id);
      if (!turn) return undefined;
      const next = { ...turn, text: change.text ?? turn.text, speaker: change.speaker ?? turn.speaker, ts: change.ts ?? turn.ts };
      this.s.updateTurn.run(next.text, next.speaker, next.ts, turn.seq);
      this.s.unindexTurn.run(turn.seq);
      this.s.indexTurn.run(turn.seq, indexText(`${next.speaker} ${next.text}`));
      // The old vector describes the old text; the embedder fills a new one later.
      this.s.deleteVector.run(turn.seq);
      return next;
    })();
  }

  addSummary(summary: { sessionId: string | null; text: string; ts: number; fromTs: number; toTs: number }): StoredSummary {
    return this.db.transaction(() => {
      const id = `summary-${randomUUID()}`;
      const info = this.s.insertSummary.run(id, summary.sessionId, summary.text, summary.ts, summary.fromTs, summary.toTs);
      this.s.indexSummary.run(info.lastInsertRowid, indexText(summary.text));
      return { seq: Number(info.lastInsertRowid), id, ...summary };
    })();
  }

  summary(id: string): StoredSummary | undefined {
    return this.s.summaryById.get(id);
  }

  summaryBySeq(seq: number): StoredSummary | undefined {
    return this.s.summaryBySeq.get(seq);
  }

  sessionSummary(sessionId: string): StoredSummary | undefined {
    return this.s.summaryOfSession.get(sessionId);
  }

  searchSummaries(match: string, limit: number, range?: TimeRange): FtsHit[] {
    const [from, to] = bounds(range);
    return this.s.ftsSummariesInRange.all(match, from, to, limit);
  }

  /** Sets a fact; an older observation never overwrites a newer one (contradictions resolve by recency). */
  setFact(fact: { subject: string; key: string; value: string; ts: number; source: string }): StoredFact {
    return this.db.transaction(() => {
      const before = this.s.factByKey.get(fact.subject, fact.key);
      this.s.upsertFact.run(`fact-${randomUUID()}`, fact.subject, fact.key, fact.value, fact.ts, fact.source);
      const after = this.s.factByKey.get(fact.subject, fact.key)!;
      if (!before || before.value !== after.value) {
        if (before) this.s.unindexFact.run(before.seq);
        this.s.indexFact.run(after.seq, indexText(`${after.subject} ${after.key} ${after.value}`));
      }
      return after;
    })();
  }

  facts(): StoredFact[] {
    return this.s.allFacts.all();
  }

  fact(id: string): StoredFact | undefined {
    return this.s.factById.get(id);
  }

  factBySeq(seq: number): StoredFact | undefined {
    return this.s.factBySeq.get(seq);
  }

  /** Replaces a fact's value (the user's correction, dated now so an older extraction never undoes it). */
  editFact(id: string, value: string, ts = Date.now()): StoredFact | undefined {
    return this.db.transaction(() => {
      const fact = this.fact(id);
      if (!fact) return undefined;
      this.s.updateFact.run(value, ts, fact.seq);
      this.s.unindexFact.run(fact.seq);
      this.s.indexFact.run(fact.seq, indexText(`${fact.subject} ${fact.key} ${value}`));
      return { ...fact, value, ts };
    })();
  }

  /** Removes a fact (and its index entry); false when no fact has that id. */
  forgetFact(id: string): boolean {
    return this.db.transaction(() => {
      const fact = this.fact(id);
      if (!fact) return false;
      this.s.unindexFact.run(fact.seq);
      this.s.deleteFact.run(fact.seq);
      return true;
    })();
  }

  searchFacts(match: string, limit: number): FtsHit[] {
    return this.s.ftsFacts.all(match, limit);
  }

  /** Edits the text of any item (turn, summary, fact value). Returns the kind edited, or undefined if unknown. */
  editItem(id: string, text: string): 'turn' | 'summary' | 'fact' | undefined {
    return this.db.transaction(() => {
      if (this.editTurn(id, { text })) return 'turn' as const;
      const summary = this.summary(id);
      if (summary) {
        this.s.updateSummary.run(text, summary.seq);
        this.s.unindexSummary.run(summary.seq);
        this.s.indexSummary.run(summary.seq, indexText(text));
        return 'summary' as const;
      }
      const fact = this.fact(id);
      if (fact) {
        this.s.updateFact.run(text, Date.now(), fact.seq);
        this.s.unindexFact.run(fact.seq);
        this.s.indexFact.run(fact.seq, indexText(`${fact.subject} ${fact.key} ${text}`));
        return 'fact' as const;
      }
      return undefined;
    })();
  }

  /** Removes an item from the table, the full-text index and the vectors; remembers the id so retries stay gone. */
  forgetItem(id: string): 'turn' | 'summary' | 'fact' | undefined {
    return this.db.transaction(() => {
      const turn = this.turn(id);
      if (turn) {
        this.s.unindexTurn.run(turn.seq);
        this.s.deleteVector.run(turn.seq);
        this.s.deleteTurn.run(turn.seq);
        this.s.forget.run(id);
        return 'turn' as const;
      }
      const summary = this.summary(id);
      if (summary) {
        this.s.unindexSummary.run(summary.seq);
        this.s.deleteSummary.run(summary.seq);
        return 'summary' as const;
      }
      const fact = this.fact(id);
      if (fact) {
        this.s.unindexFact.run(fact.seq);
        this.s.deleteFact.run(fact.seq);
        return 'fact' as const;
      }
      return undefined;
    })();
  }

  /** Turns that have no vector from `model` yet, oldest first. */
  turnsWithoutVector(model: string, limit: number): StoredTurn[] {
    return this.s.unvectorised.all(model, limit);
  }

  saveVectors(model: string, rows: ReadonlyArray<{ seq: number; vector: Float32Array }>): void {
    this.db.transaction(() => {
      for (const row of rows) {
        // The turn may have been forgotten while its embedding was computed.
        if (!this.turnBySeq(row.seq)) continue;
        this.s.upsertVector.run(row.seq, model, Buffer.from(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength));
      }
    })();
  }

  vectors(model: string): Array<{ seq: number; vector: Buffer }> {
    return this.s.allVectors.all(model);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
