import type { SpeechOutput } from '../../src/main/tts/speech-output.js';

/** Every audio event a SpeechOutput emits, in order, with its byte count and format. */
export interface RecordedSpeech {
  speechId: string;
  bytes: number;
  format: string;
}

export function recordSpeech(out: SpeechOutput): { audio: RecordedSpeech[]; errors: { code: string; message: string }[] } {
  const audio: RecordedSpeech[] = [];
  const errors: { code: string; message: string }[] = [];
  out.on('audio', ({ speechId, audio: buf, format }) => audio.push({ speechId, bytes: buf.length, format }));
  out.on('error', (e) => errors.push(e));
  return { audio, errors };
}

/** Total bytes of audio recorded for one speech id. */
export function bytesFor(audio: RecordedSpeech[], speechId: string): number {
  return audio.filter((a) => a.speechId === speechId).reduce((n, a) => n + a.bytes, 0);
}
