import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MemoryDb, type NewTurn } from './memory-db.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshDb(): MemoryDb {
  const dir = mkdtempSync(join(tmpdir(), 'neko-histsearch-'));
  dirs.push(dir);
  return new MemoryDb(join(dir, 'a.sqlite'));
}

const T0 = Date.parse('2026-05-01T10:00:00Z');
const turn = (id: string, text: string, minute: number, role: NewTurn['role'] = 'user'): NewTurn => ({
  id, role, speaker: role === 'user' ? 'Mika' : 'neko', text, ts: T0 + minute * 60_000,
});

function seeded(): MemoryDb {
  const db = freshDb();
  db.insertTurns([
    turn('a', 'My sister Alice lives in Lyon', 0),
    turn('b', 'Lyon is lovely in spring!', 1, 'assistant'),
    turn('c', 'Alice has a dog called Biscuit', 2),
    turn('d', '我喜欢吃草莓蛋糕', 3),
    turn('e', 'ПРИВЕТ, как дела?', 4),
    turn('f', 'ＡＬＩＣＥ wrote to me today', 5),
  ], 'ingest');
  return db;
}

test('history search keeps only turns containing every word, newest first across pages', () => {
  const db = seeded();
  assert.deepEqual(db.history({}, 10, undefined, ['alice'])!.map((t) => t.id), ['a', 'c', 'f'], 'case and width do not matter');
  assert.deepEqual(db.history({}, 10, undefined, ['alice', 'dog'])!.map((t) => t.id), ['c'], 'all words must occur');
  assert.deepEqual(db.history({}, 10, undefined, ['草莓'])!.map((t) => t.id), ['d'], 'CJK substrings match');
  assert.deepEqual(db.history({}, 10, undefined, ['привет'])!.map((t) => t.id), ['e'], 'Cyrillic is folded too');
  assert.deepEqual(db.history({}, 10, undefined, ['neko', 'spring'])!.map((t) => t.id), ['b'], 'the speaker counts as text');
  assert.deepEqual(db.history({}, 10, undefined, ['50%'])!, [], 'LIKE wildcards are plain characters');

  const first = db.history({}, 2, undefined, ['alice'])!;
  assert.deepEqual(first.map((t) => t.id), ['c', 'f'], 'the newest page (in time order)');
  const second = db.history({}, 2, first[0]!.id, ['alice'])!;
  assert.deepEqual(second.map((t) => t.id), ['a'], 'the next page continues before the cursor');
});

test('history search honours the time range', () => {
  const db = seeded();
  const range = { from: T0 + 60_000, to: T0 + 4 * 60_000 };
  assert.deepEqual(db.history(range, 10, undefined, ['alice'])!.map((t) => t.id), ['c']);
  assert.deepEqual(db.history(range, 10)!.map((t) => t.id), ['b', 'c', 'd', 'e'], 'no words: the whole range');
});

test('a fact is edited and forgotten by its id, and only a fact id is accepted', () => {
  const db = seeded();
  const fact = db.setFact({ subject: 'Mika', key: 'sister', value: 'Alice', ts: T0, source: 'test' });
  const edited = db.editFact(fact.id, 'Alice (lives in Lyon)', T0 + 1)!;
  assert.equal(edited.value, 'Alice (lives in Lyon)');
  assert.equal(db.fact(fact.id)!.value, 'Alice (lives in Lyon)');
  assert.equal(db.searchFacts('"lyon"', 5).length, 1, 'the new value is indexed');
  assert.equal(db.editFact('a', 'x'), undefined, 'a turn id is not a fact');
  assert.equal(db.turn('a')!.text, 'My sister Alice lives in Lyon', 'and the turn is untouched');
  assert.equal(db.forgetFact('a'), false);
  assert.equal(db.forgetFact(fact.id), true);
  assert.equal(db.facts().length, 0);
  assert.equal(db.searchFacts('"lyon"', 5).length, 0, 'gone from the index too');
  assert.equal(db.forgetFact(fact.id), false, 'forgetting twice finds nothing');
});
