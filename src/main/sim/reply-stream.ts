import { setTimeout as sleep } from 'node:timers/promises';
import { splitReply, splitTextReply } from './reply-chunks.js';
import { SIM_OUTPUT_RATE, synthesizeSpeech } from './speech.js';

export interface ReplyPacing {
  /** Audio per delta. */
  audioChunkMs: number;
  /** Wait between audio deltas: below audioChunkMs streams faster than real time, as real providers do. */
  audioIntervalMs: number;
  /** Wait between text-only deltas (one word each). */
  textIntervalMs: number;
  /**
   * How long a reply keeps streaming after response.cancel. Real providers still deliver deltas that were
   * in flight; tests set this to check that clients drop them. 0 in the demo.
   */
  cancelDelayMs: number;
}

/** 100 ms deltas every 50 ms: twice real time, so a reply is still streaming when the user barges in. */
export const DEFAULT_PACING: ReplyPacing = { audioChunkMs: 100, audioIntervalMs: 50, textIntervalMs: 20, cancelDelayMs: 0 };

/**
 * Streams one reply through `emit`: spoken (real espeak-ng speech as 24 kHz PCM16 slices, each with the
 * words said in it) or text-only (word by word). Stops at once when `signal` aborts; resolves to whether
 * the reply ran to its end.
 */
export async function streamReply(
  text: string,
  spoken: boolean,
  pacing: ReplyPacing,
  signal: AbortSignal,
  emit: { audio(pcm: Buffer, words: string): void; text(words: string): void },
): Promise<boolean> {
  try {
    if (spoken) {
      const pcm = await synthesizeSpeech(text, SIM_OUTPUT_RATE);
      const chunks = splitReply(pcm, text, SIM_OUTPUT_RATE, pacing.audioChunkMs);
      for (let i = 0; i < chunks.length; i++) {
        if (signal.aborted) return false;
        emit.audio(chunks[i]!.pcm, chunks[i]!.text);
        if (i < chunks.length - 1) await sleep(pacing.audioIntervalMs, undefined, { signal });
      }
    } else {
      const words = splitTextReply(text);
      for (let i = 0; i < words.length; i++) {
        if (signal.aborted) return false;
        emit.text(words[i]!);
        if (i < words.length - 1) await sleep(pacing.textIntervalMs, undefined, { signal });
      }
    }
    return !signal.aborted;
  } catch (err) {
    if (signal.aborted) return false;
    throw err;
  }
}
