import type { ServerResponse } from 'node:http';
import type { SpeechOutput } from '../../src/main/tts/speech-output.js';

/** Every audio event of a SpeechOutput with its bytes (not only its size), and every error, in order. */
export interface CapturedSpeech {
  audio: { speechId: string; audio: Buffer; format: string }[];
  errors: { code: string; message: string }[];
  /** All PCM of one speech id, concatenated. */
  pcmFor(speechId: string): Buffer;
}

export function captureSpeech(out: SpeechOutput): CapturedSpeech {
  const audio: CapturedSpeech['audio'] = [];
  const errors: CapturedSpeech['errors'] = [];
  out.on('audio', (a) => audio.push(a));
  out.on('error', (e) => errors.push(e));
  return { audio, errors, pcmFor: (id) => Buffer.concat(audio.filter((a) => a.speechId === id).map((a) => a.audio)) };
}

/** Root mean square of PCM16 LE samples: speech has a clear level; misaligned bytes read as loud noise. */
export function rms(pcm: Buffer): number {
  let sum = 0;
  const n = pcm.length >> 1;
  for (let i = 0; i < n; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return n ? Math.sqrt(sum / n) : 0;
}

/**
 * Writes `body` in `chunkBytes` pieces `delayMs` apart, like a server that synthesizes as it sends.
 * Resolves true when all was sent, false when the client went away first.
 */
export async function writeSlowly(res: ServerResponse, body: Buffer, chunkBytes: number, delayMs: number): Promise<boolean> {
  for (let i = 0; i < body.length; i += chunkBytes) {
    if (res.destroyed || res.socket?.destroyed) return false;
    res.write(body.subarray(i, i + chunkBytes));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  }
  if (res.destroyed || res.socket?.destroyed) return false;
  res.end();
  return true;
}
