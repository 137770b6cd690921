/**
 * Audio path benchmark: speed of the two hot conversions (provider voice 24→48 kHz, microphone 48→16 kHz
 * with AGC) in this thread and through the worker pool, and the quality of our 24→48 kHz converter
 * next to sox's very-high-quality `rate -v`.
 *
 * Quality method: the speech-like test signal is computed analytically at 24 kHz (quantised to PCM16,
 * as providers send it) and at 48 kHz (the ideal reference). Both converters resample the same PCM16
 * input; each output (float, no dither) is compared with the ideal reference after removing any constant
 * delay, which gives two SNRs on the same scale. Both are bounded by the PCM16 quantisation of the input
 * (~80 dB for this signal), so "within 3 dB of sox" means our converter adds no audible error of its own.
 * Ours is also quantised to PCM16 on the way out (the WASM converter's native format, and what the browser
 * receives anyway); sox's output is float, so that rounding alone costs ours about 2 dB here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioStream, type AudioStreamSpec } from '../src/main/audio/audio-stream.js';
import { AudioWorkerPool } from '../src/main/audio/audio-worker-pool.js';
import { float32ToPcm16, pcm16ToFloat32 } from '../src/main/audio/pcm.js';
import { DEFAULT_RESAMPLER_QUALITY, concatFloat32, createResampler, type ResamplerQuality } from '../src/main/audio/resampler.js';
import { snrDb, speechLike } from '../src/main/audio/test-signals.js';
import { median, type Figure } from './stats.js';

/** Seconds of audio per speed run, and runs per figure (median reported; runs are short, the machine is shared). */
const SPEED_SECONDS = 30;
const RUNS = 7;
/** 10 ms chunks: one browser frame, and about the size of a provider audio delta. */
const CHUNK_MS = 10;
const SPEED_TARGET = 300;
/** Seconds of the quality signal; the first and last 0.1 s are left out of the SNR (edge transients). */
const QUALITY_SECONDS = 4;
const EDGE_SECONDS = 0.1;
/** Speech band (harmonics ≤ 8 kHz) is the target; full band (≤ 11 kHz, near the 12 kHz Nyquist) is for information. */
const SPEECH_BAND_HZ = 8000;
const FULL_BAND_HZ = 11_000;
/** Speex quality levels, all printed in the sweep so the default's trade-off stays visible. */
const SWEEP_LEVELS: ResamplerQuality[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const OUTPUT_SPEC: AudioStreamSpec = { kind: 'output', fromRate: 24_000, toRate: 48_000 };
const INPUT_SPEC: AudioStreamSpec = { kind: 'input', fromRate: 48_000, toRate: 16_000 };

/** SPEED_SECONDS of speech-like PCM16 at the spec's input rate, in CHUNK_MS chunks. */
function speechChunks(spec: AudioStreamSpec): Buffer[] {
  const rate = spec.fromRate;
  const pcm = float32ToPcm16(Float32Array.from(speechLike(rate, SPEED_SECONDS, 8000)));
  const chunkBytes = ((rate * CHUNK_MS) / 1000) * 2;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < pcm.length; offset += chunkBytes) chunks.push(pcm.subarray(offset, offset + chunkBytes));
  return chunks;
}

async function inProcessSpeed(spec: AudioStreamSpec): Promise<number> {
  const chunks = speechChunks(spec);
  const times: number[] = [];
  // One untimed pass first, so the figure is not the JIT compiling the DSP loops.
  for (let run = -1; run < RUNS; run++) {
    const stream = await AudioStream.create(spec);
    const started = performance.now();
    for (const chunk of chunks) stream.process(chunk);
    if (run >= 0) times.push(performance.now() - started);
    stream.destroy();
  }
  return (SPEED_SECONDS * 1000) / median(times);
}

/** Throughput with every chunk in flight at once, and the round trip of one chunk when sent one by one. */
async function workerSpeed(spec: AudioStreamSpec): Promise<{ realtime: number; roundTripMs: number }> {
  const chunks = speechChunks(spec);
  const pool = new AudioWorkerPool(1);
  try {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await pool.open(`run-${run}`, spec);
      const started = performance.now();
      await Promise.all(chunks.map((chunk) => pool.process(`run-${run}`, chunk)));
      times.push(performance.now() - started);
      await pool.close(`run-${run}`);
    }
    await pool.open('sequential', spec);
    const roundTrips: number[] = [];
    for (const chunk of chunks.slice(0, 300)) {
      const started = performance.now();
      await pool.process('sequential', chunk);
      roundTrips.push(performance.now() - started);
    }
    return { realtime: (SPEED_SECONDS * 1000) / median(times), roundTripMs: median(roundTrips) };
  } finally {
    await pool.terminate();
  }
}

