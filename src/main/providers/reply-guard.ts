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

/** How long a new line is held back while it may still turn out to be a speaker's name before a bar. */
const NAME_HOLD_CHARS = 40;

/**
 * Cuts streamed reply text at its second `|` (or full-width `｜`). Context lines are laid out
 * `name | text`, so a second bar means the model has started writing a further line itself. The start of
 * each new line is held back briefly, so the next speaker's name before that bar is never shown or spoken.
 */
export class ReplyFence {
  private bars = 0;
  /** Text of the current line held back (it starts with its newline), or null when not holding. */
  private held: string | null = null;
  /** True once the fence is reached: nothing after it belongs to the reply. */
  closed = false;

  /** The part of `delta` that can be shown now. */
  pass(delta: string): string {
    if (this.closed) return '';
    let out = '';
    for (const c of delta) {
      if (c === '|' || c === '｜') {
        if (++this.bars === 2) {
          this.closed = true;
          this.held = null; // the next speaker's name
          return out;
        }
      }
      if (c === '\n') {
        out += this.held ?? '';
        this.held = c;
      } else if (this.held !== null) {
        this.held += c;
        if (this.held.length > NAME_HOLD_CHARS) {
          out += this.held;
          this.held = null;
        }
      } else out += c;
    }
    return out;
  }

  /** What is still held back once the reply has ended without reaching the fence. */
  flush(): string {
    const rest = this.closed ? '' : this.held ?? '';
    this.held = null;
    return rest;
  }
}
