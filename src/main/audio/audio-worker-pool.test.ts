import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioStream, type AudioStreamSpec } from './audio-stream.js';
import { AudioWorkerPool } from './audio-worker-pool.js';
import { float32ToPcm16 } from './pcm.js';
import { sine } from './test-signals.js';

const INPUT_SPEC: AudioStreamSpec = { kind: 'input', fromRate: 48_000, toRate: 16_000 };
const OUTPUT_SPEC: AudioStreamSpec = { kind: 'output', fromRate: 24_000, toRate: 48_000 };

/** PCM16 chunks of a tone, `samples` long each. */
function toneChunks(frequency: number, rate: number, count: number, samples: number): Buffer[] {
  const pcm = float32ToPcm16(sine(frequency, rate, (count * samples) / rate, 0.1));
  return Array.from({ length: count }, (_, i) => pcm.subarray(i * samples * 2, (i + 1) * samples * 2));
}

/** What the same chain produces in this thread: the reference the worker must match byte for byte. */
async function inProcess(spec: AudioStreamSpec, chunks: Buffer[]): Promise<Buffer> {
  const stream = await AudioStream.create(spec);
  const out = Buffer.concat([...chunks.map((chunk) => stream.process(chunk)), stream.flush()]);
  stream.destroy();
  return out;
}

test('chunks sent without waiting come back in order for each stream, and streams do not mix', async (t) => {
  const pool = new AudioWorkerPool(2);
  t.after(() => pool.terminate());
  const mic = toneChunks(700, 48_000, 40, 480);
  const voice = toneChunks(300, 24_000, 40, 480);
  await Promise.all([pool.open('mic', INPUT_SPEC), pool.open('voice', OUTPUT_SPEC)]);
  assert.deepEqual(pool.load, [1, 1], 'two streams on two workers');
  const micOut: Promise<Buffer>[] = [];
  const voiceOut: Promise<Buffer>[] = [];
  for (let i = 0; i < mic.length; i++) {
    micOut.push(pool.process('mic', mic[i]!));
    voiceOut.push(pool.process('voice', voice[i]!));
  }
  const micBytes = Buffer.concat([...(await Promise.all(micOut)), await pool.flush('mic')]);
  const voiceBytes = Buffer.concat([...(await Promise.all(voiceOut)), await pool.flush('voice')]);
  assert.deepEqual(micBytes, await inProcess(INPUT_SPEC, mic));
  assert.deepEqual(voiceBytes, await inProcess(OUTPUT_SPEC, voice));
});

test('two streams sharing one worker keep separate state', async (t) => {
  const pool = new AudioWorkerPool(1);
  t.after(() => pool.terminate());
  const a = toneChunks(500, 24_000, 20, 240);
  const b = toneChunks(2000, 24_000, 20, 240);
  await pool.open('a', OUTPUT_SPEC);
  await pool.open('b', OUTPUT_SPEC);
  assert.deepEqual(pool.load, [2]);
  const outA: Promise<Buffer>[] = [];
  const outB: Promise<Buffer>[] = [];
  for (let i = 0; i < a.length; i++) {
    outA.push(pool.process('a', a[i]!));
    outB.push(pool.process('b', b[i]!));
  }
  assert.deepEqual(Buffer.concat([...(await Promise.all(outA)), await pool.flush('a')]), await inProcess(OUTPUT_SPEC, a));
  assert.deepEqual(Buffer.concat([...(await Promise.all(outB)), await pool.flush('b')]), await inProcess(OUTPUT_SPEC, b));
});

test('an odd-length chunk is a clear error and the stream stays usable and unharmed', async (t) => {
  const pool = new AudioWorkerPool(1);
  t.after(() => pool.terminate());
  const chunks = toneChunks(440, 48_000, 6, 480);
  await pool.open('mic', INPUT_SPEC);
  const outputs: Buffer[] = [];
  for (const [i, chunk] of chunks.entries()) {
    if (i === 3) await assert.rejects(pool.process('mic', Buffer.alloc(481)), /even number of bytes, got 481/);
    outputs.push(await pool.process('mic', chunk));
  }
  outputs.push(await pool.flush('mic'));
  assert.deepEqual(Buffer.concat(outputs), await inProcess(INPUT_SPEC, chunks));
});

test('reset through the pool drops state like a fresh stream', async (t) => {
  const pool = new AudioWorkerPool(1);
  t.after(() => pool.terminate());
  const chunks = toneChunks(440, 24_000, 4, 480);
  await pool.open('voice', OUTPUT_SPEC);
  await pool.process('voice', chunks[0]!);
  await pool.reset('voice');
  const afterReset = await pool.process('voice', chunks[1]!);
  const fresh = await AudioStream.create(OUTPUT_SPEC);
  assert.deepEqual(afterReset, fresh.process(chunks[1]!));
});

test('unknown, duplicate and closed streams are refused', async (t) => {
  const pool = new AudioWorkerPool(1);
  t.after(() => pool.terminate());
  await assert.rejects(pool.process('nope', Buffer.alloc(2)), /no open audio stream "nope"/);
  await pool.open('x', OUTPUT_SPEC);
  await assert.rejects(pool.open('x', OUTPUT_SPEC), /already open/);
  await pool.close('x');
  assert.deepEqual(pool.load, [0]);
  await assert.rejects(pool.process('x', Buffer.alloc(2)), /no open audio stream "x"/);
  await assert.rejects(pool.open('bad', { kind: 'output', fromRate: 0, toRate: 48_000 }), /fromRate must be an integer/);
  assert.deepEqual(pool.load, [0], 'a failed open does not count as a stream');
});

test('terminate stops the workers, rejects what was pending and refuses new work', async () => {
  const pool = new AudioWorkerPool(2);
  await pool.open('a', OUTPUT_SPEC);
  await pool.open('b', INPUT_SPEC);
  const pending = pool.process('a', toneChunks(440, 24_000, 1, 24_000)[0]!);
  const settled = pending.then(
    () => 'resolved',
    (error: Error) => error.message,
  );
  await pool.terminate();
  const outcome = await settled;
  assert.ok(outcome === 'resolved' || /terminated/.test(outcome), `pending request ended with: ${outcome}`);
  assert.deepEqual(pool.load, []);
  await assert.rejects(pool.process('a', Buffer.alloc(2)), /terminated/);
  await assert.rejects(pool.open('c', OUTPUT_SPEC), /terminated/);
  await pool.terminate(); // idempotent
});
