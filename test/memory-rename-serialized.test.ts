import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mainWithMemory } from './support/main-with-memory.js';
import { http } from './support/services.js';

/**
 * main's POST /api/memory/update_catgirl_name with the real main and memory processes: main forwards the rename to
 * the memory service, which moves every file and rewrites the names inside the window in the queues of both names,
 * so turns being appended at the same moment are neither lost nor split (issue 6).
 */
const services = mainWithMemory('neko-memrename-');
const memoryDir = join(services.dataDir, 'memory');

/** The page's own requests carry its origin; the guard compares it with Host. */
const rename = (body: unknown) => http(`${services.main.url}/api/memory/update_catgirl_name`, { method: 'POST', json: body, headers: { origin: services.main.url } });

let minute = 0;
function turn(id: string, text: string, role: 'user' | 'assistant' = 'user') {
  minute += 1;
  return { role, content: text, id, timestamp: new Date(Date.UTC(2026, 10, 27, 8, minute)).toISOString() };
}
const cache = (name: string, turns: unknown[]) => http(`${services.memory.url}/cache/${encodeURIComponent(name)}`, { method: 'POST', json: { input_history: JSON.stringify(turns) } });

async function historyIds(name: string): Promise<string[]> {
  const res = await http(`${services.memory.url}/history/${encodeURIComponent(name)}?limit=500`);
  if (res.status === 404) return []; // no memory at all under that name
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.map((i: { id: string }) => i.id);
}

