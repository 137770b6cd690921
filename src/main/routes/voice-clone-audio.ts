import { decodeWav } from '../tts/wav-stream.js';

/**
 * Reference-clip checks and silence analysis for voice cloning (rest.md §4.19–4.20). Works on WAV (decoded
 * here); MP3/M4A are recognised by their signatures for upload validation only.
 */
export type AudioKind = 'wav' | 'mp3' | 'm4a';

/** Frames quieter than this count as silence (the original uses pydub's default of about -40 dBFS). */
const SILENCE_DBFS = -40;
/** Only pauses at least this long are silences worth reporting or shortening. */
const MIN_SILENCE_MS = 300;
/** Long pauses are shortened to this (rest.md §4.19). */
export const KEPT_SILENCE_MS = 200;
const FRAME_MS = 10;

/**
 * CosyVoice cloning's reference-clip requirements (Model Studio "CosyVoice voice cloning API", audio
 * requirements): WAV (16-bit) / MP3 / M4A, at most 10 MB, sample rate at least 16 kHz, 10–20 s recommended and
 * 60 s at most, with at least 5 s of continuous clear speech (so a shorter clip cannot qualify). The 1 KB MP3
 * floor is the original's sanity check (rest.md §4.20).
 */
export const CLOUD_CLONE_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  minMp3Bytes: 1024,
  minDurationMs: 5_000,
  maxDurationMs: 60_000,
  minSampleRate: 16_000,
} as const;

/** The clip's container from its first bytes, or null when it is not audio we accept. */
export function sniffAudio(head: Buffer): AudioKind | null {
  if (head.length >= 12 && head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WAVE') return 'wav';
  if (head.length >= 3 && head.toString('ascii', 0, 3) === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) return 'mp3';
  if (head.length >= 8 && head.toString('ascii', 4, 8) === 'ftyp') return 'm4a';
  return null;
}

export interface SilenceSegment {
  start_ms: number;
  end_ms: number;
  duration_ms: number;
}

export interface DecodedClip {
  sampleRate: number;
  channels: number;
  pcm: Buffer;
  durationMs: number;
}

export function decodeClip(file: Buffer): DecodedClip {
  const { format, pcm } = decodeWav(file);
  return { sampleRate: format.sampleRate, channels: format.channels, pcm, durationMs: Math.round((pcm.length / 2 / format.sampleRate) * 1000) };
}

/** Silent stretches of at least MIN_SILENCE_MS. */
export function findSilences(clip: DecodedClip): SilenceSegment[] {
  const frameSamples = Math.max(1, Math.round((clip.sampleRate * FRAME_MS) / 1000));
  const samples = clip.pcm.length >> 1;
  const out: SilenceSegment[] = [];
  let runStart = -1;
  const close = (endSample: number) => {
    const start = Math.round((runStart / clip.sampleRate) * 1000);
    const end = Math.round((endSample / clip.sampleRate) * 1000);
    if (end - start >= MIN_SILENCE_MS) out.push({ start_ms: start, end_ms: end, duration_ms: end - start });
    runStart = -1;
  };
  for (let s = 0; s < samples; s += frameSamples) {
    const n = Math.min(frameSamples, samples - s);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = clip.pcm.readInt16LE((s + i) * 2) / 32768;
      sum += v * v;
    }
    const db = sum > 0 ? 10 * Math.log10(sum / n) : -100;
    if (db < SILENCE_DBFS) {
      if (runStart < 0) runStart = s;
    } else if (runStart >= 0) close(s);
  }
  if (runStart >= 0) close(samples);
  return out;
}

/** The clip with every long silence cut down to KEPT_SILENCE_MS (half kept at each edge of the pause). */
export function trimSilences(clip: DecodedClip, silences: SilenceSegment[]): Buffer {
  const bytesAt = (ms: number) => Math.min(clip.pcm.length, Math.round((ms / 1000) * clip.sampleRate) * 2);
  const parts: Buffer[] = [];
  let cursor = 0;
  for (const s of silences) {
    if (s.duration_ms <= KEPT_SILENCE_MS) continue;
    const keepEnd = bytesAt(s.start_ms + KEPT_SILENCE_MS / 2);
    parts.push(clip.pcm.subarray(cursor, keepEnd));
    cursor = bytesAt(s.end_ms - KEPT_SILENCE_MS / 2);
  }
  parts.push(clip.pcm.subarray(cursor));
  return Buffer.concat(parts);
}

/** 83_500 → "01:23". */
export function mmss(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
