import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { dataPaths } from '../../shared/config/paths.js';
import { ConfigStore } from '../../shared/config/store.js';
import { tempDataDir } from '../../../test/support/services.js';
import { buildMemoryServer } from '../server.js';

/** The memory browser's additions to the structured API, through the real server (fastify inject). */
const data = tempDataDir('neko-structured-');
let app: FastifyInstance;
before(async () => {
  const paths = dataPaths(data.dir);
  mkdirSync(paths.config, { recursive: true });
  const log = pino({ level: 'silent' });
  const config = new ConfigStore(log, { paths, env: {}, language: 'en' });
  ({ app } = await buildMemoryServer({ config, log, env: {}, enableShutdown: false, requestShutdown: () => undefined }));
  await app.ready();
});
after(async () => {
  await app?.close();
  data.cleanup();
});

const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
};
const at = (minute: number) => new Date(Date.UTC(2026, 4, 1, 9, minute)).toISOString();

test('/history?q= narrows the history to turns with every word', async () => {
  await call('POST', '/ingest/test', {
    turns: [
      { role: 'user', text: 'We watched the sunset at the beach', timestamp: at(0), id: 's1' },
      { role: 'assistant', text: 'The beach was so calm', timestamp: at(1), id: 's2' },
      { role: 'user', text: 'Tomorrow I start my new job', timestamp: at(2), id: 's3' },
    ],
  });
  const all = await call('GET', '/history/test');
  assert.deepEqual(all.body.items.map((i: { id: string }) => i.id), ['s1', 's2', 's3']);
  const beach = await call('GET', '/history/test?q=BEACH');
  assert.deepEqual(beach.body.items.map((i: { id: string }) => i.id), ['s1', 's2']);
  const both = await call('GET', `/history/test?q=${encodeURIComponent('beach  sunset')}`);
  assert.deepEqual(both.body.items.map((i: { id: string }) => i.id), ['s1']);
  const paged = await call('GET', '/history/test?q=beach&limit=1');
  assert.deepEqual(paged.body, { items: [paged.body.items[0]], next_before_id: 's2' });
  const rest = await call('GET', '/history/test?q=beach&limit=1&before_id=s2');
  assert.deepEqual(rest.body.items.map((i: { id: string }) => i.id), ['s1']);
  assert.equal((await call('GET', `/history/test?q=${'x'.repeat(501)}`)).status, 400);
});

test('/recent gives the window structured: the memo marked as summary, messages linked to their turns', async () => {
  const window = [
    { type: 'system', data: { content: '先前对话的备忘录: They talked about the beach.', additional_kwargs: { timestamp: at(3) }, response_metadata: {}, type: 'system', name: null, id: null } },
    { type: 'human', data: { content: 'Tomorrow I start my new job', additional_kwargs: { timestamp: at(2) }, response_metadata: {}, type: 'human', name: null, id: 's3', example: false } },
    { type: 'ai', data: { content: [{ type: 'text', text: '[20260501 Fri 09:04] Good luck!' }], additional_kwargs: {}, response_metadata: {}, type: 'ai', name: null, id: null, example: false } },
  ];
  writeFileSync(join(dataPaths(data.dir).memory, 'recent_test.json'), JSON.stringify(window));
  const recent = await call('GET', '/recent/test');
  assert.equal(recent.status, 200);
  assert.deepEqual(recent.body.items, [
    { position: 0, kind: 'summary', role: 'system', speaker: 'SYSTEM_MESSAGE', text: 'They talked about the beach.', id: null, timestamp: at(3) },
    { position: 1, kind: 'message', role: 'user', speaker: 'Brother', text: 'Tomorrow I start my new job', id: 's3', timestamp: at(2) },
    { position: 2, kind: 'message', role: 'assistant', speaker: 'test', text: 'Good luck!', id: null, timestamp: null },
  ]);
  assert.equal((await call('GET', '/recent/nobody')).status, 404);
  assert.equal((await call('GET', '/recent/a..b')).status, 400);
});

test('facts are corrected and forgotten by id; a turn id is not a fact', async () => {
  const stored = await call('POST', '/facts/test', { subject: '主人', key: 'job', value: 'starts a new job' });
  const id = stored.body.fact.id as string;
  const edited = await call('PATCH', `/facts/test/${id}`, { value: 'starts as a nurse on Monday' });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.fact.value, 'starts as a nurse on Monday');
  assert.equal((await call('GET', '/facts/test')).body.facts[0].value, 'starts as a nurse on Monday');
  assert.equal((await call('PATCH', `/facts/test/${id}`, { value: 42 })).status, 400);
  assert.equal((await call('PATCH', '/facts/test/s3', { value: 'x' })).status, 404, 'turn ids are not facts');
  assert.equal((await call('GET', '/history/test?q=job')).body.items[0].text, 'Tomorrow I start my new job');
  assert.equal((await call('DELETE', '/facts/test/s3')).status, 404);
  assert.deepEqual((await call('DELETE', `/facts/test/${id}`)).body, { status: 'forgotten', id });
  assert.deepEqual((await call('GET', '/facts/test')).body.facts, []);
  assert.equal((await call('DELETE', `/facts/test/${id}`)).status, 404);
});
