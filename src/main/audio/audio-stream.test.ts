import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioStream } from './audio-stream.js';
import { float32ToPcm16, pcm16ToFloat32 } from './pcm.js';
import { rmsOf, sine } from './test-signals.js';

/** RMS of the last half of a stream's output for 2 s of a quiet 300 Hz tone in 10 ms chunks. */
async function settledLevel(stream: AudioStream, rate: number): Promise<number> {
  const pcm = float32ToPcm16(sine(300, rate, 2, 0.03));
  const chunk = (rate / 100) * 2;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < pcm.length; offset += chunk) parts.push(stream.process(pcm.subarray(offset, offset + chunk)));
  const out = pcm16ToFloat32(Buffer.concat(parts));
  return rmsOf(out, Math.floor(out.length / 2));
}

test('input streams level the microphone by default; output streams leave the voice alone', async () => {
  const quietRms = 0.03 / Math.SQRT2;
  const mic = await AudioStream.create({ kind: 'input', fromRate: 48_000, toRate: 16_000 });
  const leveled = await settledLevel(mic, 48_000);
  assert.ok(leveled > 0.2, `AGC raised the quiet microphone to RMS ${leveled}`);
  const voice = await AudioStream.create({ kind: 'output', fromRate: 24_000, toRate: 48_000 });
  assert.ok(Math.abs((await settledLevel(voice, 24_000)) - quietRms) < 0.001, 'voice level unchanged');
  const rawMic = await AudioStream.create({ kind: 'input', fromRate: 48_000, toRate: 16_000, agc: false });
  assert.ok(Math.abs((await settledLevel(rawMic, 48_000)) - quietRms) < 0.001, 'agc: false turns it off');
});

test('a bad chunk leaves the stream state untouched', async () => {
  const stream = await AudioStream.create({ kind: 'output', fromRate: 24_000, toRate: 48_000 });
  const reference = await AudioStream.create({ kind: 'output', fromRate: 24_000, toRate: 48_000 });
  const chunk = float32ToPcm16(sine(440, 24_000, 0.01));
  stream.process(chunk);
  reference.process(chunk);
  assert.throws(() => stream.process(Buffer.alloc(5)), /even number of bytes/);
  assert.deepEqual(stream.process(chunk), reference.process(chunk));
});
