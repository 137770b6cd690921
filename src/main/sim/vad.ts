/**
 * Energy VAD with hangover for the sim's server-side turn detection. Works on PCM16 mono at any rate in
 * 20 ms frames; decisions depend on samples only (not wall-clock), so audio streamed faster than real
 * time is judged the same.
 */

/** Frame RMS above this (int16) counts as voice; the original's client VAD used the same 500. */
export const VOICE_RMS_THRESHOLD = 500;
const FRAME_MS = 20;
/** Voiced frames in a row before speech starts (60 ms): clicks do not start a turn. */
const START_FRAMES = 3;
/** Silence before speech stops: Qwen's server_vad silence_duration_ms (sessions.md §7.2). */
const HANGOVER_MS = 500;
/** Audio kept from before the start, like prefix_padding_ms, so the first syllable is transcribed. */
const PREFIX_MS = 300;

export type VadEvent =
  | { kind: 'speech_started'; atMs: number }
  | { kind: 'speech_stopped'; atMs: number; utterance: Buffer; speechSeconds: number };

export class EnergyVad {
  private readonly frameBytes: number;
  private pending: Buffer = Buffer.alloc(0);
  private prefix: Buffer[] = [];
  private utterance: Buffer[] = [];
  private speaking = false;
  private voicedRun = 0;
  private silentMs = 0;
  private processedMs = 0;
  private speechStartMs = 0;
  private lastVoiceMs = 0;

  constructor(private readonly sampleRate: number) {
    this.frameBytes = Math.round((sampleRate * FRAME_MS) / 1000) * 2;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  push(pcm: Buffer): VadEvent[] {
    const events: VadEvent[] = [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, pcm]) : pcm;
    while (this.pending.length >= this.frameBytes) {
      const frame = this.pending.subarray(0, this.frameBytes);
      this.pending = this.pending.subarray(this.frameBytes);
      const event = this.frame(frame);
      if (event) events.push(event);
    }
    return events;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
    this.prefix = [];
    this.utterance = [];
    this.speaking = false;
    this.voicedRun = 0;
    this.silentMs = 0;
  }

  private frame(frame: Buffer): VadEvent | null {
    const n = frame.length / 2;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const s = frame.readInt16LE(i * 2);
      sum += s * s;
    }
    const voiced = Math.sqrt(sum / n) > VOICE_RMS_THRESHOLD;
    this.processedMs += FRAME_MS;
    const copy = Buffer.from(frame);
    if (!this.speaking) {
      this.prefix.push(copy);
      if (this.prefix.length > PREFIX_MS / FRAME_MS) this.prefix.shift();
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun >= START_FRAMES) {
        this.speaking = true;
        this.utterance = this.prefix;
        this.prefix = [];
        this.silentMs = 0;
        this.speechStartMs = this.processedMs - START_FRAMES * FRAME_MS;
        this.lastVoiceMs = this.processedMs;
        return { kind: 'speech_started', atMs: this.speechStartMs };
      }
      return null;
    }
    this.utterance.push(copy);
    if (voiced) {
      this.silentMs = 0;
      this.lastVoiceMs = this.processedMs;
      return null;
    }
    this.silentMs += FRAME_MS;
    if (this.silentMs < HANGOVER_MS) return null;
    const utterance = Buffer.concat(this.utterance);
    const speechSeconds = (this.lastVoiceMs - this.speechStartMs) / 1000;
    this.utterance = [];
    this.speaking = false;
    this.voicedRun = 0;
    return { kind: 'speech_stopped', atMs: this.processedMs, utterance, speechSeconds };
  }
}
