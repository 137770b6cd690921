import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { quarantineFile } from '../../shared/config/json-file.js';
import { SQLITE_SIDECARS } from '../character-files.js';
import { MemoryDb } from './memory-db.js';

/** SQLite's answers for a file that is not a database or is damaged beyond use. */
const UNUSABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export interface QuarantinedDatabase {
  character: string;
  file: string;
  quarantinedAs: string;
  error: string;
}

/** File name of a character's database in the memory folder (character-files.ts moves and removes it). */
export function databaseFileName(character: string): string {
  return `${character}.sqlite`;
}

/**
 * Open databases, one per character, opened on first use and kept open (prepared statements are per handle).
 * Rename and delete close a handle first so the files can move; the next use reopens under the new name.
 */
export class MemoryDbs {
  private readonly open = new Map<string, MemoryDb>();
  private stopped = false;

  constructor(
    private readonly folder: () => string,
    /** Told when a damaged database was moved aside and a new one started. */
    private readonly onQuarantine: (problem: QuarantinedDatabase) => void = () => undefined,
  ) {}

  get(character: string): MemoryDb {
    let db = this.open.get(character);
    if (!db) {
      if (this.stopped) throw new Error('memory databases are closed (service stopping)');
      mkdirSync(this.folder(), { recursive: true });
      db = this.openOrQuarantine(character, join(this.folder(), databaseFileName(character)));
      this.open.set(character, db);
    }
    return db;
  }

  /** A damaged file is moved aside with its side files (kept for recovery, never overwritten), then a new one starts. */
  private openOrQuarantine(character: string, file: string): MemoryDb {
    try {
      return new MemoryDb(file);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !UNUSABLE.has(code)) throw err;
      const quarantinedAs = quarantineFile(file);
      for (const side of SQLITE_SIDECARS) if (existsSync(file + side)) quarantineFile(file + side);
      this.onQuarantine({ character, file, quarantinedAs, error: (err as Error).message });
      return new MemoryDb(file);
    }
  }

  /** Whether the character has a database (without creating one). */
  exists(character: string): boolean {
    return this.open.has(character) || existsSync(join(this.folder(), databaseFileName(character)));
  }

  close(character: string): void {
    this.open.get(character)?.close();
    this.open.delete(character);
  }

  /** Closes every database and refuses to open more (service shutdown). */
  shutdown(): void {
    this.stopped = true;
    for (const name of [...this.open.keys()]) this.close(name);
  }
}
