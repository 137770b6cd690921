import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import { dataPaths } from '../../shared/config/paths.js';
import { ConfigStore } from '../../shared/config/store.js';
import { startChatModelServer } from '../../../test/support/chat-model-server.js';
import { tempDataDir } from '../../../test/support/services.js';
import { MemoryService } from '../memory-service.js';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A toy embedding model that knows two concepts, so paraphrases meet where words do not. */
function embed(text: string): number[] {
  const t = text.toLowerCase();
  if (/cat|feline|kitten/.test(t)) return [1, 0.1, 0];
  if (/car|automobile|sedan/.test(t)) return [0, 1, 0.1];
  return [0.1, 0, 1];
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
