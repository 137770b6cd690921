import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { dataPaths } from '../shared/config/paths.js';
import { ConfigStore } from '../shared/config/store.js';
import { tempDataDir } from '../../test/support/services.js';
import { MemoryService } from './memory-service.js';

const data = tempDataDir('neko-corrupt-');
after(() => data.cleanup());

test('an unreadable window or database is moved aside (kept), and memory carries on with a new one', async () => {
  const paths = dataPaths(data.dir);
  mkdirSync(paths.memory, { recursive: true });
  writeFileSync(join(paths.memory, 'recent_test.json'), '[{"type": "human", "data": {"content": "half a fi');
  writeFileSync(join(paths.memory, 'test.sqlite'), 'this is not a database, but it is the user’s data');
  const config = new ConfigStore(pino({ level: 'silent' }), { paths, env: {}, language: 'en' });
  const service = new MemoryService({ config, log: pino({ level: 'silent' }), env: {} });
  try {
    const raw = JSON.stringify([{ role: 'user', content: 'still here', id: 'x1', timestamp: '2026-11-27T10:00:00Z' }]);
    assert.deepEqual(await service.receive('test', raw, 'cache'), { received: 1, stored: 1 });
    const files = readdirSync(paths.memory).sort();
    const windowBackup = files.find((f) => f.startsWith('recent_test.json.corrupt-'));
    const dbBackup = files.find((f) => f.startsWith('test.sqlite.corrupt-'));
    assert.ok(windowBackup && dbBackup, files.join(', '));
    assert.equal(readFileSync(join(paths.memory, windowBackup), 'utf8'), '[{"type": "human", "data": {"content": "half a fi');
    assert.equal(readFileSync(join(paths.memory, dbBackup), 'utf8'), 'this is not a database, but it is the user’s data');
    assert.equal(service.history('test', {}, 10)![0]!.text, 'still here');
    assert.equal(service.windows.read('test').length, 1);
  } finally {
    service.close();
  }
});

test('quarantined copies move with a rename (names rewritten in the window) and go with a delete', async () => {
  const paths = dataPaths(data.dir);
  mkdirSync(paths.memory, { recursive: true });
  writeFileSync(join(paths.memory, 'recent_old.json'), '{ not json');
  writeFileSync(join(paths.memory, 'old.sqlite'), 'not a database either');
  const config = new ConfigStore(pino({ level: 'silent' }), { paths, env: {}, language: 'en' });
  const service = new MemoryService({ config, log: pino({ level: 'silent' }), env: {} });
  try {
    const raw = JSON.stringify([
      { role: 'user', content: '[old]: are you there? old说：喵', id: 'q1', timestamp: '2026-11-27T10:00:00Z' },
      { role: 'assistant', content: 'old: yes', id: 'q2', timestamp: '2026-11-27T10:01:00Z' },
    ]);
    await service.receive('old', raw, 'cache');
    const quarantined = readdirSync(paths.memory).filter((f) => f.includes('.corrupt-') && (f.startsWith('recent_old.') || f.startsWith('old.')));
    assert.equal(quarantined.length, 2, readdirSync(paths.memory).join(', '));

    const { files } = await service.renameCharacter('old', 'new');
    for (const q of quarantined) assert.ok(files.includes(q.replace(/^recent_old\./, 'recent_new.').replace(/^old\./, 'new.')), `${q} moved: ${files.join(', ')}`);
    assert.deepEqual(readdirSync(paths.memory).filter((f) => /(^|_)old[._]/.test(f)), [], 'nothing left under the old name');
    const window = service.windows.read('new');
    assert.deepEqual(window.map((m) => m.data.content), ['[new]: are you there? new说：喵', 'new: yes']);
    assert.deepEqual(service.history('new', {}, 10)!.map((t) => t.id), ['q1', 'q2']);

    // Calling it again (neko's character rename already moved everything) changes nothing.
    assert.deepEqual((await service.renameCharacter('old', 'new')).files, []);
    assert.deepEqual(service.windows.read('new').map((m) => m.data.content), ['[new]: are you there? new说：喵', 'new: yes']);

    const removed = (await service.deleteCharacter('new')).files;
    assert.ok(removed.some((f) => f.startsWith('recent_new.json.corrupt-')) && removed.some((f) => f.startsWith('new.sqlite.corrupt-')), removed.join(', '));
    assert.deepEqual(readdirSync(paths.memory).filter((f) => /(^|_)(old|new)[._]/.test(f)), []);
  } finally {
    service.close();
  }
});
