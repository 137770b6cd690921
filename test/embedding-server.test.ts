// The bench's local embedding endpoint (bench/embedding-server.ts) with the real pretrained word vectors: the
// OpenAI embeddings protocol, batching, and sentences about the same thing closer than unrelated ones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmbeddingServer, type EmbeddingServer } from '../bench/embedding-server.js';

let server: EmbeddingServer;
before(async () => {
  server = await startEmbeddingServer();
});
after(() => server.close());

interface EmbeddingsAnswer {
  object: string;
  model: string;
  data: Array<{ object: string; index: number; embedding: number[] }>;
  usage: { prompt_tokens: number; total_tokens: number };
}

async function post(body: unknown): Promise<{ status: number; json: EmbeddingsAnswer & { error?: { message: string } } }> {
  const res = await fetch(`${server.baseUrl}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as EmbeddingsAnswer & { error?: { message: string } } };
}

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(cosine(a, a));

test('a batch gets one unit-length embedding per input, in order, in the OpenAI list shape', { timeout: 120_000 }, async () => {
  // The first request loads the 300 MB vectors file: the generous timeout is for that.
  const inputs = ['My cousin started a new job as a nurse.', 'What new job did my cousin get?', 'The cat slept on the rug all afternoon.'];
  const { status, json } = await post({ model: 'local-test', input: inputs });
  assert.equal(status, 200);
  assert.equal(json.object, 'list');
  assert.equal(json.model, 'local-test');
  assert.deepEqual(json.data.map((d) => [d.object, d.index]), [['embedding', 0], ['embedding', 1], ['embedding', 2]]);
  for (const d of json.data) {
    assert.equal(d.embedding.length, 100);
    assert.ok(Math.abs(norm(d.embedding) - 1) < 1e-4, `norm ${norm(d.embedding)}`);
  }
  assert.ok(json.usage.prompt_tokens > 0 && json.usage.total_tokens === json.usage.prompt_tokens);
  // A single string input is the same embedding as in a batch.
  const single = await post({ model: 'local-test', input: inputs[1] });
  assert.equal(single.json.data.length, 1);
  assert.ok(cosine(single.json.data[0]!.embedding, json.data[1]!.embedding) > 0.9999);
});

test('sentences about the same thing are closer than unrelated ones', { timeout: 120_000 }, async () => {
  const { json } = await post({
    input: ['The cat rested on the carpet.', 'The kitten slept on the rug.', 'Stock markets fell sharply after the interest rate decision.', 'My sister moved to Chicago last year.', 'Which city did my sister move to?'],
  });
  const [cat, kitten, stocks, moved, which] = json.data.map((d) => d.embedding) as [number[], number[], number[], number[], number[]];
  assert.ok(cosine(cat, kitten) > cosine(cat, stocks) + 0.1, `cat~kitten ${cosine(cat, kitten)} vs cat~stocks ${cosine(cat, stocks)}`);
  assert.ok(cosine(moved, which) > cosine(moved, kitten) + 0.1, `moved~which ${cosine(moved, which)} vs moved~kitten ${cosine(moved, kitten)}`);
  assert.ok(cosine(moved, which) > cosine(moved, stocks));
});

test('a text with no known English word (Chinese) gets the zero vector', { timeout: 120_000 }, async () => {
  const { status, json } = await post({ input: ['今天我和妈妈聊了工作。', 'the of and'] });
  assert.equal(status, 200);
  assert.ok(json.data[0]!.embedding.every((x) => x === 0));
  // Stop words only: nothing to embed either.
  assert.ok(json.data[1]!.embedding.every((x) => x === 0));
});

test('bad requests get a 400 with an OpenAI-style error, unknown paths a 404', { timeout: 120_000 }, async () => {
  for (const body of [{ input: [] }, { input: 42 }, { input: [1, 2] }, { model: 'x' }, 'not an object']) {
    const { status, json } = await post(body);
    assert.equal(status, 400, JSON.stringify(body));
    assert.match(json.error!.message, /input|object/);
  }
  const broken = await fetch(`${server.baseUrl}/embeddings`, { method: 'POST', body: '{not json' });
  assert.equal(broken.status, 400);
  const missing = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
  assert.equal(missing.status, 404);
});
