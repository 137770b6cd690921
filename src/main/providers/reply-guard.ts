/**
 * Guards on text-mode replies (sessions.md §7.4): the fence that stops a model writing the next speaker's line,
 * and the length limit after which a reply is thrown away and asked for again.
 */

/** The original's defaults: 300 units, then up to 2 rerolls. */
export const DEFAULT_MAX_REPLY_UNITS = 300;
export const DEFAULT_REPLY_REROLLS = 2;

/** Scripts written without spaces between words: each character counts as a unit. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const WORDISH = /[\p{L}\p{N}]/u;

/**
 * A reply's length as the original counts it: one unit per Chinese/Japanese character, one per
 * whitespace-separated word of everything else (Korean included: it spaces its words, so counting its
 * syllables would cut Korean replies at a third of the length).
 */
export function replyLength(text: string): number {
  const unspaced = text.match(UNSPACED)?.length ?? 0;
  const words = text.replace(UNSPACED, ' ').split(/\s+/).filter((w) => WORDISH.test(w)).length;
  return unspaced + words;
}

/**
 * Cuts streamed reply text at its second `|` (or full-width `｜`). Context lines are laid out
 * `name | text`, so a second bar means the model has started writing a further line itself.
 */
export class ReplyFence {
  private bars = 0;
  /** True once the fence is reached: nothing after it belongs to the reply. */
  closed = false;

  /** The part of `delta` before the fence. */
  pass(delta: string): string {
    if (this.closed) return '';
    for (let i = 0; i < delta.length; i++) {
      const c = delta[i];
      if (c !== '|' && c !== '｜') continue;
      if (++this.bars === 2) {
        this.closed = true;
        return delta.slice(0, i);
      }
    }
    return delta;
  }
}
