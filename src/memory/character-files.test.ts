import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CharacterFilesError, deleteCharacterFiles, renameCharacterFiles } from './character-files.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function folder(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'neko-charfiles-'));
  roots.push(dir);
  for (const [name, content] of Object.entries(files)) {
    if (content === null) mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

const SQLITE_DB = 'SQLite format 3\0 rest of a database';

function statusOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CharacterFilesError, String(err));
    return err.status;
  }
  assert.fail('expected a CharacterFilesError');
}

test('rename moves every artefact, including side files and the semantic folder', () => {
  const dir = folder({
    'recent_a.json': '[1]', 'settings_a.json': '{}', time_indexed_a: SQLITE_DB, 'time_indexed_a-wal': 'wal',
    semantic_memory_a: null, 'a.sqlite': SQLITE_DB, 'a.sqlite-shm': 'shm', 'recent_ab.json': 'other character',
  });
  writeFileSync(join(dir, 'semantic_memory_a', 'chunk'), 'x');
  const { files } = renameCharacterFiles(dir, 'a', 'b');
  assert.deepEqual(files, ['recent_b.json', 'settings_b.json', 'time_indexed_b', 'time_indexed_b-wal', 'semantic_memory_b', 'b.sqlite', 'b.sqlite-shm']);
  assert.deepEqual(readdirSync(dir).sort(), [...files, 'recent_ab.json'].sort(), 'a prefix-sharing character is untouched');
  assert.equal(readFileSync(join(dir, 'semantic_memory_b', 'chunk'), 'utf8'), 'x');
  assert.equal(readFileSync(join(dir, 'recent_b.json'), 'utf8'), '[1]');
});

test('a character named "a-wal" is not mistaken for a side file of "a"', () => {
  const dir = folder({ time_indexed_a: SQLITE_DB, 'time_indexed_a-wal': SQLITE_DB, 'recent_a-wal.json': '[]' });
  assert.deepEqual(deleteCharacterFiles(dir, 'a').files, ['time_indexed_a']);
  assert.deepEqual(readdirSync(dir).sort(), ['recent_a-wal.json', 'time_indexed_a-wal']);
  // …and renaming "x" to "a" must not overwrite a-wal's database with x's WAL file.
  writeFileSync(join(dir, 'time_indexed_x'), SQLITE_DB);
  writeFileSync(join(dir, 'time_indexed_x-wal'), 'wal');
  assert.equal(statusOf(() => renameCharacterFiles(dir, 'x', 'a')), 409);
  assert.equal(readFileSync(join(dir, 'time_indexed_a-wal'), 'utf8'), SQLITE_DB);
});

test('rename refuses (409, nothing moved) when the new name already has memory', () => {
  const dir = folder({ 'recent_a.json': 'A', 'settings_a.json': 'A', 'settings_b.json': 'B' });
  assert.equal(statusOf(() => renameCharacterFiles(dir, 'a', 'b')), 409);
  assert.deepEqual(readdirSync(dir).sort(), ['recent_a.json', 'settings_a.json', 'settings_b.json']);
  assert.equal(readFileSync(join(dir, 'settings_b.json'), 'utf8'), 'B');
});

test('a move failing midway undoes the moves before it', () => {
  const dir = folder({ 'recent_a.json': 'A', 'settings_a.json': 'S', time_indexed_a: SQLITE_DB });
  let calls = 0;
  const flaky = (from: string, to: string) => {
    calls += 1;
    if (calls === 3) throw new Error('disk on fire');
    renameSync(from, to);
  };
  const err = (() => {
    try {
      renameCharacterFiles(dir, 'a', 'b', flaky);
    } catch (e) {
      return e as CharacterFilesError;
    }
    assert.fail('expected the rename to fail');
  })();
  assert.equal(err.status, 500);
  assert.match(err.message, /disk on fire; earlier moves were undone/);
  assert.deepEqual(readdirSync(dir).sort(), ['recent_a.json', 'settings_a.json', 'time_indexed_a']);
});

test('names are validated and deletion never follows symlinks out of the folder', () => {
  const outside = folder({ 'precious.txt': 'keep me' });
  const dir = folder({});
  symlinkSync(outside, join(dir, 'semantic_memory_a'));
  assert.deepEqual(deleteCharacterFiles(dir, 'a').files, ['semantic_memory_a']);
  assert.equal(readFileSync(join(outside, 'precious.txt'), 'utf8'), 'keep me');
  for (const bad of ['..', '../x', 'a/b', 'a\\b', '\u0007', '', '.hidden']) {
    assert.equal(statusOf(() => deleteCharacterFiles(dir, bad)), 400, JSON.stringify(bad));
    assert.equal(statusOf(() => renameCharacterFiles(dir, 'a', bad)), 400, JSON.stringify(bad));
  }
  assert.equal(statusOf(() => renameCharacterFiles(dir, 'a', 'a')), 400);
});

test('quarantined copies follow a rename and go with a delete; another character’s are untouched', () => {
  const stamp = '.corrupt-2026-11-27T10-00-00-000Z';
  const dir = folder({
    'recent_a.json': '[]', [`recent_a.json${stamp}`]: 'bad window', [`recent_a.json${stamp}-1`]: 'bad again',
    [`settings_a.json${stamp}`]: 'bad settings', [`a.sqlite${stamp}`]: 'bad db', [`a.sqlite-wal${stamp}`]: 'bad wal',
    [`recent_ab.json${stamp}`]: 'other character', 'recent_a.json.corrupt-later': 'not a quarantine name',
    [`recent_b.json${stamp}-7`]: 'b’s own old copy',
  });
  const { files } = renameCharacterFiles(dir, 'a', 'b');
  assert.deepEqual(files, [
    'recent_b.json', `b.sqlite-wal${stamp}`, `b.sqlite${stamp}`, `recent_b.json${stamp}`, `recent_b.json${stamp}-1`, `settings_b.json${stamp}`,
  ]);
  assert.equal(readFileSync(join(dir, `recent_b.json${stamp}-1`), 'utf8'), 'bad again');
  assert.equal(readFileSync(join(dir, `b.sqlite-wal${stamp}`), 'utf8'), 'bad wal');
  assert.equal(readFileSync(join(dir, `recent_b.json${stamp}-7`), 'utf8'), 'b’s own old copy', 'an old copy of b does not block, and is kept');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('recent_a.') || f.startsWith('a.') || f.startsWith('settings_a')), ['recent_a.json.corrupt-later']);

  // A quarantined copy with exactly a planned target's name blocks the rename (409, nothing moved).
  writeFileSync(join(dir, `recent_c.json${stamp}-1`), 'c’s copy');
  const before = readdirSync(dir).sort();
  assert.equal(statusOf(() => renameCharacterFiles(dir, 'b', 'c')), 409);
  assert.deepEqual(readdirSync(dir).sort(), before);

  assert.equal(deleteCharacterFiles(dir, 'b').files.length, 7);
  assert.deepEqual(readdirSync(dir).sort(), ['recent_a.json.corrupt-later', `recent_ab.json${stamp}`, `recent_c.json${stamp}-1`].sort());
});
