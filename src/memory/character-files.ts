import { closeSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmSync, type Stats } from 'node:fs';
import { resolve, sep } from 'node:path';
import { NameError, validateCharacterName } from '../shared/config/names.js';

/**
 * One character's memory artefacts in the memory folder, and moving or removing them together.
 * The original renamed only recent_<name>.json and orphaned the rest (memory.md §1.13); here every artefact
 * moves, or none does.
 *
 * All file operations are synchronous on purpose: a rename or delete runs to completion before this process
 * handles another request, so no request can observe (or write into) a half-moved character.
 */

/** SQLite keeps these beside a database while it is open or after a crash; they belong to the database. */
export const SQLITE_SIDECARS = ['-wal', '-shm', '-journal'] as const;

export interface ArtefactName {
  entry: string;
  /** A SQLite side file (`-wal`, `-shm`, `-journal`) of one of the databases. */
  sidecar: boolean;
}

function database(file: string): ArtefactName[] {
  return [{ entry: file, sidecar: false }, ...SQLITE_SIDECARS.map((s) => ({ entry: `${file}${s}`, sidecar: true }))];
}

/** Every file or folder name that can hold memory of `name`, always in the same order (rename pairs them up). */
export function characterArtefactNames(name: string): ArtefactName[] {
  return [
    { entry: `recent_${name}.json`, sidecar: false },
    { entry: `settings_${name}.json`, sidecar: false },
    // The original's time-indexed SQLite database (no extension).
    ...database(`time_indexed_${name}`),
    // Planned Chroma folder in the original; never written there, but moved/removed if present.
    { entry: `semantic_memory_${name}`, sidecar: false },
    // neko's own per-character database.
    ...database(`${name}.sqlite`),
  ];
}

/**
 * The artefacts that neko moves aside as `<entry>.corrupt-<timestamp>` when they are unreadable (the recent
 * window, the settings file, neko's database and its side files; see quarantineFile in shared/config/json-file).
 * Those copies are the character's data too: they follow a rename and go with a delete.
 */
function quarantinable(name: string): Set<string> {
  return new Set([`recent_${name}.json`, `settings_${name}.json`, `${name}.sqlite`, ...SQLITE_SIDECARS.map((s) => `${name}.sqlite${s}`)]);
}

/** The suffix quarantineFile appends: `.corrupt-` + the ISO time with `:` and `.` as `-`, and `-<n>` on a clash. */
const QUARANTINE_SUFFIX = /\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(?:-\d+)?$/;

/** Every SQLite main database starts with this; WAL, SHM and journal files never do. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * `time_indexed_a-wal` is a side file of character "a" *or* the database of a character named "a-wal".
 * A file that starts like a main database is the latter, and must not be moved or deleted with "a".
 */
