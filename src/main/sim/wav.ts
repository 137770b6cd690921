/** Minimal PCM16 mono WAV handling: the sim writes WAVs for pocketsphinx and reads espeak-ng's. */
import { encodeWav } from '../tts/wav-stream.js';

/** PCM16 mono → WAV bytes (one writer for the whole app: the TTS module's). */
export const pcm16ToWav = encodeWav;

/** Root-mean-square of PCM16 LE samples (0 for empty input). */
export function pcm16Rms(pcm: Buffer): number {
  const n = Math.floor(pcm.length / 2);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = pcm.readInt16LE(i * 2);
    sum += s * s;
  }
  return Math.sqrt(sum / n);
}

export function pcm16DurationSec(pcm: Buffer, sampleRate: number): number {
  return pcm.length / 2 / sampleRate;
}
