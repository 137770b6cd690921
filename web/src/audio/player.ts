import { SAMPLE_RATE, audioContext } from './context';
import { OggOpusStream, isOgg } from './ogg-opus-stream';

/**
 * How far ahead of "now" the first chunk of a burst is scheduled. Later chunks are queued back to back after
 * it, so this is the jitter the network may add between chunks before a gap is heard.
 */
const JITTER_LEAD_SECONDS = 0.08;
/** Speech ids remembered as interrupted (chunks for them may still be in flight). */
const DROPPED_IDS_KEPT = 32;

interface Scheduled {
  source: AudioBufferSourceNode;
  speechId: string;
  start: number;
  end: number;
}

export interface PlayerStats {
  chunks: number;
  /** Seconds of audio handed to the AudioContext so far. */
  scheduledSeconds: number;
  /** Seconds cut short or never played because their speech was interrupted. */
  droppedSeconds: number;
  interruptions: number;
  /** Ogg/Opus frames received (decoded, then scheduled like PCM). */
  oggChunks: number;
  /** Frames that could not be decoded, skipped instead of played as noise. */
  skippedChunks: number;
}

/**
 * Plays the server's speech: 48 kHz PCM16 mono chunks, or an Ogg/Opus page stream (each chunk announced by an
 * `audio_chunk` header with its speech id), scheduled as AudioBuffers back to back, through an analyser that
 * drives the avatar's mouth.
 */
export class PcmPlayer {
  readonly stats: PlayerStats = { chunks: 0, scheduledSeconds: 0, droppedSeconds: 0, interruptions: 0, oggChunks: 0, skippedChunks: 0 };
  private readonly ogg = new OggOpusStream(
    (speechId, samples) => this.schedule(speechId, samples),
    () => this.stats.skippedChunks++,
  );
  private graph?: { ctx: AudioContext; analyser: AnalyserNode; samples: Float32Array<ArrayBuffer> };
  private readonly playing: Scheduled[] = [];
  private readonly dropped: string[] = [];
  private nextStart = 0;
  /** The speech whose frames are Ogg/Opus (set by its first page). */
  private oggSpeech?: string;

  /** Built on the first chunk: audio only arrives after the user clicked or typed, so the context may start. */
  private ensureGraph() {
    if (!this.graph) {
      const ctx = audioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024; // ~21 ms window: one mouth movement per syllable, not per sample
      analyser.connect(ctx.destination);
      this.graph = { ctx, analyser, samples: new Float32Array(analyser.fftSize) };
    }
    return this.graph;
  }

  /** Seconds of audio scheduled but not yet heard. */
  get queuedSeconds(): number {
    return this.graph ? Math.max(0, this.nextStart - this.graph.ctx.currentTime) : 0;
  }

  get currentSpeechId(): string | undefined {
    return this.playing.at(-1)?.speechId;
  }

  enqueue(speechId: string, data: ArrayBuffer): void {
    if (this.dropped.includes(speechId)) {
      this.stats.droppedSeconds += data.byteLength / 2 / SAMPLE_RATE;
      return;
    }
    if (isOgg(data) || this.oggSpeech === speechId) {
      // Later pages of the stream do not start with a page boundary the server promised; the speech id tells.
      this.oggSpeech = speechId;
      this.stats.oggChunks++;
      this.ogg.push(speechId, data);
      return;
    }
    const pcm = new Int16Array(data, 0, data.byteLength >> 1);
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 32768;
    this.schedule(speechId, samples);
  }

  /** Resolves once every Ogg/Opus frame received so far is decoded and scheduled. */
  decoded(): Promise<void> {
    return this.ogg.idle();
  }

  private schedule(speechId: string, samples: Float32Array): void {
    // Decoding is asynchronous: the speech may have been interrupted meanwhile.
    if (samples.length === 0 || this.dropped.includes(speechId)) return;
    const { ctx, analyser } = this.ensureGraph();
    const buffer = ctx.createBuffer(1, samples.length, SAMPLE_RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const now = ctx.currentTime;
    // A new burst waits a little (the jitter lead); a continuing one goes straight after what is queued.
    const start = this.nextStart > now ? this.nextStart : now + JITTER_LEAD_SECONDS;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(analyser);
    source.start(start);
    const item: Scheduled = { source, speechId, start, end: start + buffer.duration };
    source.onended = () => {
      const i = this.playing.indexOf(item);
      if (i >= 0) this.playing.splice(i, 1);
    };
    this.playing.push(item);
    this.nextStart = item.end;
    this.stats.chunks++;
    this.stats.scheduledSeconds += buffer.duration;
  }

  /**
   * `user_activity`: the user started a new turn, so the old speech stops now, including chunks of it that
   * arrive later. A null id (no speech known) stops whatever is playing.
   */
  interrupt(speechId: string | null): void {
    if (speechId !== null) {
      this.dropped.push(speechId);
      if (this.dropped.length > DROPPED_IDS_KEPT) this.dropped.shift();
    }
    const stopped = this.stopWhere((item) => speechId === null || item.speechId === speechId);
    if (stopped > 0) this.stats.interruptions++;
  }

  /** Stops everything (conversation reset, character switch, discarded reply). */
  clear(): void {
    this.stopWhere(() => true);
  }

  /** RMS of what is being heard right now, 0 … 1. */
  level(): number {
    if (!this.graph || this.playing.length === 0) return 0;
    const { analyser, samples } = this.graph;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
    return Math.sqrt(sum / samples.length);
  }

  private stopWhere(match: (item: Scheduled) => boolean): number {
    if (!this.graph) return 0;
    const now = this.graph.ctx.currentTime;
    let stopped = 0;
    for (const item of [...this.playing]) {
      if (!match(item)) continue;
      this.stats.droppedSeconds += Math.max(0, item.end - Math.max(item.start, now));
      item.source.onended = null;
      item.source.stop();
      item.source.disconnect();
      this.playing.splice(this.playing.indexOf(item), 1);
      stopped++;
    }
    this.nextStart = this.playing.reduce((end, item) => Math.max(end, item.end), 0);
    return stopped;
  }
}
