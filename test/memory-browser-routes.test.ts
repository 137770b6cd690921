import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainWithMemory } from './support/main-with-memory.js';
import { http, startService } from './support/services.js';

/**
 * main's /api/memory/browser routes with the real main and memory processes: the page's view of a character's
 * memory goes through main, which validates and forwards to the memory service's structured API.
 */
const services = mainWithMemory('neko-membrowser-');

const api = (path: string) => `${services.main.url}/api/memory/browser${path}`;
/** The page's own requests carry its origin; the guard compares it with Host. */
const sameSite = () => ({ origin: services.main.url });
const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour, 0)).toISOString();

async function seed(): Promise<void> {
  const turns = [
    { id: 'm1', role: 'user', text: 'I adopted a kitten called Mochi', timestamp: at(1, 9) },
    { id: 'm2', role: 'assistant', text: 'Mochi is a sweet name!', timestamp: at(1, 9) },
    { id: 'm3', role: 'user', text: 'We are going hiking in the Alps next week', timestamp: at(3, 18) },
    { id: 'm4', role: 'assistant', text: 'Take warm clothes for the Alps', timestamp: at(3, 18) },
    { id: 'm5', role: 'user', text: 'Mochi knocked my cup off the table again', timestamp: at(5, 20) },
  ];
  const res = await http(`${services.memory.url}/ingest/test`, { method: 'POST', json: { turns } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

test('history through main: newest first, search narrows, date range and cursor page it', async () => {
  await seed();
  const all = await http(api('/test/history'));
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.deepEqual(all.body.items.map((i: { id: string }) => i.id), ['m5', 'm4', 'm3', 'm2', 'm1']);
  assert.equal(all.body.next_cursor, null);
  assert.equal(all.body.items[0].text, 'Mochi knocked my cup off the table again');
  assert.equal(all.body.items[0].role, 'user');

  const mochi = await http(api(`/test/history?q=${encodeURIComponent('mochi')}`));
  assert.deepEqual(mochi.body.items.map((i: { id: string }) => i.id), ['m5', 'm2', 'm1']);
  const two = await http(api(`/test/history?q=${encodeURIComponent('mochi cup')}`));
  assert.deepEqual(two.body.items.map((i: { id: string }) => i.id), ['m5'], 'every word must occur');

  const range = await http(api(`/test/history?after=${at(2, 0)}&before=${at(4, 0)}`));
  assert.deepEqual(range.body.items.map((i: { id: string }) => i.id), ['m4', 'm3']);

  const first = await http(api('/test/history?limit=2'));
  assert.deepEqual(first.body.items.map((i: { id: string }) => i.id), ['m5', 'm4']);
  assert.equal(typeof first.body.next_cursor, 'string');
  const second = await http(api(`/test/history?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`));
  assert.deepEqual(second.body.items.map((i: { id: string }) => i.id), ['m3', 'm2']);
});

test('edit and forget round trip through main; the recent window follows', async () => {
  // Turns that came through a conversation are also in the recent window.
  const window = [
    { role: 'user', content: [{ type: 'text', text: 'My favourite colour is teal' }], id: 'w1', timestamp: at(6, 10) },
    { role: 'assistant', content: [{ type: 'text', text: 'Teal suits you' }], id: 'w2', timestamp: at(6, 10) },
  ];
  const cached = await http(`${services.memory.url}/cache/test`, { method: 'POST', json: { input_history: JSON.stringify(window) } });
  assert.equal(cached.body.status, 'cached');
  const recent = await http(api('/test/recent'));
  assert.equal(recent.status, 200);
  assert.deepEqual(recent.body.items.map((i: { id: string; kind: string }) => [i.id, i.kind]), [['w1', 'message'], ['w2', 'message']]);

  const edit = await http(api('/test/history/w1'), { method: 'PATCH', json: { text: 'My favourite colour is dark green' }, headers: sameSite() });
  assert.deepEqual(edit.body, { success: true, id: 'w1', kind: 'turn' });
  const found = await http(api(`/test/history?q=${encodeURIComponent('dark green')}`));
  assert.deepEqual(found.body.items.map((i: { id: string; text: string }) => [i.id, i.text]), [['w1', 'My favourite colour is dark green']]);
  assert.equal((await http(api('/test/recent'))).body.items[0].text, 'My favourite colour is dark green', 'the window shows the edit');

  const forget = await http(api('/test/history/w2'), { method: 'DELETE', headers: sameSite() });
  assert.deepEqual(forget.body, { success: true, id: 'w2', kind: 'turn' });
  assert.deepEqual((await http(api('/test/history?q=teal'))).body.items, []);
  assert.deepEqual((await http(api('/test/recent'))).body.items.map((i: { id: string }) => i.id), ['w1'], 'gone from the window too');
  const again = await http(api('/test/history/w2'), { method: 'DELETE', headers: sameSite() });
  assert.equal(again.status, 404);
  assert.equal(again.body.code, 'NOT_FOUND');
});

test('facts: listed, corrected and forgotten through main', async () => {
  const stored = await http(`${services.memory.url}/facts/test`, { method: 'POST', json: { subject: 'Brother', key: 'pet', value: 'a kitten called Mochi' } });
  const id = stored.body.fact.id as string;
  const list = await http(api('/test/facts'));
  assert.equal(list.status, 200);
  assert.equal(list.body.facts.length, 1);
  assert.deepEqual({ ...list.body.facts[0], updated_at: 'x' }, { id, subject: 'Brother', key: 'pet', value: 'a kitten called Mochi', updated_at: 'x', source: 'api' });
  assert.ok(Number.isFinite(Date.parse(list.body.facts[0].updated_at)));
  const edit = await http(api(`/test/facts/${id}`), { method: 'PATCH', json: { value: 'a grey kitten called Mochi' }, headers: sameSite() });
  assert.deepEqual(edit.body, { success: true, id, kind: 'fact' });
  assert.equal((await http(api('/test/facts'))).body.facts[0].value, 'a grey kitten called Mochi');
  assert.equal((await http(api('/test/facts/m1'), { method: 'PATCH', json: { value: 'x' }, headers: sameSite() })).status, 404, 'a turn is not a fact');
  assert.equal((await http(api(`/test/facts/${id}`), { method: 'DELETE', headers: sameSite() })).status, 200);
  assert.deepEqual((await http(api('/test/facts'))).body.facts, []);
});

test('unknown characters are 404; bad names, ids, queries and bodies are 400 and change nothing', async () => {
  const unknown = await http(api('/nobody/history'));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'UNKNOWN_CHARACTER');
  assert.match(unknown.body.error, /unknown character "nobody"/);
  assert.equal((await http(api('/nobody/recent'))).status, 404);
  assert.equal((await http(api('/nobody/history/m1'), { method: 'DELETE', headers: sameSite() })).status, 404);

  for (const name of ['a..b', '.hidden', 'x'.repeat(30), 'a%5Cb', '%01x']) {
    const res = await http(api(`/${name}/history`));
    assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.success, false);
  }
  const badQueries = ['limit=0', 'limit=1000', 'limit=abc', 'after=yesterday', `before=${at(1, 0)}&after=${at(2, 0)}`, `q=${'x'.repeat(501)}`, `cursor=${'c'.repeat(201)}`];
  for (const query of badQueries) {
    const res = await http(api(`/test/history?${query}`));
    assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.code, 'BAD_REQUEST');
  }
  const unknownCursor = await http(api('/test/history?cursor=no-such-item'));
  assert.equal(unknownCursor.status, 404, 'a cursor that is no item');

  const badBodies: unknown[] = [{}, { text: 42 }, { text: '   ' }, { text: 'x'.repeat(100_001) }, []];
  for (const json of badBodies) {
    const res = await http(api('/test/history/m1'), { method: 'PATCH', json, headers: sameSite() });
    assert.equal(res.status, 400, `${JSON.stringify(json).slice(0, 40)}: ${JSON.stringify(res.body)}`);
  }
  const badId = await http(api(`/test/history/${encodeURIComponent('bad\u0001id')}`), { method: 'DELETE', headers: sameSite() });
  assert.equal(badId.status, 400);
  assert.equal((await http(api(`/test/history/${'i'.repeat(201)}`), { method: 'DELETE', headers: sameSite() })).status, 400);
  assert.equal((await http(api('/test/facts/whatever'), { method: 'PATCH', json: { value: '' }, headers: sameSite() })).status, 400);

  const unchanged = await http(api('/test/history?q=mochi'));
  assert.equal(unchanged.body.items.find((i: { id: string }) => i.id === 'm1').text, 'I adopted a kitten called Mochi');
});

