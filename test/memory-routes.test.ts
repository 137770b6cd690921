import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { http, startService, tempDataDir, type RunningService } from './support/services.js';

/** The real memory process on a temp data folder (default characters.json: "test"), every route over HTTP. */
const data = tempDataDir('neko-memroutes-');
const memoryDir = join(data.dir, 'memory');
let memory: RunningService;
before(async () => {
  memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en' } });
});
after(async () => {
  await memory?.kill();
  data.cleanup();
});

const url = (path: string) => `${memory.url}${path}`;
const post = (path: string, json: unknown) => http(url(path), { method: 'POST', json });

function message(id: string, role: 'user' | 'assistant', text: string, minute: number) {
  return { role, content: [{ type: 'text', text }], id, timestamp: new Date(Date.UTC(2026, 10, 27, 10, minute)).toISOString() };
}
const history = (...messages: unknown[]) => ({ input_history: JSON.stringify(messages) });

test('/cache stores each turn once however often it is retried; /process adds only new turns', async () => {
  const turns = [message('c1', 'user', 'My sister Alice lives in Lyon', 0), message('c2', 'assistant', '[20261127 Fri 10:00] Lyon is lovely!', 1)];
  assert.deepEqual((await post('/cache/test', history(...turns))).body, { status: 'cached', count: 2 });
  assert.deepEqual((await post('/cache/test', history(...turns))).body, { status: 'cached', count: 2 }, 'a retry after a lost acknowledgement');
  const third = message('c3', 'user', 'She has a dog called Biscuit', 2);
  assert.deepEqual((await post('/process/test', history(...turns, third))).body, { status: 'processed' });
  const page = (await http(url('/history/test?limit=50'))).body;
  assert.deepEqual(page.items.map((i: { id: string }) => i.id), ['c1', 'c2', 'c3']);
  assert.equal(page.items[1].text, 'Lyon is lovely!');
  assert.deepEqual(page.items.map((i: { source: string }) => i.source), ['cache', 'cache', 'process']);
  const window = JSON.parse(readFileSync(join(memoryDir, 'recent_test.json'), 'utf8'));
  assert.deepEqual(window.map((m: { data: { id: string } }) => m.data.id), ['c1', 'c2', 'c3'], 'the window got each turn once');
  assert.equal(window[0].type, 'human');
  assert.equal(window[0].data.example, false);
});

