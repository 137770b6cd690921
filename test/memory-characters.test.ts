import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MemoryClient, MemoryRequestError, MemoryUnavailableError } from '../src/main/bridges/memory-client.js';
import { http, startService, tempDataDir, type RunningService } from './support/services.js';

/** The real memory process on a temp data folder, driven through main's MemoryClient. */
const data = tempDataDir();
const memoryDir = join(data.dir, 'memory');
let memory: RunningService | undefined;
after(async () => {
  await memory?.kill();
  data.cleanup();
});

function write(entry: string, content: string): void {
  writeFileSync(join(memoryDir, entry), content);
}

async function rejectsWith(promise: Promise<unknown>, status: number): Promise<string> {
  const err = await promise.then(() => assert.fail(`expected HTTP ${status}`), (e: unknown) => e);
  assert.ok(err instanceof MemoryRequestError, String(err));
  assert.equal(err.status, status, err.message);
  return err.message;
}

test('rename moves a character’s memory, refuses collisions, delete removes it, bad names are 400', async () => {
  memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir } });
  const client = new MemoryClient({ baseUrl: memory.url, timeoutMs: 2000 });
  mkdirSync(memoryDir, { recursive: true });
  write('recent_小白.json', '[{"type":"human","data":{"content":"hi"}}]');
  write('settings_小白.json', '{"小白":{}}');
  write('time_indexed_小白', 'SQLite format 3\0…');
  write('time_indexed_小白-wal', 'wal');
  mkdirSync(join(memoryDir, 'semantic_memory_小白'));
  write('小白.sqlite', 'SQLite format 3\0…');
  write('recent_旁人.json', '[]');

  const renamed = await client.renameCharacter('小白', '小黑');
  assert.deepEqual(renamed, {
    status: 'renamed',
    files: ['recent_小黑.json', 'settings_小黑.json', 'time_indexed_小黑', 'time_indexed_小黑-wal', 'semantic_memory_小黑', '小黑.sqlite'],
  });
  assert.equal(readFileSync(join(memoryDir, 'recent_小黑.json'), 'utf8'), '[{"type":"human","data":{"content":"hi"}}]');
  assert.ok(!readdirSync(memoryDir).some((f) => f.includes('小白')), 'nothing left under the old name');

  // Collision: 旁人 already has memory, so nothing of 小黑 moves.
  const before = readdirSync(memoryDir).sort();
  const message = await rejectsWith(client.renameCharacter('小黑', '旁人'), 409);
  assert.match(message, /recent_旁人\.json/);
  assert.deepEqual(readdirSync(memoryDir).sort(), before);

  const deleted = await client.deleteCharacter('小黑');
  assert.equal(deleted.status, 'deleted');
  assert.equal(deleted.files.length, 6);
  assert.deepEqual(readdirSync(memoryDir), ['recent_旁人.json']);
  assert.deepEqual(await client.deleteCharacter('小黑'), { status: 'deleted', files: [] }, 'deleting twice is harmless');

  // Bad names, in the path and in the body: 400 with a detail, and nothing touched.
  for (const path of ['/characters/a..b/rename', '/characters/a%2Fb/rename', '/characters/%01x/rename', '/characters/a%5Cb/rename']) {
    const res = await http(`${memory.url}${path}`, { method: 'POST', json: { new_name: 'ok' } });
    assert.equal(res.status, 400, path);
    assert.equal(typeof res.body.detail, 'string', path);
  }
  for (const newName of ['..', '../x', 'a/b', '\u0007bell', '', 42]) {
    const res = await http(`${memory.url}/characters/${encodeURIComponent('旁人')}/rename`, { method: 'POST', json: { new_name: newName } });
    assert.equal(res.status, 400, JSON.stringify(newName));
  }
  assert.equal((await http(`${memory.url}/characters/a%2F..%2Fb`, { method: 'DELETE' })).status, 400);
  await rejectsWith(client.renameCharacter('旁人', '../escape'), 400);
  assert.deepEqual(readdirSync(memoryDir), ['recent_旁人.json']);
  assert.ok(!existsSync(join(data.dir, 'escape')));
});

test('MemoryClient fails fast while memory is down and works again after it restarts', async (t) => {
  memory ??= await startService('memory', { env: { NEKO_DATA_DIR: data.dir } });
  const port = memory.port;
  const client = new MemoryClient({ baseUrl: memory.url, timeoutMs: 1000 });
  assert.equal((await client.health()).service, 'memory');

  await memory.stop();
  const t0 = performance.now();
  await assert.rejects(client.deleteCharacter('nobody'), MemoryUnavailableError);
  const refusedMs = performance.now() - t0;
  t.diagnostic(`stopped memory: MemoryUnavailableError after ${refusedMs.toFixed(0)} ms`);
  assert.ok(refusedMs < 1000, `took ${refusedMs} ms`);

  memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir }, port });
  assert.deepEqual(await client.deleteCharacter('nobody'), { status: 'deleted', files: [] });
});

test('MemoryClient gives up after its timeout when memory accepts but never answers', async (t) => {
  // A hung memory process: the TCP connection opens, no HTTP answer ever comes.
  const sockets = new Set<Socket>();
  const blackHole = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  const { port } = blackHole.address() as { port: number };
  try {
    const client = new MemoryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    const t0 = performance.now();
    await assert.rejects(client.renameCharacter('a', 'b'), (err: Error) => err instanceof MemoryUnavailableError && /no answer within 300 ms/.test(err.message));
    const elapsed = performance.now() - t0;
    t.diagnostic(`hung memory: MemoryUnavailableError after ${elapsed.toFixed(0)} ms (timeout 300 ms)`);
    assert.ok(elapsed >= 290 && elapsed < 800, `took ${elapsed} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    blackHole.close();
  }
});
