import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { dataPaths } from '../shared/config/paths.js';
import { ConfigStore } from '../shared/config/store.js';
import { customModelConfig, startChatModelServer, type ChatModelServer } from '../../test/support/chat-model-server.js';
import { tempDataDir } from '../../test/support/services.js';
import { MemoryService } from './memory-service.js';
import { messageText } from './window/langchain-messages.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const CHARACTER = 'test';

async function setup(core?: (model: ChatModelServer) => Record<string, unknown>): Promise<{ service: MemoryService; model: ChatModelServer; dir: string }> {
  const model = await startChatModelServer();
  const { dir, cleanup } = tempDataDir('neko-maint-');
  const paths = dataPaths(dir);
  mkdirSync(paths.config, { recursive: true });
  writeFileSync(join(paths.config, 'core_config.json'), JSON.stringify(core ? core(model) : customModelConfig(model.baseUrl)));
  const config = new ConfigStore(pino({ level: 'silent' }), { paths, env: {}, language: 'en' });
  const service = new MemoryService({ config, log: pino({ level: 'silent' }), env: {}, backoffMs: [1, 1] });
  cleanups.push(cleanup, () => model.close(), () => service.close());
  return { service, model, dir };
}

/** `n` user/assistant messages as main sends them (ids and timestamps), numbered from `start`. */
function batch(start: number, n: number): string {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      role: (start + i) % 2 === 0 ? 'user' : 'assistant',
      content: [{ type: 'text', text: `message ${start + i}` }],
      id: `m${start + i}`,
      timestamp: new Date(Date.UTC(2026, 10, 27, 10, 0, start + i)).toISOString(),
    })),
  );
}

const texts = (service: MemoryService) => service.windows.read(CHARACTER).map(messageText);

test('a window over 10 is folded into a memo plus the newest 9, with the summary model', async () => {
  const { service, model } = await setup();
  model.answer(() => ({ content: '```json\n{"summary": "we counted messages"}\n```' }));
  await service.receive(CHARACTER, batch(0, 12), 'process');
  await service.maintenance.idle(CHARACTER);
  const window = texts(service);
  assert.equal(window.length, 10);
  assert.equal(window[0], '先前对话的备忘录: we counted messages');
  assert.deepEqual(window.slice(1), Array.from({ length: 9 }, (_, i) => `message ${i + 3}`));
  const summaryCall = model.requests.find((r) => r.model === 'test-summary')!;
  assert.match(summaryCall.messages[1]!.content, /Brother \| message 0\ntest \| message 1\ntest \| message 2|message 0/);
});

