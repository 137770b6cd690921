import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutomaticGainControl, DEFAULT_AGC_OPTIONS, softLimit } from './agc.js';
import { rmsOf, sine } from './test-signals.js';

const RATE = 48_000;
const LIMIT = DEFAULT_AGC_OPTIONS.limiterThreshold + DEFAULT_AGC_OPTIONS.limiterKnee;

function processInChunks(agc: AutomaticGainControl, input: Float32Array, chunk: number): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i += chunk) out.set(agc.process(input.subarray(i, i + chunk)), i);
  return out;
}

test('a quiet voice is raised towards the target RMS', () => {
  const quiet = sine(300, RATE, 3, 0.03); // RMS 0.021, above the noise floor
  const out = processInChunks(new AutomaticGainControl(RATE), quiet, 480);
  const settled = rmsOf(out, out.length - RATE / 2);
  assert.ok(Math.abs(settled - DEFAULT_AGC_OPTIONS.targetRms) < 0.025, `settled RMS ${settled}`);
});

test('a loud voice is lowered towards the target RMS', () => {
  const loud = sine(300, RATE, 1, 0.8); // RMS 0.57
  const out = processInChunks(new AutomaticGainControl(RATE), loud, 480);
  const settled = rmsOf(out, out.length - RATE / 4);
  assert.ok(Math.abs(settled - DEFAULT_AGC_OPTIONS.targetRms) < 0.025, `settled RMS ${settled}`);
});

test('a sudden loud burst after a quiet stretch never exceeds threshold + knee (1.0)', () => {
  const agc = new AutomaticGainControl(RATE);
  agc.process(sine(300, RATE, 2, 0.025)); // RMS 0.018: gain climbs to ~14×
  assert.ok(agc.gain > 10, `gain after quiet stretch ${agc.gain}`);
  const burst = agc.process(sine(300, RATE, 0.5, 1));
  let peak = 0;
  for (const sample of burst) peak = Math.max(peak, Math.abs(sample));
  assert.ok(peak > 0.95, `the limiter was exercised (peak ${peak})`);
  assert.ok(peak <= LIMIT, `peak ${peak} must not exceed ${LIMIT}`);
});

test('input below the noise floor holds the gain instead of amplifying noise', () => {
  const agc = new AutomaticGainControl(RATE);
  agc.process(sine(300, RATE, 1, 0.01)); // RMS 0.007 < 0.015
  assert.equal(agc.gain, 1);
});

test('gain is clamped to the configured range', () => {
  const agc = new AutomaticGainControl(RATE, { noiseFloor: 0.001 });
  agc.process(sine(300, RATE, 4, 0.005)); // would need 70×
  assert.ok(agc.gain <= DEFAULT_AGC_OPTIONS.maxGain && agc.gain > DEFAULT_AGC_OPTIONS.maxGain * 0.99, `gain ${agc.gain}`);
  const loud = new AutomaticGainControl(RATE, { targetRms: 0.01 });
  loud.process(sine(300, RATE, 1, 0.9)); // would need 0.016×
  assert.ok(loud.gain >= DEFAULT_AGC_OPTIONS.minGain && loud.gain < DEFAULT_AGC_OPTIONS.minGain * 1.01, `gain ${loud.gain}`);
});

test('results do not depend on chunk size', () => {
  const input = sine(440, RATE, 1, 0.05);
  const whole = new AutomaticGainControl(RATE).process(input);
  const chunked = processInChunks(new AutomaticGainControl(RATE), input, 333);
  assert.deepEqual(chunked, whole);
});

test('reset returns to unity gain', () => {
  const agc = new AutomaticGainControl(RATE);
  agc.process(sine(300, RATE, 1, 0.03));
  assert.notEqual(agc.gain, 1);
  agc.reset();
  assert.equal(agc.gain, 1);
  const fresh = new AutomaticGainControl(RATE).process(sine(300, RATE, 0.1, 0.03));
  assert.deepEqual(agc.process(sine(300, RATE, 0.1, 0.03)), fresh);
});

test('soft limiter: identity below the knee, continuous, monotonic, bounded', () => {
  const { limiterThreshold: threshold, limiterKnee: knee } = DEFAULT_AGC_OPTIONS;
  assert.equal(softLimit(0.5, threshold, knee), 0.5);
  assert.equal(softLimit(-0.9, threshold, knee), -0.9);
  assert.ok(Math.abs(softLimit(0.9001, threshold, knee) - 0.9001) < 1e-6);
  let previous = -Infinity;
  for (let x = 0; x < 50; x += 0.01) {
    const y = softLimit(x, threshold, knee);
    assert.ok(y >= previous && y <= threshold + knee, `x=${x} y=${y}`);
    assert.equal(softLimit(-x, threshold, knee), -y);
    previous = y;
  }
});