function windowOf(name: string): Array<{ data: { id: string | null; content: unknown } }> {
  try {
    return JSON.parse(readFileSync(join(memoryDir, `recent_${name}.json`), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Every entry of the memory folder, with the content of the JSON files, to prove nothing changed. Databases are
 * listed by name only, without their -wal/-shm files: SQLite checkpoints and removes those whenever a database
 * is closed (memory closes both before a rename, even one it then refuses), without any memory changing.
 */
function snapshot(): Record<string, string> {
  const entries = readdirSync(memoryDir).filter((f) => !/\.sqlite-(wal|shm|journal)$/.test(f)).sort();
  return Object.fromEntries(entries.map((f) => [f, f.includes('.json') ? readFileSync(join(memoryDir, f), 'utf8') : '']));
}

test('a rename that moves the memory while turns for the old name stream in loses none and splits none', async (t) => {
  const seed = [turn('s1', '[阿橘]: 早上好'), turn('s2', '阿橘说：喵，早上好', 'assistant'), turn('s3', '阿橘: 今天去公园吧')];
  assert.equal((await cache('阿橘', seed)).body.status, 'cached');

  // 40 turns for the old name in flight, with the rename fired in the middle of the burst.
  const streamed = Array.from({ length: 40 }, (_, i) => turn(`o${i}`, `turn ${i} for the old name`));
  const appends = streamed.map((m, i) => (i === 20 ? undefined : cache('阿橘', [m])));
  const renamed = rename({ old_name: '阿橘', new_name: '大橘' });
  const rest = [cache('阿橘', [streamed[20]])];
  const [answer, ...acks] = await Promise.all([renamed, ...appends.filter((a) => a !== undefined), ...rest]);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, { success: true });
  for (const ack of acks) assert.equal(ack!.body.status, 'cached', JSON.stringify(ack!.body));

  const underNew = await historyIds('大橘');
  const underOld = await historyIds('阿橘');
  t.diagnostic(`${underNew.length - seed.length} streamed turns landed before the rename (moved), ${underOld.length} after it (a new memory under the old name)`);
  // Every turn stored exactly once, and each name's window holds exactly the turns its database has: a turn
  // appended between a read and a write of the move would be missing from one of them.
  assert.deepEqual([...underNew, ...underOld].sort(), [...seed, ...streamed].map((m) => m.id).sort());
  assert.deepEqual(windowOf('大橘').map((m) => m.data.id).sort(), [...underNew].sort());
  assert.deepEqual(windowOf('阿橘').map((m) => m.data.id).sort(), [...underOld].sort());
  for (const id of ['s1', 's2', 's3']) assert.ok(underNew.includes(id), `${id} moved`);
  // Names inside the moved window were rewritten (the original's patterns), the new turns kept as sent.
  const contents = windowOf('大橘').slice(0, 3).map((m) => m.data.content);
  assert.deepEqual(contents, ['[大橘]: 早上好', '大橘说：喵，早上好', '大橘: 今天去公园吧']);
});

test('after neko’s character rename the page’s second call succeeds while turns for the new name stream in', async () => {
  const seed = [turn('n1', '[test]: hello'), turn('n2', 'test: hi there', 'assistant')];
  assert.equal((await cache('test', seed)).body.status, 'cached');
  // The page's first call: main renames the character, and memory moves (and rewrites) everything.
  const first = await http(`${services.main.url}/api/characters/catgirl/test/rename`, { method: 'POST', json: { new_name: 'Tama' }, headers: { origin: services.main.url } });
  assert.deepEqual(first.body, { success: true }, JSON.stringify(first.body));
  assert.deepEqual(windowOf('Tama').map((m) => m.data.content), ['[Tama]: hello', 'Tama: hi there']);

  // The second call, while the renamed session keeps appending: main no longer rewrites the file itself, so no
  // append can be overwritten by a stale copy.
  const streamed = Array.from({ length: 40 }, (_, i) => turn(`t${i}`, `Tama turn ${i}`));
  const calls = streamed.map((m) => cache('Tama', [m]));
  const renames = [10, 25].map(() => rename({ old_name: 'test', new_name: 'Tama' }));
  const results = await Promise.all([...renames, ...calls]);
  for (const r of results.slice(0, renames.length)) assert.deepEqual(r.body, { success: true }, JSON.stringify(r.body));
  for (const r of results.slice(renames.length)) assert.equal(r.body.status, 'cached');

  const expected = [...seed, ...streamed].map((m) => m.id);
  assert.deepEqual((await historyIds('Tama')).sort(), [...expected].sort());
  assert.deepEqual(windowOf('Tama').map((m) => m.data.id), expected, 'every turn in the window, in order');
  assert.deepEqual(windowOf('Tama').slice(0, 2).map((m) => m.data.content), ['[Tama]: hello', 'Tama: hi there'], 'not rewritten twice');
  assert.ok(!readdirSync(memoryDir).some((f) => f.includes('test')), readdirSync(memoryDir).join(', '));
});

test('bad names are 400 and nothing to rename is 404, with nothing changed', async () => {
  const before = snapshot();
  const cases: Array<[unknown, number, RegExp]> = [
    [{ old_name: 'a' }, 400, /^缺少必要参数$/],
    [{ old_name: '', new_name: 'b' }, 400, /^缺少必要参数$/],
    [{ old_name: '../大橘', new_name: 'b' }, 400, /^旧名称无效/],
    [{ old_name: '大橘', new_name: 'a/b' }, 400, /^新名称无效/],
    [{ old_name: '大橘', new_name: 'x'.repeat(101) }, 400, /^新名称无效/],
    [{ old_name: '大橘', new_name: '大橘' }, 400, /same as the current name/],
    [{ old_name: 'ghost', new_name: 'spirit' }, 404, /^记忆文件不存在: recent_ghost\.json$/],
  ];
  for (const [body, status, detail] of cases) {
    const res = await rename(body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.match(res.body.detail, detail, JSON.stringify(res.body));
  }
  // Memory for the new name already exists: refused, never merged or overwritten.
  const taken = await rename({ old_name: '大橘', new_name: 'Tama' });
  assert.equal(taken.status, 409, JSON.stringify(taken.body));
  assert.deepEqual(snapshot(), before);
});

test('quarantined corrupt files follow a rename and are removed by a delete', async () => {
  writeFileSync(join(memoryDir, 'recent_broken.json'), '[{"type": "human", "data": {"content": "cut sho');
  // The next append finds the window unreadable and moves it aside.
  assert.equal((await cache('broken', [turn('b1', 'broken: after the damage')])).body.status, 'cached');
  const copies = readdirSync(memoryDir).filter((f) => f.startsWith('recent_broken.json.corrupt-'));
  assert.equal(copies.length, 1, readdirSync(memoryDir).join(', '));

  assert.deepEqual((await rename({ old_name: 'broken', new_name: 'mended' })).body, { success: true });
  const moved = copies[0]!.replace('recent_broken.json', 'recent_mended.json');
  assert.equal(readFileSync(join(memoryDir, moved), 'utf8'), '[{"type": "human", "data": {"content": "cut sho');
  assert.deepEqual(readdirSync(memoryDir).filter((f) => f.includes('broken')), [], 'nothing left under the old name');
  assert.deepEqual(windowOf('mended').map((m) => m.data.content), ['mended: after the damage']);

  const deleted = await http(`${services.memory.url}/characters/mended`, { method: 'DELETE' });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.ok(deleted.body.files.includes(moved), JSON.stringify(deleted.body));
  assert.deepEqual(readdirSync(memoryDir).filter((f) => f.includes('mended')), []);
});

test('memory down: 503 with a clear error and no file changed', async () => {
  const before = snapshot();
  await services.memory.stop();
  const res = await rename({ old_name: '大橘', new_name: '小橘' });
  assert.equal(res.status, 503, JSON.stringify(res.body));
  assert.equal(res.body.code, 'MEMORY_UNAVAILABLE');
  assert.match(res.body.detail, /记忆服务不可用.*nothing was changed/);
  assert.deepEqual(snapshot(), before);
});
