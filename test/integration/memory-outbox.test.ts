import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/shared/log.js';
import { MemoryClient } from '../../src/main/bridges/memory-client.js';
import { MAX_REFUSALS, MemoryOutbox, type OutboxMessage } from '../../src/main/bridges/memory-outbox.js';
import { freePorts, http, startService, tempDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const log = createLogger('test', 'silent');

function turn(role: 'user' | 'assistant', text: string): OutboxMessage {
  return { role, content: [{ type: 'text', text }], id: randomUUID(), timestamp: new Date().toISOString() };
}

async function historyIds(url: string, character: string): Promise<string[]> {
  const res = await http(`${url}/history/${encodeURIComponent(character)}?limit=500`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.items as { id: string }[]).map((i) => i.id);
}

test('memory killed mid-session: queued turns arrive after it restarts, none twice', { timeout: 90_000 }, async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const [port] = await freePorts(1);
  const env = { NEKO_DATA_DIR: dir };
  let memory = await startService('memory', { env, port });
  const url = `http://127.0.0.1:${port}`;
  const outbox = new MemoryOutbox(join(dir, 'outbox.sqlite'), new MemoryClient({ baseUrl: url, timeoutMs: 1000 }), log);
  t.after(() => outbox.close());

  const first = [turn('user', 'my cat is called Biscuit'), turn('assistant', 'What a lovely name!')];
  outbox.enqueue('test', 'cache', first);
  await outbox.drained('test');
  assert.deepEqual((await historyIds(url, 'test')).sort(), first.map((m) => m.id).sort());

  await memory.kill();
  const whileDown = [turn('user', 'she likes tuna'), turn('assistant', 'Noted, tuna it is.'), turn('user', 'and sleeping on keyboards'), turn('assistant', 'Of course she does.')];
  outbox.enqueue('test', 'cache', whileDown.slice(0, 2));
  outbox.enqueue('test', 'process', whileDown.slice(2));
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(outbox.pending('test'), 2, 'kept on disk while memory is down');

  memory = await startService('memory', { env, port });
  t.after(() => memory.stop());
  await waitFor('outbox drained', () => outbox.pending('test') === 0, 40_000);
  const ids = await historyIds(url, 'test');
  const expected = [...first, ...whileDown].map((m) => m.id);
  assert.deepEqual([...ids].sort(), [...expected].sort(), 'every turn exactly once');

  // A retry after a lost acknowledgement sends the same turns again: memory stores them once.
  outbox.enqueue('test', 'cache', whileDown.slice(0, 2));
  await outbox.drained('test');
  assert.equal((await historyIds(url, 'test')).length, expected.length);
});

test(`an entry memory refuses ${MAX_REFUSALS} times is parked; later turns still go through`, { timeout: 60_000 }, async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const refused = body.includes('poison');
      if (!refused) received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refused ? { status: 'error', message: 'cannot parse' } : { status: 'cached', count: 1 }));
    });
  }).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const outbox = new MemoryOutbox(join(dir, 'outbox.sqlite'), new MemoryClient({ baseUrl: url, timeoutMs: 1000 }), log);
  t.after(() => outbox.close());
  outbox.enqueue('test', 'cache', [turn('user', 'poison')]);
  outbox.enqueue('test', 'cache', [turn('user', 'a good turn')]);
  await waitFor('drained', () => outbox.pending('test') === 0, 30_000);
  assert.equal(outbox.parked('test'), 1, 'the refused entry is kept aside, not deleted');
  assert.equal(received.length, 1);
  assert.match(received[0]!, /a good turn/);
});
