import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { http, startService, tempDataDir } from './support/services.js';

const data = tempDataDir('neko-memkill-');
after(() => data.cleanup());

/** Every id the service stores for the character, paging back through /history. */
async function allIds(base: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let before: string | null = null;
  for (;;) {
    const page: { items: Array<{ id: string }>; next_before_id: string | null } = (await http(`${base}/history/test?limit=1000${before ? `&before_id=${encodeURIComponent(before)}` : ''}`)).body;
    for (const item of page.items) ids.add(item.id);
    if (!page.next_before_id) return ids;
    before = page.next_before_id;
  }
}

test('kill -9 in the middle of a stream of /ingest calls: every acknowledged turn is there after restart', async () => {
  const env = { NEKO_DATA_DIR: data.dir };
  const memory = await startService('memory', { env });
  const acknowledged: string[] = [];
  let stop = false;
  let failures = 0;
  // Four writers, each sending batches of 20 turns with their own ids, as fast as the service answers.
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let batch = 0; !stop; batch++) {
      const turns = Array.from({ length: 20 }, (_, i) => ({ id: `w${w}-b${batch}-t${i}`, role: i % 2 ? 'assistant' : 'user', text: `writer ${w} batch ${batch} turn ${i} about tea and biscuits` }));
      try {
        const res = await http(`${memory.url}/ingest/test`, { method: 'POST', json: { turns } });
        if (res.status === 200) acknowledged.push(...(res.body.ids as string[]));
      } catch {
        failures++;
        return;
      }
    }
  });
  await new Promise((r) => setTimeout(r, 600));
  await memory.kill();
  stop = true;
  await Promise.all(writers);
  assert.ok(acknowledged.length >= 200, `the stream was running (${acknowledged.length} acknowledged)`);
  assert.ok(failures > 0, 'the kill interrupted requests in flight');

  const restarted = await startService('memory', { env });
  try {
    const stored = await allIds(restarted.url);
    const missing = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged turns lost`);
    const search = await http(`${restarted.url}/recall/test?q=biscuits&k=3`);
    assert.equal(search.body.results.length, 3, 'the full-text index survived too');
  } finally {
    await restarted.stop();
  }
});
