import { execFileSync } from 'node:child_process';
import { decodeWav } from '../../src/main/tts/wav-stream.js';

/** espeak-ng speech of `text` as 16 kHz PCM16 mono (sox does the conversion), the microphone rate of the pipeline. */
export function speechAt16k(text: string): Buffer {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', text]);
  const converted = execFileSync('sox', ['-t', 'wav', '-', '-t', 'wav', '-r', '16000', '-c', '1', '-b', '16', '-'], { input: wav });
  return decodeWav(converted).pcm;
}

/** `ms` of digital silence at 16 kHz. */
export function silence16k(ms: number): Buffer {
  return Buffer.alloc(Math.round((16_000 * ms) / 1000) * 2);
}

/** Splits PCM into 20 ms microphone frames (what the session forwards). */
export function frames16k(pcm: Buffer, frameMs = 20): Buffer[] {
  const size = (16_000 * frameMs) / 1000 * 2;
  const out: Buffer[] = [];
  for (let i = 0; i < pcm.length; i += size) out.push(pcm.subarray(i, i + size));
  return out;
}
