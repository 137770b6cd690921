import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { dataPaths } from '../../shared/config/paths.js';
import { ConfigStore } from '../../shared/config/store.js';
import { customModelConfig, startChatModelServer, type ChatModelServer, type ChatRequest } from '../../../test/support/chat-model-server.js';
import { tempDataDir } from '../../../test/support/services.js';
import { MemoryService } from '../memory-service.js';
import type { RecallItem } from './recall.js';
import { answerIds, applyRanking, RERANK_CANDIDATES } from './rerank.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const CHARACTER = 'test';
const QUERY = 'what did we say about the lighthouse trip';

/** A memory service whose core_config.json is `core(model)`, talking to a scripted model over real HTTP. */
async function setup(core: (model: ChatModelServer) => Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<{ service: MemoryService; model: ChatModelServer }> {
  const model = await startChatModelServer();
  const { dir, cleanup } = tempDataDir('neko-rerank-');
  const paths = dataPaths(dir);
  mkdirSync(paths.config, { recursive: true });
  writeFileSync(join(paths.config, 'core_config.json'), JSON.stringify(core(model)));
  const log = pino({ level: 'silent' });
  const config = new ConfigStore(log, { paths, env, language: 'en' });
  const service = new MemoryService({ config, log, env });
  cleanups.push(cleanup, () => model.close(), () => service.close());
  return { service, model };
}

const withRerank = (model: ChatModelServer) => customModelConfig(model.baseUrl, { memory_rerank: true });

/** Turns that all match the query, with different strengths, so the fused order is a real ranking. */
function ingestLighthouse(service: MemoryService, n = 8, text = (i: number) => `turn ${i}: the lighthouse trip ${'was fun '.repeat(i % 3)}and we ${i % 2 ? 'said' : 'walked'} a lot`): string[] {
  return service.ingest(
    CHARACTER,
    Array.from({ length: n }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', text: text(i), id: `lh-${i}`, timestamp: new Date(Date.UTC(2026, 5, 1, 10, i)).toISOString() })),
  );
}

/** The candidate ids listed in a rerank prompt, in the order sent. */
function promptIds(req: ChatRequest): string[] {
  return [...req.messages[1]!.content.matchAll(/^\[([^\]]+)\] /gmu)].map((m) => m[1]!);
}

const ids = (items: readonly RecallItem[]) => items.map((i) => i.id);

test("the model's order is applied, and the prompt holds the question and the candidates' ids and texts", async () => {
  const { service, model } = await setup(withRerank);
  ingestLighthouse(service);
  const fused = await service.recall(CHARACTER, QUERY, { k: 5, rerank: false });
  assert.equal(model.requests.length, 0, 'rerank=false never asks the model');
  assert.ok(fused.length >= 5);
  // The model reverses what it is given.
  model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req).reverse() }) }));
  const { items, reranked } = await service.recallRanked(CHARACTER, QUERY, { k: 5 });
  assert.equal(reranked, true);
  assert.equal(model.requests.length, 1, 'one call per recall');
  const req = model.requests[0]!;
  assert.equal(req.model, 'test-summary');
  const sent = promptIds(req);
  assert.ok(sent.length > 5 && sent.length <= RERANK_CANDIDATES, 'more candidates than k are offered, up to the cap');
  assert.deepEqual(sent.slice(0, 5), ids(fused), 'candidates are sent in fused order');
  assert.match(req.messages[1]!.content, /what did we say about the lighthouse trip/);
  assert.match(req.messages[1]!.content, /\[lh-\d\] \(turn, .*\) turn \d: the lighthouse trip/);
  assert.deepEqual(ids(items), sent.reverse().slice(0, 5));
  const scores = items.map((i) => i.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'scores still descend');
});

test('ids the model leaves out follow the ranked ones in fused order; unknown and repeated ids are ignored', async () => {
  const { service, model } = await setup(withRerank);
  ingestLighthouse(service);
  const fused = await service.recall(CHARACTER, QUERY, { k: 6, rerank: false });
  model.answer(() => ({ content: `Sure!\n\`\`\`json\n{"ids": ["nope", "${fused[3]!.id}", "${fused[3]!.id}", "${fused[1]!.id}"]}\n\`\`\`` }));
  const { items, reranked } = await service.recallRanked(CHARACTER, QUERY, { k: 6 });
  assert.equal(reranked, true);
  assert.deepEqual(ids(items), [fused[3]!.id, fused[1]!.id, fused[0]!.id, fused[2]!.id, fused[4]!.id, fused[5]!.id]);
});

