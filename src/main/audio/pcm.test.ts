import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FrameChunker,
  float32ToPcm16,
  frameSampleRate,
  int16ArrayToPcm16,
  pcm16Rms,
  pcm16ToFloat32,
  pcm16ToInt16,
  pcm16ToInt16Array,
  rms,
} from './pcm.js';
import { sine } from './test-signals.js';

test('int16 JSON samples round-trip through PCM16 LE bytes, extremes included', () => {
  const samples = [0, 1, -1, 32767, -32768, 1234, -4321];
  const bytes = int16ArrayToPcm16(samples);
  assert.equal(bytes.length, samples.length * 2);
  assert.equal(bytes.readInt16LE(6), 32767);
  assert.deepEqual(pcm16ToInt16Array(bytes), samples);
});

test('out-of-range and fractional JSON samples are clipped and rounded; non-numbers are refused', () => {
  assert.deepEqual(pcm16ToInt16Array(int16ArrayToPcm16([40000, -40000, 1.6, -1.6])), [32767, -32768, 2, -2]);
  assert.throws(() => int16ArrayToPcm16([1, Number.NaN]), /sample 1 is not a finite number/);
});

test('PCM16 → Float32 → PCM16 is exact', () => {
  const bytes = int16ArrayToPcm16([-32768, -1, 0, 1, 16384, 32767]);
  const floats = pcm16ToFloat32(bytes);
  assert.equal(floats[0], -1);
  assert.equal(floats[4], 0.5);
  assert.deepEqual(float32ToPcm16(floats), bytes);
});

test('Float32 → PCM16 clips instead of wrapping around', () => {
  assert.deepEqual(pcm16ToInt16Array(float32ToPcm16(new Float32Array([1.5, -2, 0.99999]))), [32767, -32768, 32767]);
});

test('an odd byte count is a clear error', () => {
  assert.throws(() => pcm16ToFloat32(Buffer.alloc(3)), /even number of bytes, got 3/);
});

test('a PCM16 view at an odd byte offset is read correctly', () => {
  const backing = Buffer.alloc(7);
  backing.writeInt16LE(-300, 1);
  backing.writeInt16LE(300, 3);
  backing.writeInt16LE(7, 5);
  assert.deepEqual(Array.from(pcm16ToInt16(backing.subarray(1))), [-300, 300, 7]);
});

test('RMS of a sine is amplitude / √2, on both scales', () => {
  const wave = sine(1000, 48_000, 0.1, 0.5);
  assert.ok(Math.abs(rms(wave) - 0.5 / Math.SQRT2) < 1e-4);
  assert.ok(Math.abs(pcm16Rms(float32ToPcm16(wave)) - (0.5 * 32768) / Math.SQRT2) < 5);
  assert.equal(rms(new Float32Array(0)), 0);
});

test('frame rate: explicit rate wins, else 480 samples = 48 kHz and anything else 16 kHz', () => {
  assert.equal(frameSampleRate(480), 48_000);
  assert.equal(frameSampleRate(512), 16_000);
  assert.equal(frameSampleRate(160), 16_000);
  assert.equal(frameSampleRate(480, 16_000), 16_000);
  assert.equal(frameSampleRate(512, 48_000), 48_000);
});

test('FrameChunker cuts a byte stream into fixed frames and keeps the remainder', () => {
  const chunker = new FrameChunker(4);
  const input = Buffer.from(Array.from({ length: 19 }, (_, i) => i));
  const frames = [...chunker.push(input.subarray(0, 3)), ...chunker.push(input.subarray(3, 10)), ...chunker.push(input.subarray(10))];
  assert.equal(frames.length, 4);
  assert.ok(frames.every((frame) => frame.length === 4));
  assert.deepEqual(Buffer.concat(frames), input.subarray(0, 16));
  assert.equal(chunker.pendingBytes, 3);
  assert.deepEqual(chunker.drain(), input.subarray(16));
  assert.equal(chunker.pendingBytes, 0);
  assert.throws(() => new FrameChunker(0), /positive integer/);
});
