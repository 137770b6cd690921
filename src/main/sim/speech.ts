import { runProcess } from './run-process.js';

/** Reply audio rate: what realtime providers stream (PCM16 mono 24 kHz). */
export const SIM_OUTPUT_RATE = 24000;
/** Synthesised replies repeat (greetings, the demo notice); caching them makes the first audio instant. */
const CACHE_LIMIT = 32;

const cache = new Map<string, Promise<Buffer>>();

/** espeak-ng voice for the text: Mandarin when it contains CJK characters, US English otherwise. */
function voiceFor(text: string): string {
  return /[\u3040-\u30ff\u3400-\u9fff]/.test(text) ? 'cmn' : 'en-us';
}

/**
 * Real speech for `text`: espeak-ng renders a 22.05 kHz WAV, sox converts it to raw PCM16 mono at the
 * requested rate. Both run as child processes, so the event loop keeps serving other connections.
 */
export function synthesizeSpeech(text: string, sampleRate = SIM_OUTPUT_RATE): Promise<Buffer> {
  const key = `${sampleRate}:${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const job = (async () => {
    const wav = await runProcess('espeak-ng', ['-v', voiceFor(text), '--stdout', text]);
    return runProcess('sox', ['-t', 'wav', '-', '-t', 'raw', '-r', String(sampleRate), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'], { stdin: wav });
  })();
  cache.set(key, job);
  job.catch(() => cache.delete(key));
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return job;
}
