import type Database from 'better-sqlite3';

/**
 * Versioned schema of a character's memory database. `PRAGMA user_version` records how many migrations ran;
 * each migration runs in its own transaction, so a crash leaves the database at a whole version.
 * Add new steps at the end; never edit a released one.
 */
const MIGRATIONS: readonly string[] = [
  // 1: turns, summaries, facts, their full-text indexes, tombstones, and small key/value state.
  `
  CREATE TABLE turns (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    speaker TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    source TEXT NOT NULL
  );
  CREATE INDEX turns_by_time ON turns (ts, seq);
  CREATE INDEX turns_by_session ON turns (session_id, ts, seq);

  CREATE TABLE summaries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    session_id TEXT,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    from_ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL
  );
  CREATE INDEX summaries_by_time ON summaries (ts);

  CREATE TABLE facts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    ts INTEGER NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (subject, key)
  );

  -- Contentless indexes (the text lives in the tables above); contentless_delete lets an edit or a
  -- forget remove a row from the index.
  CREATE VIRTUAL TABLE turns_fts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE summaries_fts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE facts_fts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');

  -- Ids the user made memory forget: a late retry of the same turn must not bring it back.
  CREATE TABLE forgotten (id TEXT PRIMARY KEY) WITHOUT ROWID;

  CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 2: dense vectors of turns (filled only when an embedding endpoint is configured).
  `
  CREATE TABLE turn_vectors (seq INTEGER PRIMARY KEY, model TEXT NOT NULL, vector BLOB NOT NULL);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {}

/** Brings `db` to SCHEMA_VERSION; refuses a database written by a newer neko rather than guessing. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new SchemaTooNewError(`memory database has schema version ${current}, this neko knows up to ${SCHEMA_VERSION}`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
