import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatFloat32, createResampler, type ResamplerQuality, type StreamingResampler } from './resampler.js';
import { rmsOf, sine, zeroCrossings } from './test-signals.js';

/** Odd, uneven chunk sizes, cycled: nothing lines up with the 3:1 or 1:2 ratios. */
const ODD_CHUNKS = [1, 7, 160, 333, 479, 1024, 2];

function resampleInChunks(resampler: StreamingResampler, input: Float32Array, sizes: number[]): Float32Array {
  const parts: Float32Array[] = [];
  for (let offset = 0, n = 0; offset < input.length; n++) {
    const size = sizes[n % sizes.length]!;
    parts.push(resampler.process(input.subarray(offset, offset + size)));
    offset += size;
  }
  parts.push(resampler.flush());
  return concatFloat32(parts);
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Naive linear-interpolation resampling, the kind of converter that is NOT band-limited. */
function linearInterpolate(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const out = new Float32Array(Math.floor((input.length * toRate) / fromRate));
  for (let i = 0; i < out.length; i++) {
    const position = (i * fromRate) / toRate;
    const left = Math.floor(position);
    const fraction = position - left;
    out[i] = input[left]! * (1 - fraction) + (input[left + 1] ?? 0) * fraction;
  }
  return out;
}

test('streaming in odd chunk sizes gives the same audio as one block', async () => {
  const input = new Float32Array(48_000);
  const a = sine(440, 48_000, 1, 0.3);
  const b = sine(3100, 48_000, 1, 0.2);
  for (let i = 0; i < input.length; i++) input[i] = a[i]! + b[i]!;
  for (const [from, to] of [[48_000, 16_000], [24_000, 48_000], [22_050, 48_000]] as const) {
    const block = resampleInChunks(await createResampler(from, to), input, [input.length]);
    const chunked = resampleInChunks(await createResampler(from, to), input, ODD_CHUNKS);
    assert.equal(chunked.length, block.length, `${from}→${to} length`);
    assert.ok(maxAbsDifference(chunked, block) < 1e-4, `${from}→${to} differs by ${maxAbsDifference(chunked, block)}`);
  }
});

test('flush completes the stream: output length = input length × ratio', async () => {
  for (const [from, to] of [[48_000, 16_000], [24_000, 48_000], [16_000, 48_000], [22_050, 24_000], [22_050, 48_000]] as const) {
    const resampler = await createResampler(from, to);
    const out = resampleInChunks(resampler, sine(300, from, 0.37), [480]);
    assert.equal(out.length, Math.round((Math.round(from * 0.37) * to) / from), `${from}→${to}`);
  }
});

test('a 1 kHz sine through 48→16 kHz keeps its frequency and amplitude', async () => {
  const out = resampleInChunks(await createResampler(48_000, 16_000), sine(1000, 48_000, 1, 0.5), [480]);
  assert.equal(out.length, 16_000);
  const steady = out.subarray(1600, 14_400); // 0.8 s away from the edges
  const crossings = zeroCrossings(steady);
  assert.ok(Math.abs(crossings - 1600) <= 2, `zero crossings ${crossings}, expected 1600 for 1 kHz over 0.8 s`);
  const level = rmsOf(steady);
  assert.ok(Math.abs(level - 0.5 / Math.SQRT2) < 0.005, `RMS ${level}`);
});

test('48→16 kHz removes a 12 kHz tone (band-limited), where linear interpolation lets it alias to 4 kHz', async () => {
  const tone = sine(12_000, 48_000, 1, 0.5);
  const out = resampleInChunks(await createResampler(48_000, 16_000), tone, [480]);
  const leaked = rmsOf(out, 1600, 14_400);
  assert.ok(leaked < 0.5 / Math.SQRT2 / 1000, `12 kHz leaked at RMS ${leaked} (must be 60 dB down)`);
  // The same test catches a converter that merely interpolates.
  const aliased = rmsOf(linearInterpolate(tone, 48_000, 16_000), 1600, 14_400);
  assert.ok(aliased > 0.1, `linear interpolation should alias strongly, RMS ${aliased}`);
});

test('upsampling 24→48 kHz keeps a 5 kHz tone and adds no image at 19 kHz', async () => {
  const out = resampleInChunks(await createResampler(24_000, 48_000), sine(5000, 24_000, 1, 0.5), [480]);
  const steady = out.subarray(4800, 43_200);
  assert.ok(Math.abs(rmsOf(steady) - 0.5 / Math.SQRT2) < 0.005);
  assert.ok(Math.abs(zeroCrossings(steady) - 8000) <= 2, `zero crossings ${zeroCrossings(steady)}`);
});

test('reset clears the filter state', async () => {
  const resampler = await createResampler(24_000, 48_000);
  const loud = sine(440, 24_000, 0.05, 0.9);
  const silence = new Float32Array(480);
  resampler.process(loud);
  const tailWithoutReset = resampler.process(silence);
  assert.ok(rmsOf(tailWithoutReset) > 0.01, 'without reset the previous audio rings into the next chunk');
  resampler.process(loud);
  resampler.reset();
  const afterReset = resampler.process(silence);
  assert.equal(rmsOf(afterReset), 0);
  // And a reset stream behaves exactly like a new one.
  resampler.reset();
  const fresh = await createResampler(24_000, 48_000);
  assert.deepEqual(resampler.process(loud), fresh.process(loud));
});

test('same rate in and out passes audio through; bad rates are refused', async () => {
  const resampler = await createResampler(48_000, 48_000);
  const input = sine(440, 48_000, 0.01);
  assert.deepEqual(resampler.process(input), input);
  assert.equal(resampler.flush().length, 0);
  await assert.rejects(createResampler(0, 16_000), /fromRate must be an integer/);
  await assert.rejects(createResampler(48_000, 44_100.5), /toRate must be an integer/);
});

test('a destroyed resampler refuses work', async () => {
  const resampler = await createResampler(48_000, 16_000);
  resampler.destroy();
  assert.throws(() => resampler.process(new Float32Array(10)), /destroyed/);
});

test('the PCM16 entry point gives the same samples as the float one, chunk by chunk', async () => {
  const input = sine(700, 22_050, 0.3, 0.4);
  const asFloat = await createResampler(22_050, 48_000);
  const asPcm16 = await createResampler(22_050, 48_000);
  for (let offset = 0, n = 0; offset < input.length; n++) {
    const chunk = input.subarray(offset, offset + ODD_CHUNKS[n % ODD_CHUNKS.length]!);
    offset += chunk.length;
    const ints = Int16Array.from(chunk, (x) => Math.round(x * 32768));
    assert.deepEqual(Array.from(asPcm16.processPcm16(ints), (x) => x / 32768), Array.from(asFloat.process(chunk)));
  }
  assert.deepEqual(Array.from(asPcm16.flushPcm16(), (x) => x / 32768), Array.from(asFloat.flush()));
});

test('every quality level streams seamlessly and flushes to exactly input × ratio; bad levels are refused', async () => {
  const input = sine(440, 24_000, 0.2, 0.3);
  for (let quality = 1; quality <= 10; quality++) {
    const level = quality as ResamplerQuality;
    const block = resampleInChunks(await createResampler(24_000, 48_000, level), input, [input.length]);
    const chunked = resampleInChunks(await createResampler(24_000, 48_000, level), input, ODD_CHUNKS);
    assert.equal(block.length, 9600, `quality ${quality}`);
    assert.deepEqual(chunked, block, `quality ${quality}`);
  }
  await assert.rejects(createResampler(24_000, 48_000, 0 as ResamplerQuality), /quality must be an integer/);
  await assert.rejects(createResampler(24_000, 48_000, 11 as ResamplerQuality), /quality must be an integer/);
});

test('output is aligned with the input (no half-filter delay) and a flush starts a fresh stream', async () => {
  const resampler = await createResampler(24_000, 48_000);
  const impulse = new Float32Array(480);
  impulse[100] = 0.5;
  const out = resampleInChunks(resampler, impulse, [480]);
  let peak = 0;
  for (let i = 1; i < out.length; i++) if (Math.abs(out[i]!) > Math.abs(out[peak]!)) peak = i;
  assert.equal(peak, 200, 'input sample 100 at 24 kHz is output sample 200 at 48 kHz');
  // The flush reset the stream: the same input gives the same output again, and an idle flush is empty.
  assert.deepEqual(resampleInChunks(resampler, impulse, [480]), out);
  assert.equal(resampler.flush().length, 0);
});

test('loading the WASM converter leaves the process error handlers alone', () => {
  // Emscripten's runtime hooks both events in Node; speex-wasm.ts removes its hooks again. A fresh process,
  // because this one has loaded the converter already.
  const script = `
    const count = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
    const before = count();
    const { createResampler } = await import(${JSON.stringify(new URL('./resampler.ts', import.meta.url).href)});
    (await createResampler(16000, 24000)).destroy();
    console.log(JSON.stringify([before, count()]));`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(output), [0, 0]);
});
