import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecallResultSchema } from '../src/shared/protocol/memory.js';
import { customModelConfig, startChatModelServer, type ChatModelServer, type ChatRequest } from './support/chat-model-server.js';
import { http, startService, tempDataDir, type RunningService } from './support/services.js';

/** The real memory process, its assist model a scripted OpenAI-compatible server: GET /recall with and without rerank. */
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function start(core: (model: ChatModelServer) => Record<string, unknown> | undefined): Promise<{ memory: RunningService; model: ChatModelServer }> {
  const model = await startChatModelServer();
  const data = tempDataDir('neko-rerank-routes-');
  const config = core(model);
  if (config) {
    mkdirSync(join(data.dir, 'config'), { recursive: true });
    writeFileSync(join(data.dir, 'config', 'core_config.json'), JSON.stringify(config));
  }
  const memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en', NEKO_MEMORY_RERANK: undefined } });
  cleanups.push(data.cleanup, () => model.close(), () => memory.kill());
  const turns = Array.from({ length: 8 }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    text: `note ${i}: the garden party ${'was lovely '.repeat(i % 3)}with ${i % 2 ? 'lanterns' : 'cake'}`,
    id: `gp-${i}`,
    timestamp: new Date(Date.UTC(2026, 6, 1, 18, i)).toISOString(),
  }));
  assert.equal((await http(`${memory.url}/ingest/test`, { method: 'POST', json: { turns } })).status, 200);
  return { memory, model };
}

const promptIds = (req: ChatRequest) => [...req.messages[1]!.content.matchAll(/^\[([^\]]+)\] /gmu)].map((m) => m[1]!);
const Q = encodeURIComponent('tell me about the garden party');

async function recallBody(memory: RunningService, query: string) {
  const res = await http(`${memory.url}/recall/test?q=${Q}&k=5${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return RecallResultSchema.parse(res.body);
}

test('GET /recall: off by default, ?rerank=1 applies the model order, ?rerank=0 and bad values', async () => {
  const { memory, model } = await start((m) => customModelConfig(m.baseUrl));
  model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req).reverse() }) }));
  const fused = await recallBody(memory, '');
  assert.equal(fused.reranked, false);
  assert.equal(model.requests.length, 0, 'no request reaches the model by default');
  assert.ok(fused.results.length === 5);

  const forced = await recallBody(memory, '&rerank=1');
  assert.equal(forced.reranked, true);
  assert.equal(model.requests.length, 1);
  const sent = promptIds(model.requests[0]!);
  assert.match(model.requests[0]!.messages[1]!.content, /tell me about the garden party/);
  assert.deepEqual(forced.results.map((r) => r.id), [...sent].reverse().slice(0, 5));
  for (const r of forced.results) assert.match(r.text, /^note \d: the garden party/, 'turn text verbatim');

  assert.deepEqual(await recallBody(memory, '&rerank=0'), fused);
  assert.equal(model.requests.length, 1);
  assert.equal((await http(`${memory.url}/recall/test?q=${Q}&rerank=maybe`)).status, 400);
});

test('GET /recall with memory_rerank on: reranked by default, ?rerank=0 opts out, a failing model leaves the fused order', async () => {
  const { memory, model } = await start((m) => customModelConfig(m.baseUrl, { memory_rerank: true }));
  const fused = await recallBody(memory, '&rerank=0');
  assert.equal(fused.reranked, false);
  assert.equal(model.requests.length, 0, 'rerank=0 never asks the model');

  model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req).reverse() }) }));
  const ranked = await recallBody(memory, '');
  assert.equal(ranked.reranked, true);
  assert.notDeepEqual(ranked.results.map((r) => r.id), fused.results.map((r) => r.id));

  model.answer(() => ({ status: 500 }));
  assert.deepEqual(await recallBody(memory, ''), fused);
  model.answer(() => ({ content: 'not json at all' }));
  assert.deepEqual(await recallBody(memory, ''), fused);
  assert.equal(model.requests.length, 3);
  assert.ok(memory.logs.some((l) => l.event === 'memory_rerank_failed'), 'the failure is logged');

  // The compatible search route goes through the same recall.
  const before = model.requests.length;
  assert.equal((await http(`${memory.url}/search_for_memory/test/${Q}`)).status, 200);
  assert.equal(model.requests.length, before + 1);
});

test('GET /recall?rerank=1 without a usable assist model (offline sim): fused order, no call', async () => {
  const { memory, model } = await start((m) => ({ ...customModelConfig(m.baseUrl, { memory_rerank: true }), enableCustomApi: false }));
  const fused = await recallBody(memory, '&rerank=0');
  const forced = await recallBody(memory, '&rerank=1');
  assert.equal(forced.reranked, false);
  assert.deepEqual(forced, fused);
  assert.equal(model.requests.length, 0);
});
