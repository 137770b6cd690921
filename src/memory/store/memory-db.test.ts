import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MemoryDb, SESSION_GAP_MS, type NewTurn } from './memory-db.js';
import { SCHEMA_VERSION, SchemaTooNewError } from './schema.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshDb(): MemoryDb {
  const dir = mkdtempSync(join(tmpdir(), 'neko-memdb-'));
  dirs.push(dir);
  return new MemoryDb(join(dir, 'a.sqlite'));
}

const T0 = Date.parse('2026-05-01T10:00:00Z');
const turn = (id: string, text: string, ts = T0, role: NewTurn['role'] = 'user'): NewTurn => ({ id, role, speaker: role === 'user' ? 'me' : 'neko', text, ts });

test('the same turn id is stored once, however often it arrives', () => {
  const db = freshDb();
  assert.equal(db.insertTurns([turn('t1', 'hello'), turn('t2', 'world')], 'cache').length, 2);
  const again = db.insertTurns([turn('t1', 'hello'), turn('t2', 'world'), turn('t3', 'new')], 'process');
  assert.deepEqual(again.map((t) => t.id), ['t3']);
  assert.equal(db.turnCount(), 3);
  assert.equal(db.turn('t1')!.source, 'cache', 'the first arrival is kept');
});

test('turns join the open session until a gap or a session end', () => {
  const db = freshDb();
  const [a, b] = db.insertTurns([turn('a', 'x', T0), turn('b', 'y', T0 + 60_000)], 'cache');
  assert.equal(a!.sessionId, b!.sessionId);
  const [c] = db.insertTurns([turn('c', 'z', T0 + 60_000 + SESSION_GAP_MS + 1)], 'cache');
  assert.notEqual(c!.sessionId, a!.sessionId, 'a long pause starts a new session');
  const [d] = db.insertTurns([turn('d', 'w', T0 + 60_000 + SESSION_GAP_MS + 2)], 'process', true);
  assert.equal(d!.sessionId, c!.sessionId);
  const [e] = db.insertTurns([turn('e', 'v', T0 + 60_000 + SESSION_GAP_MS + 3)], 'cache');
  assert.notEqual(e!.sessionId, d!.sessionId, '/process ended the session');
  const [f] = db.insertTurns([{ ...turn('f', 'u'), sessionId: 'given' }], 'ingest');
  assert.equal(f!.sessionId, 'given');
});

test('full-text search finds English by stem and Chinese by bigram; edits reindex; forgetting removes everywhere', () => {
  const db = freshDb();
  db.insertTurns([turn('en', 'We were hiking in the mountains'), turn('zh', '我喜欢吃草莓蛋糕'), turn('ja', '猫が好きです')], 'ingest');
  const find = (m: string) => db.searchTurns(m, 10).map((h) => db.turnBySeq(h.seq)!.id);
  assert.deepEqual(find('"hike"'), ['en']);
  assert.deepEqual(find('"草莓"'), ['zh']);
  assert.deepEqual(find('"猫"'), ['ja']);
  db.editTurn('zh', { text: '我喜欢吃芒果' });
  assert.deepEqual(find('"草莓"'), []);
  assert.deepEqual(find('"芒果"'), ['zh']);
  assert.equal(db.forgetItem('en'), 'turn');
  assert.deepEqual(find('"hike"'), []);
  assert.equal(db.turn('en'), undefined);
  assert.equal(db.insertTurns([turn('en', 'We were hiking in the mountains')], 'cache').length, 0, 'a late retry does not bring a forgotten turn back');
});

test('history pages backwards in time order and filters by range', () => {
  const db = freshDb();
  db.insertTurns(Array.from({ length: 10 }, (_, i) => turn(`t${i}`, `n${i}`, T0 + i * 1000)), 'ingest');
  const page1 = db.history({}, 4)!;
  assert.deepEqual(page1.map((t) => t.id), ['t6', 't7', 't8', 't9']);
  const page2 = db.history({}, 4, 't6')!;
  assert.deepEqual(page2.map((t) => t.id), ['t2', 't3', 't4', 't5']);
  assert.deepEqual(db.history({ from: T0 + 1000, to: T0 + 3000 }, 10)!.map((t) => t.id), ['t1', 't2', 't3']);
  assert.equal(db.history({}, 4, 'missing'), undefined);
});

test('facts: the newer observation wins, an older one never overwrites it', () => {
  const db = freshDb();
  db.setFact({ subject: 'me', key: 'city', value: 'Paris', ts: 2000, source: 'test' });
  db.setFact({ subject: 'me', key: 'city', value: 'Rome', ts: 1000, source: 'test' });
  assert.equal(db.facts()[0]!.value, 'Paris');
  db.setFact({ subject: 'me', key: 'city', value: 'Berlin', ts: 3000, source: 'test' });
  assert.equal(db.facts()[0]!.value, 'Berlin');
  assert.equal(db.searchFacts('"berlin"', 5).length, 1);
  assert.equal(db.searchFacts('"paris"', 5).length, 0);
});

test('migrations record the schema version and a newer database is refused', () => {
  const db = freshDb();
  assert.equal(db.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.db.pragma('journal_mode', { simple: true }), 'wal');
  const file = db.file;
  db.close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => new MemoryDb(file), SchemaTooNewError);
});
