import { sharedProcessRunner } from './process-runner.js';
import { createHash } from 'node:crypto';
import { ClauseUtterance } from './clause-utterance.js';
import { TtsEngineError, type TtsChunk, type TtsEngine, type TtsSink, type TtsUtterance } from './engine.js';
import { detectScript, type TextScript } from './script.js';
import { PAGE_SAMPLE_RATE } from './speech-resampler.js';
import { WavStreamReader } from './wav-stream.js';

export interface EspeakOptions {
  /** Program to run; `espeak-ng` from PATH by default. */
  binary?: string;
  /** espeak-ng voice per writing system; text in kana speaks Japanese, Han Chinese, and so on. */
  voices?: Partial<Record<TextScript, string>>;
  /** Words per minute (espeak-ng `-s`, 80–450). */
  rate?: number;
  /** Pitch 0–99 (espeak-ng `-p`). */
  pitch?: number;
  /** Convert to 48 kHz with sox in the synthesis pipeline when sox is installed (default); else main resamples. */
  soxResampling?: boolean;
}

const DEFAULT_VOICES: Record<TextScript, string> = { latin: 'en-us', zh: 'cmn', ja: 'ja', ko: 'ko' };
/** espeak-ng's own default speed; used when a character sets none. */
const DEFAULT_RATE = 175;
const DEFAULT_PITCH = 50;
/** Niceness of synthesis processes (0 normal … 19 lowest). */
const SYNTH_NICENESS = 10;
/** `<program> --version` results per program, shared by every engine in the process. */
const availability = new Map<string, Promise<void>>();
/**
 * espeak-ng speaks at 22.05 kHz, which does not divide into the page's 48 kHz: the in-process resampler needs
 * its slow interpolating path there (about 170× real time, against 500× at 24 kHz), and four characters
 * speaking at once kept both cores busy enough to delay the chat loop. sox converts in the synthesis
 * pipeline instead, at the programs' low priority and several times faster.
 */
const SOX_TO_PAGE_RATE = ['-V1', '--buffer', '4096', '-t', 'wav', '-', '-t', 'wav', '-r', String(PAGE_SAMPLE_RATE), '-e', 'signed-integer', '-b', '16', '-c', '1', '-'];

/**
 * Runs `<program> --version` once per process (through the process runner, like synthesis); rejects when the
 * program is missing or fails. A failure is not remembered: the user may install it while neko runs.
 */
function programAvailable(program: string): Promise<void> {
  let check = availability.get(program);
  if (!check) {
    check = sharedProcessRunner.run(program, ['--version']).done.then(({ code }) => {
      if (code !== 0) throw new Error(`${program} --version exited with ${code}`);
    });
    availability.set(program, check);
    check.catch(() => availability.delete(program));
  }
  return check;
}

/**
 * A stable voice per character for the offline engine: pitch and speed derived from the name, so two
 * characters never share the exact same robot voice and a character always sounds the same.
 */
export function espeakVoiceFor(character: string): Pick<EspeakOptions, 'rate' | 'pitch'> {
  const digest = createHash('sha256').update(character).digest();
  return { pitch: 45 + (digest[0]! % 36), rate: 160 + (digest[1]! % 31) };
}

/**
 * The offline default engine: one espeak-ng process per clause (text on stdin, WAV on stdout, 22.05 kHz).
 * A clause is short, so a process per clause keeps abort trivial (kill it) at ~10 ms start-up cost.
 */
export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  private readonly binary: string;
  private readonly voices: Record<TextScript, string>;
  private readonly rate: number;
  private readonly pitch: number;
  /** Convert to the page's rate with sox in the synthesis pipeline (decided by prepare()). */
  private withSox = false;
  private readonly soxResampling: boolean;

  constructor(opts: EspeakOptions = {}) {
    this.binary = opts.binary ?? 'espeak-ng';
    this.voices = { ...DEFAULT_VOICES, ...opts.voices };
    this.rate = clamp(Math.round(opts.rate ?? DEFAULT_RATE), 80, 450);
    this.pitch = clamp(Math.round(opts.pitch ?? DEFAULT_PITCH), 0, 99);
    this.soxResampling = opts.soxResampling ?? true;
  }

  /**
   * Ready when espeak-ng runs (checked once per process, not by a spawn at every session start). Without sox
   * the engine still works, and main resamples its 22.05 kHz output.
   */
  async prepare(): Promise<void> {
    const espeak = programAvailable(this.binary).catch((err: Error) => {
      throw new TtsEngineError('TTS_CONNECTION_FAILED', `espeak-ng is not available: ${err.message}`);
    });
    const sox = this.soxResampling ? programAvailable('sox').then(() => true, () => false) : false;
    const [, withSox] = await Promise.all([espeak, sox]);
    this.withSox = withSox;
  }

  start(sink: TtsSink): TtsUtterance {
    return new ClauseUtterance(this.name, (text, signal) => this.synthesize(text, signal), sink);
  }

  async close(): Promise<void> {
    // Nothing long-lived: each clause's process ends with its clause.
  }

  /** One clause → PCM16 chunks at espeak-ng's rate, streamed as the process writes them. */
  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<TtsChunk> {
    const voice = this.voices[detectScript(text)];
    // Started by the helper process (spawning stalls the calling process), at a lower priority: synthesis
    // runs ahead of playback, so it can wait, and 4 characters' espeak-ng must not starve the chat on 2 cores.
    const espeak = { command: this.binary, args: ['-v', voice, '-s', String(this.rate), '-p', String(this.pitch), '-b', '1', '--stdout'] };
    const stages = this.withSox ? [espeak, { command: 'sox', args: SOX_TO_PAGE_RATE }] : [espeak];
    const run = sharedProcessRunner.runPipeline(stages, { stdin: text, niceness: SYNTH_NICENESS, signal });
    try {
      const reader = new WavStreamReader();
      for await (const bytes of run.stdout) {
        if (signal.aborted) return;
        const pcm = reader.push(bytes);
        if (pcm.length) yield { format: 'pcm16', sampleRate: reader.wavFormat!.sampleRate, data: pcm };
      }
      const { code, stderr } = await run.done;
      if (code !== 0 && !signal.aborted) throw new TtsEngineError('TTS_CONNECTION_FAILED', `espeak-ng exited with ${code}: ${stderr.trim()}`);
    } catch (err) {
      if (signal.aborted) return;
      throw err instanceof TtsEngineError ? err : new TtsEngineError('TTS_CONNECTION_FAILED', `espeak-ng failed: ${(err as Error).message}`);
    }
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