function isSqliteDatabase(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class CharacterFilesError extends Error {
  constructor(readonly status: 400 | 409 | 500, message: string) {
    super(message);
  }
}

export interface CharacterFilesOutcome {
  /** Names (in the memory folder) of the artefacts after the operation: new names on rename, removed ones on delete. */
  files: string[];
}

/** A character name, validated like everywhere else (400 CharacterFilesError otherwise). */
export function validName(raw: unknown, field: string): string {
  try {
    return validateCharacterName(raw, field);
  } catch (err) {
    if (err instanceof NameError) throw new CharacterFilesError(400, err.message);
    throw err;
  }
}

/** Path of `entry` inside `folder`, refusing anything that would land outside it. */
function inside(folder: string, entry: string): string {
  const root = resolve(folder);
  const path = resolve(root, entry);
  if (!path.startsWith(root + sep) || entry.includes('/') || entry.includes('\\')) {
    throw new CharacterFilesError(400, `refusing a path outside the memory folder: ${entry}`);
  }
  return path;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

interface FoundArtefact {
  /** Position in characterArtefactNames: the same position of another name is this artefact's counterpart. */
  index: number;
  entry: string;
  path: string;
  stat: Stats;
  /** '' for the artefact itself, `.corrupt-<timestamp>` for a quarantined copy of it. */
  suffix: string;
}

/**
 * The artefacts of `name` that exist, with their paths, followed by the quarantined copies of them (sorted by
 * name). Symlinks are listed as themselves, never followed.
 */
function existingArtefacts(folder: string, name: string): FoundArtefact[] {
  const found: FoundArtefact[] = [];
  const names = characterArtefactNames(name);
  for (const [index, { entry, sidecar }] of names.entries()) {
    const path = inside(folder, entry);
    const stat = lstatOrUndefined(path);
    if (!stat) continue;
    if (sidecar && stat.isFile() && isSqliteDatabase(path)) continue;
    found.push({ index, entry, path, stat, suffix: '' });
  }
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw err;
  }
  const bases = quarantinable(name);
  for (const entry of entries) {
    const suffix = QUARANTINE_SUFFIX.exec(entry)?.[0];
    if (!suffix) continue;
    const base = entry.slice(0, -suffix.length);
    if (!bases.has(base)) continue;
    const path = inside(folder, entry);
    const stat = lstatOrUndefined(path);
    if (stat) found.push({ index: names.findIndex((n) => n.entry === base), entry, path, stat, suffix });
  }
  return found;
}

/**
 * Moves every artefact of `oldName` (and its quarantined copies) to the same artefact name of `newName`. Refuses
 * (409, nothing moved) when any artefact of `newName` exists and there is something to move; if a move fails
 * midway, the ones already moved are moved back.
 */
export function renameCharacterFiles(
  folder: string,
  oldRaw: unknown,
  newRaw: unknown,
  /** The move primitive; replaceable so tests can make a move fail midway. */
  move: (from: string, to: string) => void = renameSync,
): CharacterFilesOutcome {
  const oldName = validName(oldRaw, 'old_name');
  const newName = validName(newRaw, 'new_name');
  if (oldName === newName) throw new CharacterFilesError(400, `new_name is the same as the current name "${oldName}"`);

  // Artefact lists have the same shape for every name, so the i-th old artefact becomes the i-th new one.
  const targets = characterArtefactNames(newName);
  const sources = existingArtefacts(folder, oldName);
  // Nothing left under the old name: already renamed (the original page's second call after neko's character
  // rename), or never had memory. Nothing to move, so nothing to refuse either.
  if (sources.length === 0) return { files: [] };
  const plan = sources.map((s) => {
    const targetEntry = `${targets[s.index]!.entry}${s.suffix}`;
    return { ...s, targetEntry, target: inside(folder, targetEntry) };
  });

  // Any memory already under the new name blocks the rename: merging two characters' memories is not a rename.
  // A case-only rename on a case-insensitive file system sees its own source as "existing": that is allowed.
  // Quarantined copies already under the new name do not block (they are not live memory) unless a planned
  // target has exactly their name, which the check below catches.
  const sourceIds = new Set(sources.map((s) => `${s.stat.dev}:${s.stat.ino}`));
  const conflicts = existingArtefacts(folder, newName).filter((t) => t.suffix === '' && !sourceIds.has(`${t.stat.dev}:${t.stat.ino}`));
  // renameSync replaces files silently, so also refuse a planned target that exists in any form (for example
  // time_indexed_b-wal being the database of a character named "b-wal" rather than a side file of "b").
  for (const step of plan) {
    const existing = lstatOrUndefined(step.target);
    if (existing && !sourceIds.has(`${existing.dev}:${existing.ino}`) && !conflicts.some((c) => c.entry === step.targetEntry)) {
      conflicts.push({ index: step.index, entry: step.targetEntry, path: step.target, stat: existing, suffix: step.suffix });
    }
  }
  if (conflicts.length > 0) {
    throw new CharacterFilesError(409, `memory for "${newName}" already exists (${conflicts.map((c) => c.entry).join(', ')}); nothing was renamed`);
  }

  const moved: typeof plan = [];
  try {
    for (const step of plan) {
      move(step.path, step.target);
      moved.push(step);
    }
  } catch (err) {
    const stuck: string[] = [];
    for (const step of moved.reverse()) {
      try {
        move(step.target, step.path);
      } catch {
        stuck.push(step.targetEntry);
      }
    }
    const rollback = stuck.length ? `; could not move back: ${stuck.join(', ')}` : '; earlier moves were undone';
    throw new CharacterFilesError(500, `renaming memory of "${oldName}" failed: ${(err as Error).message}${rollback}`);
  }
  return { files: plan.map((p) => p.targetEntry) };
}

/**
 * Removes every artefact of `name`, quarantined copies included (folders recursively; symlinks themselves, not
 * what they point to).
 */
export function deleteCharacterFiles(folder: string, raw: unknown): CharacterFilesOutcome {
  const name = validName(raw, 'name');
  const removed: string[] = [];
  for (const artefact of existingArtefacts(folder, name)) {
    try {
      rmSync(artefact.path, { recursive: true, force: true });
    } catch (err) {
      throw new CharacterFilesError(500, `deleting memory of "${name}" stopped at ${artefact.entry}: ${(err as Error).message} (already removed: ${removed.join(', ') || 'nothing'})`);
    }
    removed.push(artefact.entry);
  }
  return { files: removed };
}
