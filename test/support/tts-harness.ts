import { after, afterEach, before, beforeEach } from 'node:test';
import { AudioWorkerPool } from '../../src/main/audio/audio-worker-pool.js';
import type { TtsEngine } from '../../src/main/tts/engine.js';
import { PooledSpeechResampler } from '../../src/main/tts/speech-resampler.js';
import { TtsPipeline } from '../../src/main/tts/tts-pipeline.js';
import { captureSpeech, type CapturedSpeech } from './tts-capture.js';
import { waitFor } from './wait.js';

/** A local protocol server shared by the tests of one file. */
export interface ProtocolServer {
  /** Back to how it started: nothing recorded, no scripted failure, default pacing. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The set-up of a TTS test file, registered with node:test: one audio worker for the whole file; the server
 * `startServer` starts (before the first test, reset before each test, closed after the last); and the
 * returned `pipelineWith(engine)`, whose pipelines are closed after the test that made them.
 * `prefix` names the pipelines' resampler streams.
 */
export function ttsHarness(prefix: string, startServer?: () => Promise<ProtocolServer>): (engine: TtsEngine) => TtsPipeline {
  const pool = new AudioWorkerPool(1);
  const open: TtsPipeline[] = [];
  let owners = 0;
  let server: ProtocolServer | undefined;
  if (startServer) {
    before(async () => {
      server = await startServer();
    });
    beforeEach(() => server?.reset());
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((tts) => tts.close()));
  });
  after(async () => {
    await server?.close();
    await pool.terminate();
  });
  return (engine) => {
    const tts = new TtsPipeline({ engine, resampler: new PooledSpeechResampler(pool, `${prefix}-${++owners}`) });
    open.push(tts);
    return tts;
  };
}

/**
 * Speaks `texts` as the whole reply `speechId` and waits until the pipeline is idle. Returns what the pipeline
 * emitted from the first push on (it keeps recording what later replies emit).
 */
export async function speak(tts: TtsPipeline, speechId: string, ...texts: string[]): Promise<CapturedSpeech> {
  const rec = captureSpeech(tts);
  for (const text of texts) tts.push(speechId, text);
  tts.end(speechId);
  await tts.whenIdle();
  return rec;
}

/** What a pipeline emitted from the first push of an interrupted reply on. */
export interface InterruptedSpeech extends CapturedSpeech {
  /** The audio events emitted after interrupt() was called. */
  sinceInterrupt(): CapturedSpeech['audio'];
}

/**
 * Starts reply `speechId` with `text` and interrupts the pipeline as soon as the reply's first audio is out.
 * `firstAudioMs` is how long that may take.
 */
export async function interruptAfterFirstAudio(tts: TtsPipeline, speechId: string, text: string, firstAudioMs = 10_000): Promise<InterruptedSpeech> {
  const rec = captureSpeech(tts);
  tts.push(speechId, text);
  await waitFor(`first audio of reply ${speechId}`, () => rec.audio.some((a) => a.speechId === speechId), firstAudioMs);
  tts.interrupt();
  const mark = rec.audio.length;
  return { ...rec, sinceInterrupt: () => rec.audio.slice(mark) };
}