test('a cross-site page cannot edit or forget', async () => {
  const evil = { origin: 'https://evil.example' };
  const edit = await http(api('/test/history/m1'), { method: 'PATCH', json: { text: 'hacked' }, headers: evil });
  assert.equal(edit.status, 403);
  assert.equal(edit.body.code, 'ORIGIN_NOT_ALLOWED');
  const forget = await http(api('/test/history/m1'), { method: 'DELETE', headers: evil });
  assert.equal(forget.status, 403);
  const factForget = await http(api('/test/facts/x'), { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(factForget.status, 403);
  const m1 = (await http(api('/test/history?q=adopted'))).body.items[0];
  assert.equal(m1.text, 'I adopted a kitten called Mochi', 'nothing changed');
});

test('memory service down: 503 with a clear error; it works again once memory is back', async () => {
  const port = services.memory.port;
  await services.memory.stop();
  for (const [method, path] of [['GET', '/test/history'], ['GET', '/test/recent'], ['GET', '/test/facts'], ['DELETE', '/test/history/m1']] as const) {
    const res = await http(api(path), { method, headers: sameSite() });
    assert.equal(res.status, 503, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.code, 'MEMORY_UNAVAILABLE');
    assert.match(res.body.error, /memory service is not reachable/);
  }
  assert.equal((await http(api('/nobody/history'))).status, 404, 'an unknown character is still 404');
  services.memory = await startService('memory', { port, env: { NEKO_DATA_DIR: services.dataDir, NEKO_LANGUAGE: 'en' } });
  const back = await http(api('/test/history?q=mochi'));
  assert.equal(back.status, 200);
  assert.deepEqual(back.body.items.map((i: { id: string }) => i.id), ['m5', 'm2', 'm1'], 'nothing was lost, nothing forgotten while it was down');
});