/** SNR (dB) of our 24→48 kHz output and of sox's, both against the ideal 48 kHz signal. */
async function upsamplingSnr(maxFrequency: number, quality: ResamplerQuality = DEFAULT_RESAMPLER_QUALITY): Promise<{ ours: number; sox: number; oursLag: number; soxLag: number }> {
  const inputPcm = float32ToPcm16(Float32Array.from(speechLike(24_000, QUALITY_SECONDS, maxFrequency)));
  const ideal = speechLike(48_000, QUALITY_SECONDS, maxFrequency);
  const skip = Math.round(48_000 * EDGE_SECONDS);

  const resampler = await createResampler(24_000, 48_000, quality);
  const input = pcm16ToFloat32(inputPcm);
  const parts: Float32Array[] = [];
  for (let offset = 0; offset < input.length; offset += 240) parts.push(resampler.process(input.subarray(offset, offset + 240)));
  parts.push(resampler.flush());
  const ours = concatFloat32(parts);
  resampler.destroy();

  const dir = mkdtempSync(join(tmpdir(), 'neko-resampler-bench-'));
  try {
    writeFileSync(join(dir, 'in.s16'), inputPcm);
    execFileSync('sox', ['-t', 'raw', '-r', '24000', '-e', 'signed', '-b', '16', '-c', '1', join(dir, 'in.s16'), '-t', 'raw', '-r', '48000', '-e', 'floating-point', '-b', '32', join(dir, 'out.f32'), 'rate', '-v']);
    const soxBytes = readFileSync(join(dir, 'out.f32'));
    const sox = new Float32Array(soxBytes.buffer, soxBytes.byteOffset, soxBytes.byteLength / 4);
    const oursSnr = snrDb(ours, ideal, skip);
    const soxSnr = snrDb(sox, ideal, skip);
    return { ours: oursSnr.db, sox: soxSnr.db, oursLag: oursSnr.lag, soxLag: soxSnr.lag };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function soxAvailable(): boolean {
  try {
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function resamplerBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const speed = (name: string, realtime: number): Figure => ({ name, value: `${realtime.toFixed(0)}× realtime`, target: `≥ ${SPEED_TARGET}×`, ok: realtime >= SPEED_TARGET });
  const label = `speex q${DEFAULT_RESAMPLER_QUALITY}, PCM16 in/out, ${CHUNK_MS} ms chunks`;

  figures.push(speed(`24→48 kHz voice, in-process (${label})`, await inProcessSpeed(OUTPUT_SPEC)));
  figures.push(speed(`48→16 kHz mic + AGC, in-process (${label})`, await inProcessSpeed(INPUT_SPEC)));
  const voiceWorker = await workerSpeed(OUTPUT_SPEC);
  const micWorker = await workerSpeed(INPUT_SPEC);
  // The resampler's own speed is the in-process figure above; through the worker each 10 ms chunk is also a
  // message each way, so these rows show that cost (a live stream needs 1×: 100 chunks a second).
  const info = (name: string, realtime: number): Figure => ({ name, value: `${realtime.toFixed(0)}× realtime` });
  figures.push(info('24→48 kHz voice, through the worker, 10 ms chunks all in flight (message cost included)', voiceWorker.realtime));
  figures.push(info('48→16 kHz mic + AGC, through the worker, 10 ms chunks all in flight (message cost included)', micWorker.realtime));
  figures.push({ name: '24→48 kHz worker round trip per 10 ms chunk (median, one at a time)', value: `${voiceWorker.roundTripMs.toFixed(3)} ms` });
  figures.push({ name: '48→16 kHz worker round trip per 10 ms chunk (median, one at a time)', value: `${micWorker.roundTripMs.toFixed(3)} ms` });

  if (!soxAvailable()) {
    figures.push({ name: '24→48 kHz SNR vs sox rate -v', value: 'sox not installed', ok: false });
    return figures;
  }
  const speech = await upsamplingSnr(SPEECH_BAND_HZ);
  figures.push({
    name: `24→48 kHz SNR vs ideal, speech band ≤ ${SPEECH_BAND_HZ / 1000} kHz: ours / sox -v`,
    value: `${speech.ours.toFixed(1)} / ${speech.sox.toFixed(1)} dB (lag ${speech.oursLag} / ${speech.soxLag})`,
    target: 'ours ≥ sox − 3 dB',
    ok: speech.ours >= speech.sox - 3,
  });
  const full = await upsamplingSnr(FULL_BAND_HZ);
  figures.push({
    name: `24→48 kHz SNR vs ideal, full band ≤ ${FULL_BAND_HZ / 1000} kHz: ours / sox -v (info)`,
    value: `${full.ours.toFixed(1)} / ${full.sox.toFixed(1)} dB (lag ${full.oursLag} / ${full.soxLag})`,
  });
  figures.push(...(await qualitySweep()));
  return figures;
}

/** Every speex level: in-process speed both ways and 24→48 kHz SNR (speech / full band), for information. */
async function qualitySweep(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const quality of SWEEP_LEVELS) {
    const up = await inProcessSpeed({ ...OUTPUT_SPEC, quality });
    const down = await inProcessSpeed({ ...INPUT_SPEC, quality });
    const speech = await upsamplingSnr(SPEECH_BAND_HZ, quality);
    const full = await upsamplingSnr(FULL_BAND_HZ, quality);
    figures.push({
      name: `sweep q${quality}${quality === DEFAULT_RESAMPLER_QUALITY ? ' (default)' : ''}: 24→48 / 48→16+AGC speed; SNR speech / full band`,
      value: `${up.toFixed(0)}× / ${down.toFixed(0)}×; ${speech.ours.toFixed(1)} / ${full.ours.toFixed(1)} dB`,
    });
  }
  return figures;
}