test('text routes answer in the original formats', async () => {
  const recent = await http(url('/get_recent_history/test'));
  assert.match(recent.headers.get('content-type')!, /application\/json/);
  assert.equal(typeof recent.body, 'string');
  assert.match(recent.body, /^开始聊天前，test又在脑海内整理了近期发生的事情。\n.* \| My sister Alice lives in Lyon\ntest \| \[20261127 Fri 10:00\] Lyon is lovely!\n/);
  const settings = await http(url('/get_settings/test'));
  assert.match(settings.body, /^test记得\{/);
  assert.ok(JSON.parse(settings.body.slice('test记得'.length)).test, 'settings JSON with the character');

  const dialog = await fetch(url('/new_dialog/test'));
  assert.match(dialog.headers.get('content-type')!, /text\/plain/);
  const text = await dialog.text();
  assert.match(text, /test's Inner Thoughts/);
  assert.match(text, /test \| Lyon is lovely!\n/, 'bracketed time prefix removed in the prompt');

  const search = await http(url(`/search_for_memory/test/${encodeURIComponent('where does Alice live')}`));
  assert.equal(search.status, 200);
  assert.match(search.body, /where does Alice live\n\n/);
  assert.match(search.body, /记忆片段1 \| \n\[2026-11-27\] .* \| My sister Alice lives in Lyon/);

  assert.deepEqual((await post('/cancel_correction/test', {})).body, { status: 'no_task' });
  assert.deepEqual((await post('/reload', {})).body, { status: 'success', message: '配置已重新加载' });
  assert.equal((await http(url('/health'))).body.service, 'memory');
  assert.equal((await post('/shutdown', {})).body.status, 'shutdown_disabled');
});

test('/new_dialog adds recalled moments related to the last exchange', async () => {
  await post('/ingest/test', { turns: [{ role: 'user', text: 'Biscuit the dog loves chasing tennis balls', timestamp: '2026-10-01T09:00:00Z', id: 'old-biscuit' }] });
  await post('/cache/test', history(message('n1', 'user', 'Biscuit was sick today', 30), message('n2', 'assistant', 'Poor Biscuit, I hope he feels better', 31)));
  const text = await (await fetch(url('/new_dialog/test'))).text();
  assert.match(text, /also remembers[^\n]*\n(.*\n)*\[2026-10-01\] .* \| Biscuit the dog loves chasing tennis balls/);
});

test('invalid names are 400 on every route, with a detail', async () => {
  const bad = ['a..b', '.hidden', '%2E%2E%2Fetc', 'a%5Cb', '%01x', 'x'.repeat(30)];
  for (const name of bad) {
    const calls = [
      post(`/cache/${name}`, history()), post(`/process/${name}`, history()), post(`/renew/${name}`, history()),
      http(url(`/get_recent_history/${name}`)), http(url(`/get_settings/${name}`)), http(url(`/new_dialog/${name}`)),
      http(url(`/search_for_memory/${name}/q`)), post(`/cancel_correction/${name}`, {}),
      post(`/ingest/${name}`, { turns: [{ role: 'user', text: 'x' }] }), http(url(`/recall/${name}?q=x`)), http(url(`/history/${name}`)),
      http(url(`/history/${name}/id`), { method: 'PATCH', json: { text: 'x' } }), http(url(`/history/${name}/id`), { method: 'DELETE' }),
    ];
    for (const res of await Promise.all(calls)) {
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.detail, 'string');
    }
  }
  assert.ok(!readdirSync(data.dir).some((f) => f.startsWith('etc')));
});

test('malformed input_history is reported in the body (HTTP 200, status error); a missing one is 422', async () => {
  for (const input of ['not json', '{"role":"user"}', '[{"role":"robot","content":"x"}]', '[{"role":"user","content":42}]']) {
    const res = await post('/cache/test', { input_history: input });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'error', input);
    assert.equal(typeof res.body.message, 'string');
  }
  assert.equal((await post('/process/test', { input_history: 42 })).status, 422);
  assert.equal((await post('/renew/test', {})).status, 422);
  assert.equal((await http(url('/cache/test'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' })).status, 400);
});

test('a 10 MB body is refused with 413 before it is parsed', async () => {
  const big = JSON.stringify({ input_history: JSON.stringify([{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }]) });
  const res = await fetch(url('/cache/test'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }).catch((err: Error) => err);
  if (res instanceof Error) assert.fail(`connection failed instead of 413: ${res.message}`);
  assert.equal(res.status, 413);
  const ingest = await fetch(url('/ingest/test'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ turns: [{ role: 'user', text: 'y'.repeat(10 * 1024 * 1024) }] }) });
  assert.equal(ingest.status, 413);
});

test('unknown characters: the original’s answers on compatible routes, 404 on the structured API', async () => {
  assert.equal((await http(url('/get_recent_history/nobody'))).body, '开始聊天前，没有历史记录。\n');
  assert.equal((await http(url('/get_settings/nobody'))).body, 'nobody记得{}');
  const dialog = await fetch(url('/new_dialog/nobody'));
  assert.equal(dialog.status, 200);
  assert.equal(await dialog.text(), '');
  assert.equal((await http(url('/recall/nobody?q=x'))).status, 404);
  assert.equal((await http(url('/history/nobody'))).status, 404);
  assert.equal((await post('/ingest/nobody', { turns: [{ role: 'user', text: 'x' }] })).status, 404);
  assert.equal((await http(url('/search_for_memory/nobody/x'))).status, 404);
  assert.ok(!existsSync(join(memoryDir, 'nobody.sqlite')), 'reads create nothing');
});

test('structured API: ingest, recall, browse, edit and forget — with bad input refused', async () => {
  const ingest = await post('/ingest/test', {
    turns: [
      { role: 'user', text: '我最喜欢的水果是芒果', timestamp: '2026-11-20T08:00:00Z', session_id: 's-fruit' },
      { role: 'assistant', text: '芒果很甜呢！', timestamp: '2026-11-20T08:00:05Z', session_id: 's-fruit' },
      { role: 'user', text: 'I started learning the violin', speaker: 'Me', timestamp: '2026-11-26T20:00:00Z' },
    ],
  });
  assert.equal(ingest.status, 200);
  assert.equal(ingest.body.status, 'stored');
  const [mango, , violin] = ingest.body.ids as string[];
  const again = await post('/ingest/test', { turns: [{ role: 'user', text: '我最喜欢的水果是芒果', timestamp: '2026-11-20T08:00:00Z', session_id: 's-fruit' }] });
  assert.deepEqual(again.body.ids, [mango], 'the same turn (time and words) has the same id');

  const zh = await http(url(`/recall/test?q=${encodeURIComponent('我喜欢什么水果')}&k=3`));
  assert.equal(zh.body.results[0].id, mango);
  assert.equal(zh.body.results[0].text, '我最喜欢的水果是芒果');
  assert.equal(zh.body.results[0].kind, 'turn');
  const en = await http(url(`/recall/test?q=${encodeURIComponent('what instrument am I learning? violins')}&now=2026-11-27T12:00:00Z`));
  assert.equal(en.body.results[0].id, violin);
  assert.equal(en.body.results[0].speaker, 'Me');
  const ranged = await http(url(`/recall/test?q=violin&from=2026-11-01T00:00:00Z&to=2026-11-21T00:00:00Z`));
  assert.deepEqual(ranged.body.results, [], 'explicit from/to are a strict filter');

  const page = (await http(url('/history/test?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z'))).body;
  assert.equal(page.items.length, 2);
  assert.equal(page.items[0].session_id, 's-fruit');

  assert.deepEqual((await http(url(`/history/test/${mango}`), { method: 'PATCH', json: { text: '我最喜欢喝可乐' } })).body, { status: 'updated', id: mango, kind: 'turn' });
  assert.equal((await http(url(`/recall/test?q=${encodeURIComponent('可乐')}`))).body.results[0].id, mango);
  assert.equal((await http(url(`/recall/test?q=${encodeURIComponent('芒果')}`))).body.results.some((r: { id: string }) => r.id === mango), false);
  assert.deepEqual((await http(url(`/history/test/${mango}`), { method: 'DELETE' })).body, { status: 'forgotten', id: mango, kind: 'turn' });
  assert.equal((await http(url(`/recall/test?q=${encodeURIComponent('可乐')}`))).body.results.length, 0);
  assert.equal((await http(url(`/history/test/${mango}`), { method: 'DELETE' })).status, 404);
  assert.equal((await http(url('/history/test/nope'), { method: 'PATCH', json: { text: 'x' } })).status, 404);

  // Forgetting a turn that is in the recent window removes it from the window too.
  assert.equal((await http(url('/history/test/c3'), { method: 'DELETE' })).status, 200);
  const window = JSON.parse(readFileSync(join(memoryDir, 'recent_test.json'), 'utf8'));
  assert.ok(!window.some((m: { data: { id: string } }) => m.data.id === 'c3'));

  const badIngest = [{}, { turns: [] }, { turns: [{ role: 'robot', text: 'x' }] }, { turns: [{ role: 'user' }] }, { turns: [{ role: 'user', text: 'x', timestamp: 'yesterday' }] }, { turns: Array.from({ length: 5001 }, () => ({ role: 'user', text: 'x' })) }];
  for (const body of badIngest) assert.equal((await post('/ingest/test', body)).status, 400, JSON.stringify(body).slice(0, 60));
  for (const q of ['', '?q=', '?q=x&k=0', '?q=x&k=abc', '?q=x&from=notatime']) assert.equal((await http(url(`/recall/test${q}`))).status, 400, q);
  assert.equal((await http(url('/history/test?limit=0'))).status, 400);
  assert.equal((await http(url('/history/test?before_id=unknown'))).status, 404);
  assert.equal((await http(url('/history/test/x'), { method: 'PATCH', json: { text: 5 } })).status, 400);
});

test('facts are editable and appear in the settings memory', async () => {
  const set = await post('/facts/test', { subject: 'Brother', key: 'favourite food', value: 'ramen' });
  assert.equal(set.body.status, 'stored');
  const facts = (await http(url('/facts/test'))).body.facts;
  assert.equal(facts[0].value, 'ramen');
  const settings = await http(url('/get_settings/test'));
  assert.match(settings.body, /"favourite food":"ramen"/);
  assert.equal((await http(url(`/recall/test?q=ramen`))).body.results[0].kind, 'fact');
  assert.equal((await http(url(`/history/test/${facts[0].id}`), { method: 'PATCH', json: { text: 'udon' } })).body.kind, 'fact');
  assert.equal((await http(url('/facts/test'))).body.facts[0].value, 'udon');
  assert.equal((await post('/facts/test', { subject: 'x' })).status, 400);
});

test('rename moves every store (window, database, settings) and delete removes them', async () => {
  const before = readdirSync(memoryDir).filter((f) => f.includes('test'));
  assert.ok(before.includes('recent_test.json') && before.includes('test.sqlite'), before.join(','));
  const renamed = await post('/characters/test/rename', { new_name: '小白' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.ok(renamed.body.files.includes('小白.sqlite'));
  assert.deepEqual(readdirSync(memoryDir).filter((f) => f.includes('test') && !f.includes('.corrupt-')), []);
  const page = (await http(url(`/history/${encodeURIComponent('小白')}?limit=100`))).body;
  assert.ok(page.items.some((i: { id: string }) => i.id === 'c1'), 'the database moved with its turns');
  assert.ok(existsSync(join(memoryDir, 'recent_小白.json')));
  // The old name has nothing: the structured API answers 404 and the window route the original's empty answer.
  assert.equal((await http(url('/history/test'))).body.items?.length ?? 0, 0);

  const deleted = await http(url(`/characters/${encodeURIComponent('小白')}`), { method: 'DELETE' });
  assert.equal(deleted.status, 200);
  assert.deepEqual(readdirSync(memoryDir).filter((f) => f.includes('小白')), []);
  assert.equal((await http(url(`/history/${encodeURIComponent('小白')}`))).status, 404);
});