test('the prompt is capped, and turn texts come back verbatim however long', async () => {
  const { service, model } = await setup(withRerank);
  const long = (i: number) => `turn ${i} about the lighthouse trip. ${'A long winding story about waves and gulls. '.repeat(60)}end ${i}`;
  ingestLighthouse(service, 30, long);
  model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req).reverse() }) }));
  const { items, reranked } = await service.recallRanked(CHARACTER, QUERY, { k: 10 });
  assert.equal(reranked, true);
  const content = model.requests[0]!.messages[1]!.content;
  assert.ok(content.length <= 9000, `prompt of ${content.length} chars`);
  assert.ok(promptIds(model.requests[0]!).length <= RERANK_CANDIDATES);
  assert.ok(!content.includes('end 0') && !content.includes('end 1'), 'each text is clipped');
  for (const item of items) {
    assert.equal(item.kind, 'turn');
    assert.equal(item.text, long(Number(item.id.slice(3))), 'the stored text, not the clipped one');
  }
  const huge = 'lighthouse '.repeat(1000);
  await service.recallRanked(CHARACTER, huge, { k: 3 });
  assert.ok(model.requests[1]!.messages[1]!.content.length <= 9000, 'a long question is clipped too');
});

const reversed = (req: ChatRequest) => JSON.stringify({ ids: promptIds(req).reverse() });
for (const [name, answer] of [
  // A good answer, but too late (the limit is 1.5 s).
  ['a timeout', (req: ChatRequest) => ({ content: reversed(req), delayMs: 2500 })],
  ['an HTTP 500', (req: ChatRequest) => ({ content: reversed(req), status: 500 })],
  ['a non-JSON answer', () => ({ content: 'The most relevant is the first one.' })],
  ['an answer with only unknown ids', () => ({ content: '{"ids": ["x1", "x2"]}' })],
  ['an answer of the wrong shape', () => ({ content: '{"ids": "lh-1"}' })],
] as const) {
  test(`${name} leaves the fused order`, async () => {
    const { service, model } = await setup(withRerank);
    ingestLighthouse(service);
    const fused = await service.recall(CHARACTER, QUERY, { k: 5, rerank: false });
    model.answer(answer);
    const { items, reranked } = await service.recallRanked(CHARACTER, QUERY, { k: 5 });
    assert.equal(model.requests.length, 1, 'the model was asked once, without retries');
    assert.equal(reranked, false);
    assert.deepEqual(items, fused);
  });
}

test('off by default: no request reaches the model, even with one configured', async () => {
  const { service, model } = await setup((m) => customModelConfig(m.baseUrl));
  ingestLighthouse(service);
  const { reranked } = await service.recallRanked(CHARACTER, QUERY, { k: 5 });
  await service.searchText(CHARACTER, QUERY);
  assert.equal(reranked, false);
  assert.equal(model.requests.length, 0);
  // Forced on for one request, it runs.
  model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req) }) }));
  assert.equal((await service.recallRanked(CHARACTER, QUERY, { k: 5, rerank: true })).reranked, true);
  assert.equal(model.requests.length, 1);
});

test('env NEKO_MEMORY_RERANK overrides the setting either way', async () => {
  const on = await setup((m) => customModelConfig(m.baseUrl), { NEKO_MEMORY_RERANK: '1' });
  ingestLighthouse(on.service);
  on.model.answer((req) => ({ content: JSON.stringify({ ids: promptIds(req) }) }));
  assert.equal((await on.service.recallRanked(CHARACTER, QUERY, { k: 5 })).reranked, true);
  const off = await setup(withRerank, { NEKO_MEMORY_RERANK: '0' });
  ingestLighthouse(off.service);
  assert.equal((await off.service.recallRanked(CHARACTER, QUERY, { k: 5 })).reranked, false);
  assert.equal(off.model.requests.length, 0);
});

test('with the offline sim assist provider the model is never called', async () => {
  // Custom model fields are present but switched off: the sim provider is in charge, and it cannot rerank.
  const { service, model } = await setup((m) => ({ ...customModelConfig(m.baseUrl, { memory_rerank: true }), enableCustomApi: false }));
  ingestLighthouse(service);
  const fused = await service.recall(CHARACTER, QUERY, { k: 5, rerank: false });
  const forced = await service.recallRanked(CHARACTER, QUERY, { k: 5, rerank: true });
  assert.equal(forced.reranked, false);
  assert.deepEqual(forced.items, fused);
  assert.equal(model.requests.length, 0);
});

test('baseline (bm25Only) recall is never reranked', async () => {
  const { service, model } = await setup(withRerank);
  ingestLighthouse(service);
  assert.equal((await service.recallRanked(CHARACTER, QUERY, { k: 5, bm25Only: true })).reranked, false);
  assert.equal(model.requests.length, 0);
});

test('answer parsing and ranking rules', () => {
  assert.deepEqual(answerIds('{"ids": ["a", 2]}'), ['a', '2']);
  assert.deepEqual(answerIds('```json\n["b", "a"]\n```'), ['b', 'a']);
  assert.equal(answerIds('no idea'), undefined);
  assert.equal(answerIds('{"ids": "a"}'), undefined);
  const item = (id: string, score: number): RecallItem => ({ id, text: id, role: 'user', speaker: 'u', timestamp: '2026-01-01T00:00:00.000Z', score, kind: 'turn' });
  const items = [item('a', 3), item('b', 2), item('c', 1)];
  assert.deepEqual(applyRanking(items, ['c', 'zz', 'c'])?.map((i) => [i.id, i.score]), [['c', 3], ['a', 2], ['b', 1]]);
  assert.equal(applyRanking(items, ['zz']), undefined);
  assert.equal(applyRanking(items, []), undefined);
});
