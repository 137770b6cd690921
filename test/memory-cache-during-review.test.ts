import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { customModelConfig, startChatModelServer } from './support/chat-model-server.js';
import { http, startService, tempDataDir, waitFor } from './support/services.js';

const data = tempDataDir('neko-memreview-');
after(() => data.cleanup());

function message(id: string, role: 'user' | 'assistant', text: string) {
  return { role, content: [{ type: 'text', text }], id, timestamp: new Date().toISOString() };
}

test('/cache calls that arrive during a slow compression and review lose no turn (window and database)', async () => {
  const model = await startChatModelServer((r) =>
    r.model === 'test-summary'
      ? { content: '{"summary": "earlier chat"}', delayMs: 300 }
      : { content: JSON.stringify({ conversation: [{ role: 'SYSTEM_MESSAGE', content: '先前对话的备忘录: earlier chat' }, { role: 'Brother', content: 'reviewed' }] }), delayMs: 300 },
  );
  mkdirSync(join(data.dir, 'config'), { recursive: true });
  writeFileSync(join(data.dir, 'config', 'core_config.json'), JSON.stringify(customModelConfig(model.baseUrl)));
  const memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir, NEKO_MEMORY_MODEL_BACKOFF_MS: '1,1' } });
  try {
    const first = Array.from({ length: 12 }, (_, i) => message(`p${i}`, i % 2 ? 'assistant' : 'user', `first session ${i}`));
    assert.equal((await http(`${memory.url}/process/test`, { method: 'POST', json: { input_history: JSON.stringify(first) } })).body.status, 'processed');
    // While the summary and then the review run, a new session keeps caching turns.
    const cached: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `c${i}`;
      const res = await http(`${memory.url}/cache/test`, { method: 'POST', json: { input_history: JSON.stringify([message(id, i % 2 ? 'assistant' : 'user', `second session ${i}`)]) } });
      assert.equal(res.body.status, 'cached');
      cached.push(id);
      await new Promise((r) => setTimeout(r, 40));
    }
    await waitFor('the review to start', () => model.requests.some((r) => r.model === 'test-correction'), 5000);
    await new Promise((r) => setTimeout(r, 800));

    const window = JSON.parse(readFileSync(join(data.dir, 'memory', 'recent_test.json'), 'utf8')) as Array<{ data: { id: string | null; content: unknown } }>;
    assert.ok(window.some((m) => m.data.content === 'reviewed'), 'the review was applied (the race really happened)');
    const inWindow = new Set(window.map((m) => m.data.id));
    const lateCached = cached.filter((id) => !inWindow.has(id));
    // Turns cached before the review snapshot may have been rewritten by it; the ones after must all be there.
    const history = (await http(`${memory.url}/history/test?limit=1000`)).body.items.map((i: { id: string }) => i.id);
    assert.deepEqual(history, [...first.map((m) => m.id), ...cached], 'every turn is in the database, once, in order');
    assert.ok(window.length >= 2, JSON.stringify(window));
    assert.ok(inWindow.has('c19'), 'the last cached turn is in the window');
    // Everything cached after the review started is still in the window, in order, after the reviewed part.
    const tail = window.map((m) => m.data.id).filter((id): id is string => id !== null && id.startsWith('c'));
    assert.deepEqual(tail, cached.slice(cached.length - tail.length), `window tail ${tail.join(',')} (missing ${lateCached.join(',')})`);
  } finally {
    await memory.stop();
    await model.close();
  }
});