test('when the summary model keeps failing, the originals stay and the next session end retries', async () => {
  const { service, model } = await setup();
  model.answer((r) => (r.model === 'test-summary' ? { status: 503 } : { content: 'not json' }));
  await service.receive(CHARACTER, batch(0, 12), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(texts(service), Array.from({ length: 12 }, (_, i) => `message ${i}`), 'nothing replaced by an empty summary');
  model.answer((r) => (r.model === 'test-summary' ? { content: 'no json at all' } : { status: 400 }));
  await service.receive(CHARACTER, batch(12, 1), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.equal(texts(service).length, 13, 'an unusable answer keeps the originals too');
  model.answer((r) => (r.model === 'test-summary' ? { content: '{"对话摘要": "original key works"}' } : { status: 400 }));
  await service.receive(CHARACTER, batch(13, 1), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.equal(texts(service)[0], '先前对话的备忘录: original key works');
  assert.equal(texts(service).length, 10);
  assert.equal(service.dbs.get(CHARACTER).turnCount(), 14, 'every turn is in the database regardless');
});

test('turns cached while a summary is being written are kept', async () => {
  const { service, model } = await setup();
  model.answer((r) => (r.model === 'test-summary' ? { content: '{"summary": "slow"}', delayMs: 300 } : { status: 400 }));
  await service.receive(CHARACTER, batch(0, 12), 'process');
  await new Promise((r) => setTimeout(r, 50));
  await service.receive(CHARACTER, batch(12, 2), 'cache');
  await service.maintenance.idle(CHARACTER);
  const window = texts(service);
  assert.equal(window[0], '先前对话的备忘录: slow');
  assert.deepEqual(window.slice(-2), ['message 12', 'message 13']);
  assert.equal(window.length, 12);
});

test('without any model the window is still bounded, by a local summary', async () => {
  const { service, model } = await setup(() => ({ coreApi: 'sim' }));
  await service.receive(CHARACTER, batch(0, 15), 'process');
  await service.maintenance.idle(CHARACTER);
  const window = texts(service);
  assert.equal(window.length, 10);
  assert.match(window[0]!, /^先前对话的备忘录: .*message 5/s);
  assert.equal(model.requests.length, 0);
});

test('the review rewrites the window; a cancelled or outdated review changes nothing', async () => {
  const { service, model } = await setup();
  model.answer((r) =>
    r.model === 'test-correction' ? { content: JSON.stringify({ notes: 'removed a line', conversation: [{ role: 'Brother', content: 'message 0 (clean)' }] }) } : { status: 400 },
  );
  await service.receive(CHARACTER, batch(0, 2), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(texts(service), ['message 0 (clean)']);
  assert.equal(service.windows.read(CHARACTER)[0]!.type, 'human');

  // Slow review, cancelled: window unchanged.
  model.answer((r) => (r.model === 'test-correction' ? { content: JSON.stringify({ conversation: [{ role: 'test', content: 'rewritten' }] }), delayMs: 400 } : { status: 400 }));
  void service.receive(CHARACTER, batch(2, 1), 'process');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await service.cancelCorrection(CHARACTER), 'cancelled');
  assert.deepEqual(texts(service), ['message 0 (clean)', 'message 2']);
  assert.equal(await service.cancelCorrection(CHARACTER), 'no_task');

  // Slow review while a /cache arrives: the review covers what it saw, the cached turn is kept after it.
  void service.receive(CHARACTER, batch(3, 1), 'process');
  await new Promise((r) => setTimeout(r, 100));
  await service.receive(CHARACTER, batch(4, 1), 'cache');
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(texts(service), ['rewritten', 'message 4']);

  // Slow review while the user edits the window by hand: the edit wins, the review result is dropped.
  void service.receive(CHARACTER, batch(5, 1), 'process');
  await new Promise((r) => setTimeout(r, 100));
  const edited = service.windows.read(CHARACTER).slice(1);
  service.windows.write(CHARACTER, edited);
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(texts(service), ['message 4', 'message 5']);
});

test('review is skipped when switched off in core_config.json', async () => {
  const { service, model } = await setup((m) => customModelConfig(m.baseUrl, { recent_memory_auto_review: false }));
  model.answer(() => ({ content: '{"summary": "s"}' }));
  await service.receive(CHARACTER, batch(0, 2), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.ok(!model.requests.some((r) => r.model === 'test-correction'));
});

test('each finished session gets a summary that recall can return', async () => {
  const { service, model } = await setup((m) => customModelConfig(m.baseUrl, { recent_memory_auto_review: false }));
  model.answer(() => ({ content: '{"summary": "They planned a picnic by the lake with sandwiches"}' }));
  await service.receive(CHARACTER, batch(0, 4), 'process');
  await service.maintenance.idle(CHARACTER);
  const results = await service.recall(CHARACTER, 'picnic lake', { k: 5 });
  assert.equal(results[0]?.kind, 'summary');
  assert.equal(results[0]?.text, 'They planned a picnic by the lake with sandwiches');
});

test('fact extraction is off by default; when on, a later session’s fact replaces an earlier one', async () => {
  const factsAnswer = (city: string) => JSON.stringify({ facts: [{ subject: 'Brother', key: 'city', value: city }, { subject: 'stranger', key: 'x', value: 'ignored' }] });
  let city = 'Paris';
  const answer = (r: { messages: Array<{ content: string }> }) =>
    r.messages[0]!.content.includes('lasting personal facts') ? { content: factsAnswer(city) } : { content: '{"summary": "s"}' };

  const off = await setup((m) => customModelConfig(m.baseUrl, { recent_memory_auto_review: false }));
  off.model.answer(answer);
  await off.service.receive(CHARACTER, batch(0, 2), 'process');
  await off.service.maintenance.idle(CHARACTER);
  assert.deepEqual(off.service.facts(CHARACTER), []);
  assert.ok(!off.model.requests.some((r) => r.messages[0]!.content.includes('lasting personal facts')));

  const { service, model } = await setup((m) => customModelConfig(m.baseUrl, { recent_memory_auto_review: false, memory_fact_extraction: true }));
  model.answer(answer);
  await service.receive(CHARACTER, batch(0, 2), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(service.facts(CHARACTER).map((f) => [f.subject, f.key, f.value]), [['Brother', 'city', 'Paris']]);
  city = 'Berlin';
  await service.receive(CHARACTER, batch(10, 2), 'process');
  await service.maintenance.idle(CHARACTER);
  assert.deepEqual(service.facts(CHARACTER).map((f) => [f.subject, f.key, f.value]), [['Brother', 'city', 'Berlin']]);
  assert.equal(service.settings(CHARACTER).Brother!.city, 'Berlin');
});
