import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import { dataPaths } from '../../shared/config/paths.js';
import { ConfigStore } from '../../shared/config/store.js';
import { startChatModelServer } from '../../../test/support/chat-model-server.js';
import { tempDataDir } from '../../../test/support/services.js';
import { MemoryService } from '../memory-service.js';
import { recall } from './recall.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/**
 * A toy English-only embedding model that knows three concepts, so paraphrases meet where words do not; texts
 * with none of its words (Chinese here) get the zero vector, as with real word-vector models.
 */
function embed(text: string): number[] {
  const t = text.toLowerCase();
  if (/cat|feline|kitten/.test(t)) return [1, 0.1, 0];
  if (/car|automobile|sedan/.test(t)) return [0, 1, 0.1];
  if (/walk|sunny|day/.test(t)) return [0.1, 0, 1];
  return [0, 0, 0];
}

async function service(withEmbeddings: boolean): Promise<MemoryService> {
  const model = await startChatModelServer(undefined, embed);
  const { dir, cleanup } = tempDataDir('neko-dense-');
  const log = pino({ level: 'silent' });
  const env = withEmbeddings ? { NEKO_EMBEDDING_URL: model.baseUrl, NEKO_EMBEDDING_MODEL: 'toy-embed' } : {};
  const config = new ConfigStore(log, { paths: dataPaths(dir), env, language: 'en' });
  const s = new MemoryService({ config, log, env });
  cleanups.push(cleanup, () => model.close(), () => s.close());
  return s;
}

const turns = [
  { role: 'user' as const, text: 'I adopted a small feline last spring, she is grey', id: 'pet' },
  { role: 'user' as const, text: 'My sedan broke down on the highway', id: 'vehicle' },
  { role: 'user' as const, text: 'What a sunny day for a walk', id: 'weather' },
];

test('with an embedding endpoint, recall finds a paraphrase that shares no word with the question', async () => {
  const s = await service(true);
  s.ingest('test', turns);
  await s.dense.idle('test');
  const results = await s.recall('test', 'tell me about my cat', { k: 3 });
  assert.equal(results[0]?.id, 'pet');
  const car = await s.recall('test', 'problems with the automobile', { k: 3 });
  assert.equal(car[0]?.id, 'vehicle');
  // Forgetting removes the vector too: the paraphrase no longer finds it.
  await s.forgetItem('test', 'pet');
  assert.ok(!(await s.recall('test', 'tell me about my cat', { k: 3 })).some((r) => r.id === 'pet'));
});

test('without one, the same question finds nothing (full text alone)', async () => {
  const s = await service(false);
  s.ingest('test', turns);
  assert.deepEqual(await s.recall('test', 'tell me about my cat', { k: 3 }), []);
});

const mixedTurns = [
  { role: 'user' as const, text: '今天我和妈妈聊了工作。', id: 'zh-work' },
  { role: 'user' as const, text: '我的猫今天很乖。', id: 'zh-cat' },
  { role: 'user' as const, text: 'I adopted a small feline last spring, she is grey', id: 'pet' },
  { role: 'user' as const, text: 'My sedan broke down on the highway', id: 'vehicle' },
  { role: 'user' as const, text: 'What a sunny day for a walk', id: 'weather' },
];

test('turns the model has no vector for (zero vectors) are not ranked ahead of real neighbours', async () => {
  const s = await service(true);
  s.ingest('test', mixedTurns);
  await s.dense.idle('test');
  // Zero vectors have no cosine distance; they must not surface as the "nearest" turns of an English question.
  const nearest = await s.dense.nearest('test', 'tell me about my cat', 10);
  const zeroSeqs = ['zh-work', 'zh-cat'].map((id) => s.dbs.get('test').turn(id)!.seq);
  assert.equal(nearest?.[0], s.dbs.get('test').turn('pet')!.seq);
  assert.ok(!(nearest ?? []).some((seq) => zeroSeqs.includes(seq)), 'a zero-vector turn counted as a neighbour');
  const results = await s.recall('test', 'tell me about my cat', { k: 3 });
  assert.equal(results[0]?.id, 'pet');
  assert.ok(!results.some((r) => r.id.startsWith('zh-')), `zero-vector turns returned: ${results.map((r) => r.id).join(', ')}`);
});

test('a question whose vector is zero is answered by full text alone, exactly as without an embedding endpoint', async () => {
  const s = await service(true);
  s.ingest('test', mixedTurns);
  await s.dense.idle('test');
  assert.equal(await s.dense.nearest('test', '我的猫', 10), undefined);
  const withEndpoint = await s.recall('test', '我的猫', { k: 5 });
  const fullTextOnly = recall(s.dbs.get('test'), '我的猫', { k: 5 });
  assert.deepEqual(withEndpoint, fullTextOnly);
  assert.equal(withEndpoint[0]?.id, 'zh-cat');
});
